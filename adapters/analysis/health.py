"""Readiness of the offline analysis engine: its models are installed and loadable."""

from __future__ import annotations

import importlib.util

from adapters.analysis.models import SPACY_PACKAGE, ModelManager
from adapters.analysis.profiler import LEVELS_FILE
from application.ports.health import ProbeFailed
from domain.health import ComponentState

PACKAGES = (SPACY_PACKAGE, "harper", "errant", "lemminflect", "wordfreq", "lt_py", "lingotweaker_data_en")


class AnalysisEngineProbe:
    """UP once the models are loaded, or while everything they load from is installed (they load on first
    use); DOWN when a model package or the vocabulary file is missing. Never loads a model itself."""

    name = "models.analysis"
    kind = "model"

    def __init__(self, models: ModelManager, required: bool = True) -> None:
        self._models = models
        self.required = required

    async def check(self) -> ComponentState:
        if self._models.loaded:
            return ComponentState.UP
        missing = [p for p in PACKAGES if importlib.util.find_spec(p) is None]
        if missing:
            raise ProbeFailed(f"not installed: {', '.join(missing)}")
        if not LEVELS_FILE.is_file():
            raise ProbeFailed(f"vocabulary levels missing: {LEVELS_FILE.name}")
        return ComponentState.UP
