"""The Redis tier. Every failure becomes CacheBackendError; the tiered cache decides what that means."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from adapters.cache.errors import CacheBackendError

T = TypeVar("T")

_REDIS_ERRORS = (RedisError, OSError, TimeoutError)


def redis_client(url: str, socket_timeout: float) -> aioredis.Redis:
    """A client that fails fast: bounded connect and command time, no retries that would stall a request."""
    client: aioredis.Redis = aioredis.Redis.from_url(
        url,
        socket_connect_timeout=socket_timeout,
        socket_timeout=socket_timeout,
        retry=Retry(NoBackoff(), 0),
        health_check_interval=0,
        decode_responses=False,
    )
    return client


class RedisCache:
    """Bytes in Redis. A `ttl_seconds` of 0 or less stores nothing and removes an older value."""

    def __init__(self, client: aioredis.Redis) -> None:
        self._client = client

    @property
    def client(self) -> aioredis.Redis:
        return self._client

    async def get(self, key: str) -> bytes | None:
        value = await self._run("get", self._client.get(key))
        if value is None:
            return None
        return value.encode() if isinstance(value, str) else bytes(value)

    async def set(self, key: str, value: bytes, ttl_seconds: int | None) -> None:
        if ttl_seconds is None:
            await self._run("set", self._client.set(key, value))
        elif ttl_seconds <= 0:
            await self.delete(key)
        else:
            await self._run("set", self._client.setex(key, ttl_seconds, value))

    async def delete(self, key: str) -> None:
        await self._run("delete", self._client.delete(key))

    async def ping(self) -> None:
        if not await self._run("ping", self._client.ping()):
            raise CacheBackendError("redis", "ping", RuntimeError("PING got no PONG"))

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _run(self, operation: str, command: Awaitable[T]) -> T:
        try:
            return await command
        except _REDIS_ERRORS as exc:
            raise CacheBackendError("redis", operation, exc) from exc
