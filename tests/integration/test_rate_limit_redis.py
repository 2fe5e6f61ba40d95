"""Rate limits kept in the real Redis apply: one count for every process of the engine."""

from __future__ import annotations

import uuid

import pytest
from structlog.testing import capture_logs

from adapters.security.rate_limit import LimitsRateLimiter, rate_limit_storage

pytestmark = pytest.mark.integration


async def test_limits_kept_in_redis_refuse_past_the_rate_and_count_a_batch_s_items(redis_url: str) -> None:
    limiter = LimitsRateLimiter(rate_limit_storage(redis_url), {"user": "3/minute"})
    learner = f"learner-{uuid.uuid4().hex}"
    with capture_logs() as logs:
        refused_batch = await limiter.hit("user", learner, cost=4)
        decisions = [await limiter.hit("user", learner) for _ in range(4)]
    assert [e["event"] for e in logs] == []  # the storage answered: no fail-open
    assert (refused_batch.allowed, refused_batch.available) == (False, 3)
    assert [d.allowed for d in decisions] == [True, True, True, False]
    again = LimitsRateLimiter(rate_limit_storage(redis_url), {"user": "3/minute"})  # another engine process
    assert not (await again.hit("user", learner)).allowed
