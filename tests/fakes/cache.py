"""An in-memory Cache port for unit tests: a dict with lifetimes on an injected clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    value: bytes
    ttl_seconds: int | None
    expires_at: float | None


class InMemoryCache:
    def __init__(self, clock: Callable[[], float] = lambda: 0.0) -> None:
        self._clock = clock
        self.entries: dict[str, Entry] = {}

    async def get(self, key: str) -> bytes | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        if entry.expires_at is not None and self._clock() >= entry.expires_at:
            del self.entries[key]
            return None
        return entry.value

    async def set(self, key: str, value: bytes, ttl_seconds: int | None) -> None:
        if ttl_seconds is not None and ttl_seconds <= 0:
            self.entries.pop(key, None)
            return
        expires_at = None if ttl_seconds is None else self._clock() + ttl_seconds
        self.entries[key] = Entry(value, ttl_seconds, expires_at)

    async def delete(self, key: str) -> None:
        self.entries.pop(key, None)
