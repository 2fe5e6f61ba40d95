"""Requests that are ambiguous or wrong are refused the way the rest of the API refuses them: two API keys,
a wrong key on the legacy graphql-ws subprotocol, a `jobs` cursor that is not one of the learner's jobs."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.api.conftest import API_KEY, gql
from tests.api.test_jobs_query import add_jobs, job


@pytest.mark.parametrize("second", [API_KEY, "rotated-key-0123456789", "wrong"])
def test_two_api_key_headers_are_refused_whichever_they_are(client: TestClient, second: str) -> None:
    headers = type(client.headers)([("x-api-key", API_KEY), ("x-api-key", second)])
    response = gql(client, "{ health }", headers=headers)
    assert response.status_code == 401
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED" and error["extensions"]["field"] == "X-API-Key"
    assert "sent 2 times" in error["message"]


def test_the_legacy_graphql_ws_protocol_refuses_a_wrong_key_with_4403(client: TestClient) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        client.websocket_connect("/graphql", subprotocols=["graphql-ws"], headers={"x-api-key": ""}) as ws,
    ):
        ws.send_json({"type": "connection_init", "payload": {"apiKey": "wrong"}})
        assert ws.receive_json()["payload"]["code"] == "UNAUTHENTICATED"
        ws.receive_json()
    assert closed.value.code == 4403


def test_the_legacy_graphql_ws_protocol_still_acknowledges_a_good_key(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=["graphql-ws"], headers={"x-api-key": ""}) as ws:
        ws.send_json({"type": "connection_init", "payload": {"apiKey": API_KEY}})
        assert ws.receive_json() == {"type": "connection_ack"}


@pytest.mark.parametrize("after", ["garbage", "job-9"])  # no such job; another learner's job
def test_a_jobs_cursor_that_is_not_one_of_the_learners_jobs_is_invalid_input(client: TestClient, after: str) -> None:
    add_jobs(client, [job(1), job(9, user="someone-else")])
    body = gql(client, 'query($after: ID) { jobs(userId: "learner-1", after: $after) { id } }', {"after": after}).json()
    error = body["errors"][0]
    assert error["extensions"]["code"] == "INVALID_INPUT" and error["extensions"]["field"] == "after"
    assert body["data"] is None
