"""Cache adapters: disk (diskcache), Redis, and the two tiers together."""

from adapters.cache.disk import DiskCache
from adapters.cache.errors import CacheBackendError, CacheError
from adapters.cache.health import DiskCacheProbe, RedisProbe
from adapters.cache.redis import RedisCache, redis_client
from adapters.cache.tiered import TierBreaker, TieredCache

__all__ = [
    "CacheBackendError",
    "CacheError",
    "DiskCache",
    "DiskCacheProbe",
    "RedisCache",
    "RedisProbe",
    "TierBreaker",
    "TieredCache",
    "redis_client",
]
