from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, gql, make_settings


def test_liveness_needs_no_key(client: TestClient) -> None:
    response = client.get("/health", headers={"x-api-key": ""})
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_readiness_lists_every_component_with_status_and_latency(client: TestClient) -> None:
    response = client.get("/health/ready")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ready"
    components = {c["name"]: c for c in body["components"]}
    assert {"database", "cache.disk", "cache.redis", "queue", "provider.gemini", "provider.openai",
            "provider.azure_speech"} <= components.keys()
    assert components["database"]["status"] == "up" and components["database"]["latencyMs"] >= 0
    assert components["provider.gemini"]["status"] == "unconfigured"
    assert components["cache.redis"]["status"] == "unconfigured"


def test_readiness_is_503_when_a_required_component_is_down(tmp_path: Path, clean_env: None) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be")
    settings = make_settings(tmp_path, database={"url": f"sqlite+aiosqlite:///{blocker}/engine.db",
                                                 "auto_migrate": False})
    with TestClient(create_app(settings)) as client:
        response = client.get("/health/ready")
    assert response.status_code == 503
    database = next(c for c in response.json()["components"] if c["name"] == "database")
    assert database["status"] == "down" and database["detail"]


def test_metrics_expose_request_counts_on_our_registry(client: TestClient) -> None:
    gql(client, "{ health }")
    text = client.get("/metrics").text
    assert 'englivo_http_requests_total{method="POST",route="/graphql",status="200"} 1.0' in text
    assert "englivo_graphql_operations_total" in text


def test_a_graphql_call_with_a_key_answers_and_the_request_id_comes_back(client: TestClient) -> None:
    response = gql(client, "{ health }", headers={"x-request-id": "orchestrator-42"})
    assert response.json() == {"data": {"health": "ok"}}
    assert response.headers["x-request-id"] == "orchestrator-42"
    assert len(gql(client, "{ health }").headers["x-request-id"]) == 32


def test_rotated_keys_are_all_accepted(client: TestClient) -> None:
    assert gql(client, "{ health }", headers={"x-api-key": "rotated-key-0123456789"}).status_code == 200


def test_a_call_without_a_key_is_refused_with_a_typed_error(client: TestClient) -> None:
    for headers in ({"x-api-key": ""}, {"x-api-key": "wrong"}):
        response = gql(client, "{ health }", headers=headers)
        assert response.status_code == 401
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "UNAUTHENTICATED"
        assert error["extensions"]["field"] == "X-API-Key"
        assert response.json()["data"] is None


def test_graphiql_page_loads_without_a_key_but_queries_over_get_need_one(client: TestClient) -> None:
    page = client.get("/graphql", headers={"accept": "text/html", "x-api-key": ""})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    query = client.get("/graphql", params={"query": "{ health }"}, headers={"x-api-key": ""})
    assert query.status_code == 401


def test_each_api_key_has_a_rate_limit_with_retry_after(tmp_path: Path, clean_env: None) -> None:
    settings = make_settings(tmp_path, security={"api_keys": [API_KEY], "rate_limit_per_key": "2/minute"})
    with TestClient(create_app(settings), headers={"x-api-key": API_KEY}) as client:
        statuses = [gql(client, "{ health }").status_code for _ in range(3)]
        refused = gql(client, "{ health }")
    assert statuses == [200, 200, 429]
    error = refused.json()["errors"][0]["extensions"]
    assert error["code"] == "RATE_LIMITED" and error["retryAfterSeconds"] >= 1
    assert int(refused.headers["retry-after"]) == error["retryAfterSeconds"]


def test_cors_preflight_allows_configured_origins(tmp_path: Path, clean_env: None) -> None:
    settings = make_settings(tmp_path, security={"api_keys": [API_KEY], "cors_origins": ["https://app.englivo.test"]})
    with TestClient(create_app(settings)) as client:
        response = client.options("/graphql", headers={
            "origin": "https://app.englivo.test", "access-control-request-method": "POST",
            "access-control-request-headers": "x-api-key,content-type"})
    assert response.headers["access-control-allow-origin"] == "https://app.englivo.test"


def test_large_responses_are_gzipped(client: TestClient) -> None:
    response = client.get("/metrics", headers={"accept-encoding": "gzip"})
    assert response.headers.get("content-encoding") == "gzip"
