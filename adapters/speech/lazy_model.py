"""A model built on first use and shared by every thread after: the recognisers' model managers."""

from __future__ import annotations

import logging
import threading
import time
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

ModelT = TypeVar("ModelT")


class LazyModel(Generic[ModelT]):
    """`get()` builds the model with `_load()` the first time (one thread builds, the others wait) and returns
    the same object ever after. Building the manager costs nothing."""

    name = "model"

    def __init__(self) -> None:
        self._model: ModelT | None = None
        self._lock = threading.Lock()
        self.load_seconds: float | None = None

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def get(self) -> ModelT:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    started = time.perf_counter()
                    self._model = self._load()
                    self.load_seconds = time.perf_counter() - started
                    log.info("loaded %s in %.2fs", self.name, self.load_seconds)
        return self._model

    def _load(self) -> ModelT:
        raise NotImplementedError
