from __future__ import annotations

from pathlib import Path

from application.ports.health import ProbeFailed
from domain.health import ComponentState


class PronunciationModelProbe:
    """The local assessor's files are present (it loads them on first use unless told to at start-up)."""

    name = "model.pronunciation"
    kind = "model"
    required = False

    def __init__(self, bundle: Path) -> None:
        self._bundle = bundle

    async def check(self) -> ComponentState:
        if not self._bundle.exists():
            raise ProbeFailed(f"model file missing: {self._bundle.name}")
        try:
            from pocketsphinx import get_model_path
        except ImportError as exc:
            raise ProbeFailed(f"pocketsphinx is not installed: {exc}") from None
        if not (Path(get_model_path()) / "en-us" / "en-us").is_dir():
            raise ProbeFailed("pocketsphinx acoustic model missing")
        return ComponentState.UP
