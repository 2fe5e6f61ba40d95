"""Errors the cache adapters raise. The tiered cache turns them into misses; probes let them through."""

from __future__ import annotations


class CacheError(Exception):
    """Base of the cache adapters' errors."""


class CacheBackendError(CacheError):
    """A cache backend (disk or Redis) failed or could not be reached."""

    def __init__(self, backend: str, operation: str, cause: BaseException) -> None:
        super().__init__(f"{backend} {operation} failed: {type(cause).__name__}: {cause}")
        self.backend = backend
        self.operation = operation
