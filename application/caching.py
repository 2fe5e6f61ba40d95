"""Cache keys and the read-through helper every capability uses."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from application.ports.cache import Cache

T = TypeVar("T")


def canonical_json(value: Any) -> bytes:
    """The same inputs give the same bytes whatever the dict order or float spelling."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def cache_key(prefix: str, version: str, inputs: Any) -> str:
    """`prefix:version:sha256(canonical inputs)`; bytes are hashed as they are (audio by content, not URL)."""
    payload = inputs if isinstance(inputs, bytes) else canonical_json(inputs)
    return f"{prefix}:{version}:{hashlib.sha256(payload).hexdigest()}"


async def cached(
    cache: Cache,
    key: str,
    ttl_seconds: int | None,
    compute: Callable[[], Awaitable[T]],
    encode: Callable[[T], bytes],
    decode: Callable[[bytes], T],
) -> T:
    """Read through the cache. A value that fails to decode counts as a miss and is recomputed;
    a failed computation stores nothing."""
    raw = await cache.get(key)
    if raw is not None:
        try:
            return decode(raw)
        except (ValueError, KeyError, TypeError):
            await cache.delete(key)
    value = await compute()
    await cache.set(key, encode(value), ttl_seconds)
    return value
