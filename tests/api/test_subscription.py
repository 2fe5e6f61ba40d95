"""One real graphql-transport-ws subscription through Starlette's websocket support."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from application.use_cases.jobs import JobUpdate
from domain.jobs import Job, JobStatus
from tests.api.conftest import API_KEY

PROTOCOL = ["graphql-transport-ws"]
SUBSCRIPTION = 'subscription { jobUpdates(id: "job-1") { id status progress result } }'


def add_job(client: TestClient, job_id: str) -> None:
    container = client.app.state.container  # type: ignore[attr-defined]

    async def add() -> None:
        now = datetime.now(UTC)
        async with container.uow()() as uow:
            await uow.jobs.add(Job(id=job_id, kind="text_analysis", status=JobStatus.QUEUED,
                                   input={"text": "I am student."}, created_at=now, updated_at=now))
            await uow.commit()

    client.portal.call(add)  # type: ignore[union-attr]


def record(client: TestClient, update: JobUpdate) -> None:
    container = client.app.state.container  # type: ignore[attr-defined]
    client.portal.call(container.record_job_update().execute, update)  # type: ignore[union-attr]


def test_a_subscriber_sees_the_job_run_and_succeed(client: TestClient) -> None:
    add_job(client, "job-1")
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        ws.send_json({"type": "connection_init", "payload": {"apiKey": API_KEY}})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "s1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}})
        first = ws.receive_json()
        assert first["type"] == "next" and first["payload"]["data"]["jobUpdates"]["status"] == "QUEUED"

        record(client, JobUpdate("job-1", JobStatus.RUNNING, progress=0.5))
        running = ws.receive_json()["payload"]["data"]["jobUpdates"]
        assert (running["status"], running["progress"]) == ("RUNNING", 0.5)

        record(client, JobUpdate("job-1", JobStatus.SUCCEEDED, result={"level": "A1"}))
        done = ws.receive_json()["payload"]["data"]["jobUpdates"]
        assert (done["status"], done["progress"], done["result"]) == ("SUCCEEDED", 1.0, {"level": "A1"})
        assert ws.receive_json() == {"id": "s1", "type": "complete"}


def test_subscribing_to_an_unknown_job_gives_a_typed_error(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        ws.send_json({"type": "connection_init", "payload": {"apiKey": API_KEY}})
        ws.receive_json()
        ws.send_json({"id": "s1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}})
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
