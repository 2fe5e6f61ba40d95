"""The two cache tiers against real Redis servers: the shared one, and private ones a test may stop."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis
from structlog.testing import capture_logs

from adapters.cache import (
    CacheBackendError,
    DiskCache,
    RedisCache,
    RedisProbe,
    TieredCache,
    redis_client,
)
from adapters.observability.metrics import Metrics
from domain.health import ComponentState
from tests.redis_server import RedisServer

pytestmark = pytest.mark.integration

MB = 1024 * 1024
RETRY_AFTER = 5.0


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def sample(metrics: Metrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, labels)


def events(logs: Sequence[MutableMapping[str, Any]], name: str) -> list[MutableMapping[str, Any]]:
    return [entry for entry in logs if entry["event"] == name]


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[DiskCache]:
    cache = DiskCache(tmp_path / "disk", 10 * MB)
    try:
        yield cache
    finally:
        cache.close()


@pytest.fixture
async def shared_client(redis_url: str, key_prefix: str) -> AsyncIterator[aioredis.Redis]:
    client = redis_client(redis_url, socket_timeout=2.0)
    try:
        yield client
    finally:
        keys = [key async for key in client.scan_iter(match=f"{key_prefix}:*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


@pytest.fixture
async def private_client(private_redis: RedisServer) -> AsyncIterator[aioredis.Redis]:
    client = redis_client(private_redis.url, socket_timeout=0.5)
    try:
        yield client
    finally:
        await client.aclose()


async def test_set_writes_both_tiers(disk: DiskCache, shared_client: aioredis.Redis, key_prefix: str) -> None:
    cache = TieredCache(disk, RedisCache(shared_client), Metrics())
    key = f"{key_prefix}:both"

    await cache.set(key, b"value", 60)

    assert await shared_client.get(key) == b"value"
    assert 0 < await shared_client.ttl(key) <= 60
    assert await disk.get(key) == b"value"
    assert await cache.get(key) == b"value"


async def test_a_disk_hit_is_promoted_to_redis_with_its_remaining_ttl(
    disk: DiskCache, shared_client: aioredis.Redis, key_prefix: str
) -> None:
    metrics = Metrics()
    cache = TieredCache(disk, RedisCache(shared_client), metrics)
    key = f"{key_prefix}:promote"
    await disk.set(key, b"from-disk", 100)

    assert await cache.get(key) == b"from-disk"

    assert await shared_client.get(key) == b"from-disk"
    assert 0 < await shared_client.ttl(key) <= 100
    assert sample(metrics, "englivo_cache_requests_total", tier="redis", outcome="miss") == 1
    assert sample(metrics, "englivo_cache_requests_total", tier="disk", outcome="hit") == 1

    assert await cache.get(key) == b"from-disk"
    assert sample(metrics, "englivo_cache_requests_total", tier="redis", outcome="hit") == 1
    assert sample(metrics, "englivo_cache_requests_total", tier="disk", outcome="hit") == 1


async def test_a_disk_entry_without_expiry_is_promoted_without_expiry(
    disk: DiskCache, shared_client: aioredis.Redis, key_prefix: str
) -> None:
    cache = TieredCache(disk, RedisCache(shared_client))
    key = f"{key_prefix}:forever"
    await disk.set(key, b"v", None)

    assert await cache.get(key) == b"v"

    assert await shared_client.ttl(key) == -1


async def test_a_miss_in_both_tiers_is_counted_per_tier(
    disk: DiskCache, shared_client: aioredis.Redis, key_prefix: str
) -> None:
    metrics = Metrics()
    cache = TieredCache(disk, RedisCache(shared_client), metrics)

    assert await cache.get(f"{key_prefix}:nothing") is None

    assert sample(metrics, "englivo_cache_requests_total", tier="redis", outcome="miss") == 1
    assert sample(metrics, "englivo_cache_requests_total", tier="disk", outcome="miss") == 1
    assert await shared_client.exists(f"{key_prefix}:nothing") == 0


async def test_delete_removes_both_tiers(
    disk: DiskCache, shared_client: aioredis.Redis, key_prefix: str
) -> None:
    cache = TieredCache(disk, RedisCache(shared_client))
    key = f"{key_prefix}:gone"
    await cache.set(key, b"value", None)

    await cache.delete(key)

    assert await shared_client.exists(key) == 0
    assert await disk.get(key) is None
    assert await cache.get(key) is None


async def test_ttl_zero_stores_nothing_in_either_tier(
    disk: DiskCache, shared_client: aioredis.Redis, key_prefix: str
) -> None:
    cache = TieredCache(disk, RedisCache(shared_client))
    key = f"{key_prefix}:zero"

    await cache.set(key, b"value", 0)

    assert await shared_client.exists(key) == 0
    assert await disk.get(key) is None


async def test_redis_outage_degrades_to_disk_and_recovers(
    disk: DiskCache, private_redis: RedisServer, private_client: aioredis.Redis
) -> None:
    metrics = Metrics()
    clock = FakeClock()
    cache = TieredCache(disk, RedisCache(private_client), metrics, RETRY_AFTER, clock)
    await cache.set("kept", b"value", 60)
    assert await private_client.get("kept") == b"value"
    assert sample(metrics, "englivo_cache_tier_up", tier="redis") == 1

    private_redis.stop()
    with capture_logs() as logs:
        assert await cache.get("kept") == b"value"
        for i in range(50):
            await cache.set(f"k{i}", b"x", 60)
            assert await cache.get(f"k{i}") == b"x"
            await cache.delete(f"k{i}")
            assert await cache.get(f"k{i}") is None

    down = events(logs, "cache_tier_down")
    assert len(down) == 1
    assert down[0]["tier"] == "redis"
    assert down[0]["log_level"] == "warning"
    assert "error" in down[0]
    assert not cache.redis_up
    assert sample(metrics, "englivo_cache_tier_up", tier="redis") == 0
    # one failed attempt, then the tier is skipped: no connection per call, so no timeout per call
    assert sample(metrics, "englivo_cache_requests_total", tier="redis", outcome="error") == 1
    assert sample(metrics, "englivo_cache_requests_total", tier="disk", outcome="hit") == 51

    with capture_logs() as logs:
        clock.advance(RETRY_AFTER)
        assert await cache.get("kept") == b"value"  # the retry, still failing
        await cache.set("still-down", b"x", 60)  # skipped again
    assert events(logs, "cache_tier_down") == []
    assert sample(metrics, "englivo_cache_requests_total", tier="redis", outcome="error") == 2

    private_redis.start()
    await cache.set("before-retry", b"x", 60)
    assert await private_client.get("before-retry") is None  # not tried until retry_after has passed

    clock.advance(RETRY_AFTER)
    with capture_logs() as logs:
        await cache.set("after", b"back", 60)
        assert await cache.get("after") == b"back"
        await cache.set("again", b"more", 60)

    recovered = events(logs, "cache_tier_recovered")
    assert len(recovered) == 1
    assert recovered[0]["tier"] == "redis"
    assert recovered[0]["log_level"] == "info"
    assert cache.redis_up
    assert sample(metrics, "englivo_cache_tier_up", tier="redis") == 1
    assert await private_client.get("after") == b"back"
    assert await private_client.get("again") == b"more"
    # what the restarted (empty) server lost comes back on the next disk hit
    assert await cache.get("kept") == b"value"
    assert await private_client.get("kept") == b"value"


async def test_a_broken_disk_degrades_to_a_miss(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    metrics = Metrics()
    cache = TieredCache(DiskCache(blocker, 10 * MB), None, metrics, RETRY_AFTER, FakeClock())

    with capture_logs() as logs:
        for _ in range(10):
            await cache.set("k", b"v", 60)
            assert await cache.get("k") is None
            await cache.delete("k")

    down = events(logs, "cache_tier_down")
    assert [entry["tier"] for entry in down] == ["disk"]
    assert not cache.disk_up
    assert not cache.redis_up
    assert sample(metrics, "englivo_cache_tier_up", tier="disk") == 0
    assert sample(metrics, "englivo_cache_requests_total", tier="disk", outcome="error") == 1


async def test_redis_keeps_serving_when_the_disk_breaks(
    tmp_path: Path, shared_client: aioredis.Redis, key_prefix: str
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    cache = TieredCache(DiskCache(blocker, 10 * MB), RedisCache(shared_client), Metrics(), clock=FakeClock())
    key = f"{key_prefix}:redis-only"

    await cache.set(key, b"v", 60)

    assert await cache.get(key) == b"v"
    assert cache.redis_up
    assert not cache.disk_up


async def test_redis_probe_is_up_against_a_live_server(shared_client: aioredis.Redis) -> None:
    probe = RedisProbe(shared_client)

    assert (probe.name, probe.kind, probe.required) == ("cache.redis", "cache", False)
    assert await probe.check() is ComponentState.UP
    assert await RedisProbe(RedisCache(shared_client), name="queue.redis", required=True).check() is (
        ComponentState.UP
    )


async def test_redis_probe_raises_when_the_server_is_down(
    private_redis: RedisServer, private_client: aioredis.Redis
) -> None:
    probe = RedisProbe(private_client)
    assert await probe.check() is ComponentState.UP

    private_redis.stop()

    with pytest.raises(CacheBackendError, match="redis ping failed"):
        await probe.check()
