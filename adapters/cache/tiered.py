"""Redis in front of disk. A failing tier is skipped for a while and costs a miss, never an error."""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Final, TypeVar

import structlog

from adapters.cache.disk import DiskCache
from adapters.cache.redis import RedisCache
from adapters.observability.metrics import Metrics

T = TypeVar("T")

log = structlog.get_logger(__name__)


class _Skipped(Enum):
    SKIPPED = "skipped"


SKIPPED: Final = _Skipped.SKIPPED


class TierBreaker:
    """Up/down state of one tier. Down after a failure; then skipped until `retry_after` has passed,
    when a single call is let through to try it again. Logs once per change, not once per request."""

    def __init__(
        self, tier: str, metrics: Metrics | None, retry_after: float, clock: Callable[[], float]
    ) -> None:
        self.tier = tier
        self._metrics = metrics
        self._retry_after = retry_after
        self._clock = clock
        self._down_since: float | None = None
        self._trial_running = False
        if metrics is not None:
            metrics.set_tier_up(tier, True)

    @property
    def up(self) -> bool:
        return self._down_since is None

    async def attempt(self, call: Callable[[], Awaitable[T]]) -> T | _Skipped:
        """The call's result, or SKIPPED when the tier is down or the call failed."""
        if not self._admit():
            return SKIPPED
        trial = self._down_since is not None
        if trial:
            self._trial_running = True
        try:
            result = await call()
        # The Cache port never raises: an unexpected error from a tier is still just a failed tier.
        except Exception as exc:
            self._failed(exc)
            return SKIPPED
        finally:
            if trial:
                self._trial_running = False
        self._succeeded()
        return result

    def count(self, outcome: str) -> None:
        if self._metrics is not None:
            self._metrics.count_cache(self.tier, outcome)

    def _admit(self) -> bool:
        if self._down_since is None:
            return True
        return not self._trial_running and self._clock() - self._down_since >= self._retry_after

    def _failed(self, exc: Exception) -> None:
        self.count("error")
        was_up = self._down_since is None
        self._down_since = self._clock()
        if was_up:
            log.warning("cache_tier_down", tier=self.tier, error=str(exc), retry_after_s=self._retry_after)
            if self._metrics is not None:
                self._metrics.set_tier_up(self.tier, False)

    def _succeeded(self) -> None:
        if self._down_since is None:
            return
        self._down_since = None
        log.info("cache_tier_recovered", tier=self.tier)
        if self._metrics is not None:
            self._metrics.set_tier_up(self.tier, True)


class TieredCache:
    """The Cache port over Redis (optional, first) and disk (second).

    A disk hit found after a Redis miss is copied to Redis with the disk entry's remaining lifetime,
    rounded up to whole seconds; an entry that never expires on disk never expires in Redis either.
    Hits and misses are counted per tier on reads; errors on any operation.
    """

    def __init__(
        self,
        disk: DiskCache,
        redis: RedisCache | None,
        metrics: Metrics | None = None,
        retry_after_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._disk = disk
        self._redis = redis
        self._disk_tier = TierBreaker("disk", metrics, retry_after_seconds, clock)
        self._redis_tier = (
            TierBreaker("redis", metrics, retry_after_seconds, clock) if redis is not None else None
        )

    @property
    def redis_up(self) -> bool:
        return self._redis_tier is not None and self._redis_tier.up

    @property
    def disk_up(self) -> bool:
        return self._disk_tier.up

    async def get(self, key: str) -> bytes | None:
        redis, redis_tier = self._redis, self._redis_tier
        redis_missed = False
        if redis is not None and redis_tier is not None:
            found = await redis_tier.attempt(lambda: redis.get(key))
            if found is not SKIPPED:
                redis_tier.count("miss" if found is None else "hit")
                if found is not None:
                    return found
                redis_missed = True

        on_disk = await self._disk_tier.attempt(lambda: self._disk.get_with_ttl(key))
        if on_disk is SKIPPED:
            return None
        self._disk_tier.count("miss" if on_disk is None else "hit")
        if on_disk is None:
            return None
        value, remaining = on_disk
        if redis_missed and (remaining is None or remaining > 0):
            await self._write_redis(key, value, None if remaining is None else math.ceil(remaining))
        return value

    async def set(self, key: str, value: bytes, ttl_seconds: int | None) -> None:
        await self._disk_tier.attempt(lambda: self._disk.set(key, value, ttl_seconds))
        await self._write_redis(key, value, ttl_seconds)

    async def delete(self, key: str) -> None:
        # Disk first: a read between the two steps then finds nothing on disk to promote back.
        await self._disk_tier.attempt(lambda: self._disk.delete(key))
        redis, redis_tier = self._redis, self._redis_tier
        if redis is not None and redis_tier is not None:
            await redis_tier.attempt(lambda: redis.delete(key))

    async def _write_redis(self, key: str, value: bytes, ttl_seconds: int | None) -> None:
        redis, redis_tier = self._redis, self._redis_tier
        if redis is not None and redis_tier is not None:
            await redis_tier.attempt(lambda: redis.set(key, value, ttl_seconds))
