from __future__ import annotations

from typing import Protocol


class Cache(Protocol):
    """Bytes by key with a time to live. Implementations never raise on a backend failure: a miss instead."""

    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_seconds: int | None) -> None: ...

    async def delete(self, key: str) -> None: ...
