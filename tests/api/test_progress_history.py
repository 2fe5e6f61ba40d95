"""History lists through HTTP: connections with cursors, and a DataLoader that reads a page's error counts
in one statement however many sessions the page has."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from entrypoints.container import Container, build_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.api.conftest import API_KEY, gql
from tests.api.test_progress import record
from tests.support.progress import counted_statements, speech_entry, text_entry

SESSIONS = """query($user: ID!, $first: Int!, $after: String) {
  sessions(userId: $user, first: $first, after: $after) {
    edges { cursor node { sessionId results kinds cefrScore newWords errors { type count } } }
    pageInfo { hasNextPage endCursor } } }"""
RESULTS = """query($user: ID!, $kind: ResultKind) {
  progressHistory(userId: $user, kind: $kind, first: 10) {
    edges { node { id kind scale pronunciation wordsPerMinute errors { type count } } }
    pageInfo { hasNextPage } } }"""


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    container = build_container(settings)
    with TestClient(create_app(settings, container), headers={"x-api-key": API_KEY}) as test_client:
        test_client.container = container  # type: ignore[attr-defined]
        yield test_client


def sessions_page(client: TestClient, user: str, first: int, after: str | None = None) -> dict:  # type: ignore[type-arg]
    body = gql(client, SESSIONS, {"user": user, "first": first, "after": after}).json()
    assert "errors" not in body, body
    return dict(body["data"]["sessions"])


def test_sessions_page_through_with_cursors(client: TestClient) -> None:
    record(client, *(text_entry("ana", i, articles=i, lemmas=("cat", f"new{i}")) for i in range(3)),
           speech_entry("ana", 2))
    first = sessions_page(client, "ana", 2)
    nodes = [e["node"] for e in first["edges"]]
    assert [n["sessionId"] for n in nodes] == ["session-2", "session-1"]
    assert nodes[0]["kinds"] == ["TEXT_ANALYSIS", "PRONUNCIATION"] and nodes[0]["results"] == 2
    assert nodes[0]["errors"] == [{"type": "article", "count": 2}, {"type": "tense", "count": 1}]
    assert [n["newWords"] for n in nodes] == [1, 1]  # "cat" was new in session-0 only
    assert first["pageInfo"]["hasNextPage"] and first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]
    rest = sessions_page(client, "ana", 2, first["pageInfo"]["endCursor"])
    assert [e["node"]["sessionId"] for e in rest["edges"]] == ["session-0"] and not rest["pageInfo"]["hasNextPage"]
    assert rest["edges"][0]["node"]["newWords"] == 2

    forged = gql(client, SESSIONS, {"user": "ana", "first": 2, "after": "nope"}).json()
    assert forged["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


def test_a_page_of_sessions_issues_the_same_statements_however_long(client: TestClient) -> None:
    container: Container = client.container  # type: ignore[attr-defined]
    counts = []
    for user, sessions in (("few", 2), ("many", 25)):
        record(client, *(text_entry(user, i, articles=2, lemmas=(f"w{i}",)) for i in range(sessions)))
        with counted_statements(container.database()) as statements:
            page = sessions_page(client, user, 50)
        assert len(page["edges"]) == sessions
        assert all(e["node"]["errors"] and e["node"]["newWords"] == 1 for e in page["edges"])
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 3, counts  # the page, then one batch each of errors and new words


def test_results_by_kind(client: TestClient) -> None:
    record(client, text_entry("bo", 0, articles=1), speech_entry("bo", 0))
    body = gql(client, RESULTS, {"user": "bo", "kind": "PRONUNCIATION"}).json()
    [edge] = body["data"]["progressHistory"]["edges"]
    assert edge["node"] == {"id": "bo-speech-0", "kind": "PRONUNCIATION", "scale": "gop-1", "pronunciation": 70.0,
                            "wordsPerMinute": 110.0, "errors": []}
    everything = gql(client, RESULTS, {"user": "bo"}).json()["data"]["progressHistory"]
    assert [e["node"]["kind"] for e in everything["edges"]] == ["PRONUNCIATION", "TEXT_ANALYSIS"]
    assert everything["edges"][1]["node"]["errors"] == [{"type": "article", "count": 1}, {"type": "tense", "count": 1}]
