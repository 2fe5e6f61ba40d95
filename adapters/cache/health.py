"""Readiness probes for the cache tiers. Each does a real round trip, so readiness shows the truth
even while the tiered cache is still skipping a tier it last saw down."""

from __future__ import annotations

import redis.asyncio as aioredis

from adapters.cache.disk import DiskCache
from adapters.cache.redis import RedisCache
from domain.health import ComponentState


class DiskCacheProbe:
    kind = "cache"

    def __init__(self, disk: DiskCache, name: str = "cache.disk", required: bool = True) -> None:
        self._disk = disk
        self.name = name
        self.required = required

    async def check(self) -> ComponentState:
        await self._disk.ping()
        return ComponentState.UP


class RedisProbe:
    kind = "cache"

    def __init__(
        self, target: aioredis.Redis | RedisCache, name: str = "cache.redis", required: bool = False
    ) -> None:
        self._redis = target if isinstance(target, RedisCache) else RedisCache(target)
        self.name = name
        self.required = required

    async def check(self) -> ComponentState:
        await self._redis.ping()
        return ComponentState.UP
