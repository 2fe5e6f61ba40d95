"""/metrics stays bounded whatever clients send, websockets are counted as what they are, and a client's own
mistakes are logged once at info (not as errors with a traceback)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from structlog.testing import capture_logs

from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, gql, make_settings

PROTOCOL = ["graphql-transport-ws"]


def operation_names(metrics: str) -> set[str]:
    return set(re.findall(r'englivo_graphql_operations_total\{[^}]*operation_name="([^"]*)"', metrics))


def test_operation_names_chosen_by_clients_cannot_grow_the_metrics_page(tmp_path: Path, clean_env: None) -> None:
    settings = make_settings(tmp_path, observability={"metrics_max_operation_names": 5})
    with TestClient(create_app(settings), headers={"x-api-key": API_KEY}) as client:
        gql(client, "query Warmup { health }")
        before = len(client.get("/metrics").content)
        for number in range(200):
            gql(client, f"query Long{number}_{'x' * 200} {{ health }}")  # longer than a name label may be
        for number in range(20):
            gql(client, f"query Page{number} {{ health }}")  # well-formed, but more than the 5 kept
        metrics = client.get("/metrics").text
    assert operation_names(metrics) == {"Warmup", "Page0", "Page1", "Page2", "Page3", "other"}
    assert len(metrics.encode()) - before < 5_000, "220 new names added a few lines at most"


def test_an_http_method_outside_http_is_counted_as_other(client: TestClient) -> None:
    assert client.request("BREW", "/graphql").status_code == 405
    metrics = client.get("/metrics").text
    assert 'englivo_http_requests_total{method="other",route="/graphql",status="405"} 1.0' in metrics
    assert "BREW" not in metrics


def test_websockets_count_as_switching_protocols_and_a_refusal_logs_its_close_code(client: TestClient) -> None:
    with capture_logs() as logs:
        with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
            ws.send_json({"type": "connection_init", "payload": {"apiKey": API_KEY}})
            assert ws.receive_json()["type"] == "connection_ack"
        with (
            pytest.raises(WebSocketDisconnect),
            client.websocket_connect("/graphql", subprotocols=PROTOCOL, headers={"x-api-key": ""}) as ws,
        ):
            ws.send_json({"type": "connection_init", "payload": {"apiKey": "wrong"}})
            ws.receive_json()
    metrics = client.get("/metrics").text
    assert 'englivo_http_requests_total{method="WS",route="/graphql",status="101"} 2.0' in metrics
    assert 'method="WS",route="/graphql",status="500"' not in metrics
    requests = [entry for entry in logs if entry["event"] == "request" and entry["method"] == "WS"]
    assert [entry["status"] for entry in requests] == [101, 101]
    assert requests[1]["close_code"] == 4403


def test_a_websocket_refused_before_it_is_accepted_counts_as_403(client: TestClient) -> None:
    two_keys = type(client.headers)([("x-api-key", API_KEY), ("x-api-key", API_KEY)])
    with (  # refused at the handshake
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect("/graphql", subprotocols=PROTOCOL, headers=two_keys),
    ):
        pass
    assert 'englivo_http_requests_total{method="WS",route="/graphql",status="403"} 1.0' in client.get("/metrics").text


def test_client_errors_are_logged_once_at_info_without_a_traceback(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with capture_logs() as logs:
        for number in range(3):
            with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
                ws.send_json({"type": "connection_init", "payload": {"apiKey": API_KEY}})
                ws.receive_json()
                query = f'subscription {{ jobUpdates(id: "missing-{number}") {{ id }} }}'
                ws.send_json({"id": "s1", "type": "subscribe", "payload": {"query": query}})
                message = ws.receive_json()
                assert message["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        body = gql(client, '{ jobs(userId: "learner-1", first: 500) { id } }').json()
        assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert [entry for entry in logs if entry["log_level"] not in ("info", "debug")] == []
    user_errors = [entry for entry in logs if entry["event"] == "graphql_user_error"]
    assert [(e["code"], e["field"]) for e in user_errors] == [("not_found", "id")] * 3 + [("invalid_input", "first")]
