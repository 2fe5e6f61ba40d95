"""One real graphql-transport-ws subscription through Starlette's websocket support, watching a real job
that the in-process queue runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dependency_injector import providers
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from application.use_cases.job_submission import SubmitJobCommand
from entrypoints.container import build_container
from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, make_settings
from tests.fakes.jobs import GatedHandler

PROTOCOL = ["graphql-transport-ws"]


@pytest.fixture
def handler() -> GatedHandler:
    return GatedHandler()


@pytest.fixture
def jobs_client(tmp_path: Path, clean_env: None, handler: GatedHandler) -> Iterator[TestClient]:
    settings = make_settings(tmp_path)
    container = build_container(settings)
    container.job_handlers.override(providers.Object({handler.kind: handler}))
    with TestClient(create_app(settings, container), headers={"x-api-key": API_KEY}) as client:
        yield client


def submit(client: TestClient, text: str) -> str:
    container = client.app.state.container  # type: ignore[attr-defined]
    command = SubmitJobCommand(kind="gated", payload={"text": text}, user_id="learner-1")
    return client.portal.call(container.submit_job().execute, command).id  # type: ignore[union-attr]


def test_a_subscriber_sees_the_job_run_and_succeed(jobs_client: TestClient, handler: GatedHandler) -> None:
    portal = jobs_client.portal
    assert portal is not None
    gate = portal.call(_make_gate, handler)
    job_id = submit(jobs_client, "I am student")
    query = f'subscription {{ jobUpdates(id: "{job_id}") {{ id status progress result }} }}'
    with jobs_client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        ws.send_json({"type": "connection_init", "payload": {"apiKey": API_KEY}})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "s1", "type": "subscribe", "payload": {"query": query}})
        seen = [ws.receive_json()["payload"]["data"]["jobUpdates"]]
        while seen[-1]["progress"] < 0.5:
            seen.append(ws.receive_json()["payload"]["data"]["jobUpdates"])
        portal.call(gate.set)
        while seen[-1]["status"] != "SUCCEEDED":
            seen.append(ws.receive_json()["payload"]["data"]["jobUpdates"])
        assert ws.receive_json() == {"id": "s1", "type": "complete"}
    statuses = [s["status"] for s in seen]
    assert "RUNNING" in statuses and statuses[-1] == "SUCCEEDED"
    assert seen[-1]["progress"] == 1.0 and seen[-1]["result"] == {"echo": "I am student", "words": 3}


async def _make_gate(handler: GatedHandler) -> object:
    return handler.gate()


def test_subscribing_to_an_unknown_job_gives_a_typed_error(client: TestClient) -> None:
    query = 'subscription { jobUpdates(id: "job-1") { id } }'
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        ws.send_json({"type": "connection_init", "payload": {"apiKey": API_KEY}})
        ws.receive_json()
        ws.send_json({"id": "s1", "type": "subscribe", "payload": {"query": query}})
        message = ws.receive_json()
    assert message["type"] in ("error", "next")
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "NOT_FOUND" and errors[0]["extensions"]["field"] == "id"


def test_a_websocket_without_a_key_is_refused(client: TestClient) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        client.websocket_connect("/graphql", subprotocols=PROTOCOL, headers={"x-api-key": ""}) as ws,
    ):
        ws.send_json({"type": "connection_init", "payload": {"apiKey": "wrong"}})
        ws.receive_json()
    assert closed.value.code == 4403
