"""Bodies that are not JSON get a 400 in GraphQL's error shape; bodies over the cap are refused while they
stream in; ids and `context` longer than their caps are typed InvalidInput, before anything is stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from domain.identifiers import MAX_ID_CHARS
from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, gql, make_settings

JSON = {"content-type": "application/json"}
SUBMIT = """mutation($input: AnalyzeTextInput!) { analyzeTextAsync(input: $input) {
  __typename ... on UserError { code field message } } }"""


@pytest.fixture
def capped_client(tmp_path: Path, clean_env: None) -> Iterator[TestClient]:
    settings = make_settings(tmp_path, graphql={"max_json_body_mb": 0.01})  # 10 kB
    with TestClient(create_app(settings), headers={"x-api-key": API_KEY}) as client:
        yield client


@pytest.mark.parametrize(("body", "says"), [
    (b'{"query": "{ health }", "variables": {"name": "caf\xe9"}}', "not JSON in UTF-8"),  # Latin-1, not UTF-8
    (b'{"query": "{ health }", "variables": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}", "too deeply"),
    (b'{"query": "{ health }", "variables": {"a": NaN}}', "not JSON"),
    (b'{"query": "{ health }"', "not JSON"),
])
def test_a_body_that_is_not_json_is_a_400_in_graphqls_error_shape(client: TestClient, body: bytes, says: str) -> None:
    response = client.post("/graphql", content=body, headers=JSON)
    assert response.status_code == 400 and response.headers["content-type"] == "application/json"
    answer = response.json()
    assert answer["data"] is None and says in answer["errors"][0]["message"]
    assert answer["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "field": "body", "typename": "InvalidInput"}


def test_other_refusals_of_the_view_keep_graphqls_error_shape_too(client: TestClient) -> None:
    response = client.post("/graphql", content=b"{ health }", headers={"content-type": "text/plain"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


def test_bodies_of_the_wrong_shape_and_subscriptions_over_http_are_400s(client: TestClient) -> None:
    wrong_map = {"operations": '{"query": "{ health }", "variables": {"x": 5}}', "map": '{"0": ["variables.x.y"]}'}
    answers = [
        client.post("/graphql", json="a string, not an object"),
        client.post("/graphql", data={"operations": "5", "map": "{}"}, files={"0": ("a.wav", b"RIFF")}),
        client.post("/graphql", data=wrong_map, files={"0": ("a.wav", b"RIFF")}),
        client.post("/graphql", json={"query": 'subscription { jobUpdates(id: "job-1") { id } }'}),
    ]
    assert [a.status_code for a in answers] == [400] * 4
    assert {a.json()["errors"][0]["extensions"]["code"] for a in answers} == {"INVALID_INPUT"}
    assert "subscriptions are not allowed" in answers[3].json()["errors"][0]["message"]


def test_a_body_whose_length_is_over_the_cap_is_refused_before_it_is_read(capped_client: TestClient) -> None:
    padding = "x" * 20_000
    response = capped_client.post("/graphql", json={"query": "{ health }", "variables": {"padding": padding}})
    assert response.status_code == 413
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "TOO_LARGE", "field": "body", "limit": "0.01 MB"}
    assert capped_client.post("/graphql", json={"query": "{ health }"}).json() == {"data": {"health": "ok"}}


def test_a_body_without_a_length_is_refused_once_it_passes_the_cap_and_the_rest_is_not_read(
    capped_client: TestClient,
) -> None:
    chunk, chunks = b" " * 4_096, 5_000  # 20 MB offered, 4 kB at a time
    status, pulled = capped_client.portal.call(post_in_chunks, capped_client.app, chunk, chunks)  # type: ignore[union-attr]
    assert status == 413
    assert pulled * len(chunk) <= 10_000 + len(chunk), f"read {pulled} chunks of a body capped at 10 kB"


async def post_in_chunks(app: Any, chunk: bytes, chunks: int) -> tuple[int, int]:
    """Sends a chunked POST (no Content-Length) straight to the ASGI app; (status, chunks the app pulled)."""
    pulled, status = 0, 0

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": pulled < chunks}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/graphql", "raw_path": b"/graphql", "root_path": "", "query_string": b"",
             "headers": [(b"content-type", b"application/json"), (b"x-api-key", API_KEY.encode()),
                         (b"transfer-encoding", b"chunked")],
             "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}
    await app(scope, receive, send)
    return status, pulled


def analysis_input(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"text": "Yesterday I eat rice.", "learner": {"userId": "learner-1"}}
    for key, value in changes.items():
        if key in ("userId", "sessionId"):
            data["learner"] = {**data["learner"], key: value}
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(("changes", "field"), [
    ({"userId": "u" * 10_000}, "learner.userId"),
    ({"userId": "u" * (MAX_ID_CHARS + 1)}, "learner.userId"),
    ({"sessionId": "s" * (MAX_ID_CHARS + 1)}, "learner.sessionId"),
    ({"context": "Describe your weekend. " * 100}, "context"),
])
def test_ids_and_context_over_their_caps_are_refused_before_a_job_is_stored(
    client: TestClient, changes: dict[str, Any], field: str
) -> None:
    answer = gql(client, SUBMIT, {"input": analysis_input(**changes)}).json()["data"]["analyzeTextAsync"]
    assert answer["__typename"] == "InvalidInput" and answer["code"] == "invalid_input"
    assert answer["field"] == field and "at most" in answer["message"]
    jobs = client.portal.call(stored_jobs, client)  # type: ignore[union-attr]
    assert jobs == 0


async def stored_jobs(client: TestClient) -> int:
    from sqlalchemy import text

    async with client.app.state.container.database().engine.connect() as conn:  # type: ignore[attr-defined]
        return int((await conn.execute(text("SELECT count(*) FROM jobs"))).scalar_one())


def test_an_id_at_the_cap_is_accepted_and_a_longer_user_id_is_refused_by_every_query(client: TestClient) -> None:
    at_cap = "u" * MAX_ID_CHARS
    assert gql(client, "query($u: ID!) { jobs(userId: $u) { id } }", {"u": at_cap}).json() == {"data": {"jobs": []}}
    for query in ("query($u: ID!) { jobs(userId: $u) { id } }", "query($u: ID!) { progress(userId: $u) { sessions } }",
                  "query($u: ID!) { sessions(userId: $u) { pageInfo { hasNextPage } } }"):
        error = gql(client, query, {"u": at_cap + "u"}).json()["errors"][0]
        assert error["extensions"]["code"] == "INVALID_INPUT" and error["extensions"]["field"] == "userId", query
