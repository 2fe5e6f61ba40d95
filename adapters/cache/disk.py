"""The disk tier: diskcache (SQLite plus files) behind the Cache port, off the event loop."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import diskcache

from adapters.cache.errors import CacheBackendError

T = TypeVar("T")

_DISK_ERRORS = (OSError, sqlite3.Error, diskcache.Timeout)
_PING_KEY = "englivo:ping"


class DiskCache:
    """Bytes on local disk with an optional time to live.

    The store is opened on first use, so building the object (at import or wiring time) touches no disk.
    A `ttl_seconds` of 0 or less means "expired at once": nothing is stored and an older value is removed.
    """

    def __init__(self, directory: Path, size_limit_bytes: int, *, timeout_seconds: float = 2.0) -> None:
        self._directory = directory
        self._size_limit = size_limit_bytes
        # diskcache waits 60 s on a locked database by default; a cache should give up much sooner.
        self._timeout = timeout_seconds
        self._cache: diskcache.Cache | None = None
        self._lock = threading.Lock()

    @property
    def directory(self) -> Path:
        return self._directory

    async def get(self, key: str) -> bytes | None:
        found = await self.get_with_ttl(key)
        return None if found is None else found[0]

    async def get_with_ttl(self, key: str) -> tuple[bytes, float | None] | None:
        """The value and its remaining lifetime in seconds (None: it never expires), or None on a miss."""

        def read(cache: diskcache.Cache) -> tuple[bytes, float | None] | None:
            value, expire_time = cache.get(key, default=None, expire_time=True)
            if not isinstance(value, bytes):
                return None
            return value, None if expire_time is None else expire_time - time.time()

        return await self._run("get", read)

    async def set(self, key: str, value: bytes, ttl_seconds: int | None) -> None:
        if ttl_seconds is not None and ttl_seconds <= 0:
            await self.delete(key)
            return
        await self._run("set", lambda cache: cache.set(key, value, expire=ttl_seconds))

    async def delete(self, key: str) -> None:
        await self._run("delete", lambda cache: cache.delete(key))

    async def ping(self) -> None:
        """A real write and read back, so a full or read-only disk shows up."""
        token = uuid.uuid4().bytes

        def round_trip(cache: diskcache.Cache) -> bool:
            cache.set(_PING_KEY, token, expire=60)
            return bool(cache.get(_PING_KEY) == token)

        if not await self._run("ping", round_trip):
            raise CacheBackendError("disk", "ping", RuntimeError("read back a different value"))

    def close(self) -> None:
        with self._lock:
            if self._cache is not None:
                self._cache.close()
                self._cache = None

    async def _run(self, operation: str, call: Callable[[diskcache.Cache], T]) -> T:
        def blocking() -> T:
            return call(self._open())

        try:
            return await asyncio.to_thread(blocking)
        except _DISK_ERRORS as exc:
            raise CacheBackendError("disk", operation, exc) from exc

    def _open(self) -> diskcache.Cache:
        with self._lock:
            if self._cache is None:
                self._cache = diskcache.Cache(
                    str(self._directory), size_limit=self._size_limit, timeout=self._timeout
                )
            return self._cache

