"""Rate limits with the `limits` library: a moving window per scope, in Redis when configured, else memory."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import structlog
from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from adapters.observability.metrics import Metrics
from application.ports.rate_limit import RateDecision

log = structlog.get_logger(__name__)


def rate_limit_storage(redis_url: str | None) -> Storage:
    if redis_url:
        # redis-py, the engine's Redis client: the limits library's default (coredis) takes no socket_timeout,
        # so every call failed and the limits never applied while Redis was configured.
        return RedisStorage(redis_url.replace("redis://", "async+redis://", 1), implementation="redispy",
                            socket_timeout=0.5)
    return MemoryStorage()


class LimitsRateLimiter:
    """A storage failure lets calls through (fail open) for `retry_after_seconds` without touching the
    storage, and is logged once until storage recovers: an outage of the limiter must not become an
    outage, or a slowdown, of the engine."""

    def __init__(
        self, storage: Storage, rates: dict[str, str], metrics: Metrics | None = None,
        retry_after_seconds: float = 5.0, clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limiter = MovingWindowRateLimiter(storage)
        self._rates: dict[str, list[RateLimitItem]] = {scope: parse_many(rate) for scope, rate in rates.items()}
        self._metrics = metrics
        self._retry_after = retry_after_seconds
        self._clock = clock
        self._storage_down = False
        self._skip_until = 0.0

    async def hit(self, scope: str, identity: str, cost: int = 1) -> RateDecision:
        limits = self._rates.get(scope, [])
        if not limits or (self._storage_down and self._clock() < self._skip_until):
            return RateDecision(allowed=True)
        try:
            if cost > 1:  # all or nothing: a refused batch uses up none of the window
                for item in limits:
                    if not await self._limiter.test(item, scope, identity, cost=cost):
                        return await self._refusal(item, scope, identity)
            for item in limits:
                if not await self._limiter.hit(item, scope, identity, cost=cost):
                    return await self._refusal(item, scope, identity)
        except Exception as exc:  # any storage failure: fail open, see class docstring
            if not self._storage_down:
                log.warning("rate_limit_storage_down", error=f"{type(exc).__name__}: {exc}")
                self._storage_down = True
            self._skip_until = self._clock() + self._retry_after
            return RateDecision(allowed=True)
        if self._storage_down:
            log.info("rate_limit_storage_recovered")
            self._storage_down = False
        return RateDecision(allowed=True)

    async def _refusal(self, item: RateLimitItem, scope: str, identity: str) -> RateDecision:
        stats = await self._limiter.get_window_stats(item, scope, identity)
        if self._metrics:
            self._metrics.rate_limited.labels(scope).inc()
        return RateDecision(allowed=False, retry_after_seconds=max(1, math.ceil(stats.reset_time - time.time())),
                            available=max(0, stats.remaining))
