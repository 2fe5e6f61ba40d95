from limits.aio.storage import MemoryStorage

from adapters.observability.metrics import Metrics
from adapters.security.api_keys import ApiKeyRing
from adapters.security.rate_limit import LimitsRateLimiter


def test_any_of_several_keys_is_accepted_and_identified_without_revealing_it() -> None:
    ring = ApiKeyRing(["old-key", "new-key"])
    old, new = ring.identify("old-key"), ring.identify("new-key")
    assert old and new and old != new
    assert "key" not in old
    assert ring.identify("wrong") is None and ring.identify(None) is None and ring.identify("") is None


def test_an_empty_ring_accepts_nothing() -> None:
    assert ApiKeyRing([]).identify("anything") is None


async def test_the_limit_refuses_the_call_past_the_rate_with_a_retry_after() -> None:
    metrics = Metrics()
    limiter = LimitsRateLimiter(MemoryStorage(), {"user": "2/minute"}, metrics)
    decisions = [await limiter.hit("user", "u1") for _ in range(3)]
    assert [d.allowed for d in decisions] == [True, True, False]
    assert 1 <= decisions[-1].retry_after_seconds <= 60
    assert (await limiter.hit("user", "u2")).allowed, "each identity has its own bucket"
    assert metrics.registry.get_sample_value("englivo_rate_limited_total", {"scope": "user"}) == 1


async def test_a_scope_without_a_rate_is_unlimited() -> None:
    limiter = LimitsRateLimiter(MemoryStorage(), {})
    assert all([(await limiter.hit("api_key", "k")).allowed for _ in range(50)])


async def test_a_cost_counts_as_that_many_calls_all_or_nothing() -> None:
    limiter = LimitsRateLimiter(MemoryStorage(), {"user": "5/minute;8/hour"})
    refused = await limiter.hit("user", "u1", cost=6)
    assert (refused.allowed, refused.available) == (False, 5) and refused.retry_after_seconds > 0
    assert (await limiter.hit("user", "u1", cost=5)).allowed  # the refusal counted nothing
    assert (await limiter.hit("user", "u1", cost=2)).available == 0
    assert (await limiter.hit("user", "u2", cost=5)).allowed
