"""Progress through HTTP: recorded results come back as chart-ready series, typed errors, rate limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from entrypoints.container import Container, build_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.api.conftest import API_KEY, gql, make_settings
from tests.support.progress import speech_entry, text_entry

PROGRESS = """
query($user: ID!, $from: DateTime, $granularity: Granularity!) {
  progress(userId: $user, from: $from, granularity: $granularity) {
    userId sessions currentLevel improvementPerWeek improvementSignificant mixedEngineVersions vocabularySize
    series { name unit scale points { at value label } times values labels }
    errorPatterns { type rule count per100Words trend direction examples }
    recommendations { area title why }
    weakestPhonemes { phoneme accuracy }
  }
}"""


@pytest.fixture
def container(settings: Settings) -> Container:
    return build_container(settings)


@pytest.fixture
def client(settings: Settings, container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(settings, container), headers={"x-api-key": API_KEY}) as test_client:
        test_client.container = container  # type: ignore[attr-defined]
        yield test_client


def record(client: TestClient, *entries: object) -> None:
    """As the analysis and pronunciation use cases do after storing a result."""
    services = client.container.services()  # type: ignore[attr-defined]
    for entry in entries:
        assert client.portal is not None
        client.portal.call(services.record_progress.execute, entry)


def test_progress_of_a_learner_through_http(client: TestClient) -> None:
    record(client, *(text_entry("ana", i, articles=8 - 2 * i, score=40 + 3 * i) for i in range(4)),
           speech_entry("ana", 3, phonemes=(("TH", 45.0),)))
    body = gql(client, PROGRESS, {"user": "ana", "granularity": "SESSION"}).json()
    assert "errors" not in body, body
    progress = body["data"]["progress"]
    assert progress["sessions"] == 4 and progress["currentLevel"] == "B1"
    assert progress["improvementPerWeek"] == 3.0 and progress["improvementSignificant"] is True
    article = progress["errorPatterns"][0]
    assert (article["type"], article["count"], article["direction"]) == ("article", 20, "IMPROVING")
    cefr = next(s for s in progress["series"] if s["name"] == "cefr_score")
    assert [p["value"] for p in cefr["points"]] == [40, 43, 46, 49]
    assert cefr["points"][0]["at"].startswith("2026-03-02T09:00:00")
    for series in progress["series"]:  # the columns are the points, transposed
        columns = list(zip(series["times"], series["values"], series["labels"], strict=True))
        assert columns == [(p["at"], p["value"], p["label"]) for p in series["points"]]
    assert progress["weakestPhonemes"] == [{"phoneme": "TH", "accuracy": 45.0}]

    weekly = gql(client, PROGRESS, {"user": "ana", "granularity": "WEEK", "from": "2026-03-09T00:00:00Z"}).json()
    assert weekly["data"]["progress"]["sessions"] == 3


def test_session_report_and_analyze_sessions(client: TestClient) -> None:
    record(client, *(text_entry("bo", i, articles=3) for i in range(3)))
    report = gql(client, """{ sessionReport(userId: "bo", sessionId: "session-1") {
        sessions improvementPerWeek errorPatterns { type trend } } }""").json()["data"]["sessionReport"]
    assert report == {"sessions": 1, "improvementPerWeek": None,
                      "errorPatterns": [{"type": "article", "trend": None}, {"type": "tense", "trend": None}]}
    assert gql(client, '{ sessionReport(userId: "bo", sessionId: "x") { sessions } }').json()["data"] == {
        "sessionReport": None}

    mutation = """mutation($ids: [ID!]!) { analyzeSessions(userId: "bo", sessionIds: $ids) {
        __typename ... on Progress { sessions } ... on InvalidInput { field } } }"""
    chosen = gql(client, mutation, {"ids": ["session-0", "session-2"]}).json()["data"]["analyzeSessions"]
    assert chosen == {"__typename": "Progress", "sessions": 2}
    empty = gql(client, mutation, {"ids": []}).json()["data"]["analyzeSessions"]
    assert empty == {"__typename": "InvalidInput", "field": "sessionIds"}


def test_naive_times_are_refused(client: TestClient) -> None:
    body = gql(client, PROGRESS, {"user": "cy", "granularity": "DAY", "from": "2026-03-09T00:00:00"}).json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


def test_progress_is_rate_limited_per_learner(tmp_path: Path, clean_env: None) -> None:
    settings = make_settings(tmp_path, security={"rate_limit_per_user": "2/minute"})
    with TestClient(create_app(settings), headers={"x-api-key": API_KEY}) as client:
        query = '{ progress(userId: "dee") { sessions } }'
        assert [gql(client, query).json()["data"] for _ in range(2)] == [{"progress": {"sessions": 0}}] * 2
        limited = gql(client, query).json()
        assert limited["errors"][0]["extensions"]["typename"] == "RateLimited"
        other = gql(client, '{ progress(userId: "eve") { sessions } }').json()
        assert other["data"] == {"progress": {"sessions": 0}}
