"""Acceptance: Redis stops while the service runs. Calls still succeed (the cache serves from disk, rate
limits fail open), /health/ready reports Redis down, and the logs say so once, not per request."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient
from structlog.testing import capture_logs

from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, make_settings
from tests.redis_server import RedisServer

pytestmark = pytest.mark.integration
CALLS = 25


def redis_state(client: TestClient) -> tuple[int, str]:
    response = client.get("/health/ready")
    redis = next(c for c in response.json()["components"] if c["name"] == "cache.redis")
    return response.status_code, redis["status"]


def test_the_service_keeps_answering_when_redis_stops(
    tmp_path: Path, clean_env: None, private_redis: RedisServer
) -> None:
    settings = make_settings(tmp_path, redis={"url": private_redis.url, "retry_after_seconds": 60})
    with TestClient(create_app(settings), headers={"x-api-key": API_KEY}) as client:
        cache = client.app.state.container.cache()  # type: ignore[attr-defined]
        client.portal.call(cache.set, "analysis:v1:abc", b"stored result", 3600)  # type: ignore[union-attr]
        assert redis_state(client) == (200, "up")

        private_redis.stop()
        with capture_logs() as logs:
            answers = [client.post("/graphql", json={"query": "{ health }"}) for _ in range(CALLS)]
            cached = [client.portal.call(cache.get, "analysis:v1:abc") for _ in range(CALLS)]  # type: ignore[union-attr]
            readiness = [redis_state(client) for _ in range(3)]

    assert all(a.status_code == 200 and a.json() == {"data": {"health": "ok"}} for a in answers)
    assert cached == [b"stored result"] * CALLS, "the disk tier serves what Redis can no longer"
    assert readiness == [(200, "down")] * 3, "Redis is optional: reported down, the engine stays ready"
    counts = {name: sum(1 for entry in logs if entry["event"] == name)
              for name in ("cache_tier_down", "rate_limit_storage_down")}
    assert counts == {"cache_tier_down": 1, "rate_limit_storage_down": 1}
    down = sorted(entry["component"] for entry in logs if entry["event"] == "component_down")
    assert down == ["cache.redis", "queue"], "each component that went down is logged once (Redis is the broker too)"
