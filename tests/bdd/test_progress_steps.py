"""Steps for features/progress: results recorded as the capabilities record them, read through GraphQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when
from starlette.testclient import TestClient

from entrypoints.container import build_container
from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, make_settings
from tests.support.progress import text_entry

scenarios("progress/progress.feature")

FIELDS = "sessions improvementPerWeek errorPatterns { type trend direction }"


@pytest.fixture
def dashboard(tmp_path: Path, clean_env: None) -> Iterator[tuple[TestClient, Any]]:
    settings = make_settings(tmp_path)
    container = build_container(settings)
    with TestClient(create_app(settings, container), headers={"x-api-key": API_KEY}) as client:
        yield client, container


@given(parsers.parse("a learner whose article errors per session were {counts}"), target_fixture="learner")
def learner(dashboard: tuple[TestClient, Any], counts: str) -> str:
    client, container = dashboard
    numbers = [int(n) for n in counts.replace(" and ", ", ").split(", ")]
    record = container.services().record_progress
    assert client.portal is not None
    for session, articles in enumerate(numbers):
        client.portal.call(record.execute, text_entry("learner-1", session, articles=articles))
    return "learner-1"


def _ask(client: TestClient, field: str) -> dict[str, Any]:
    body = client.post("/graphql", json={"query": f"{{ {field} {{ {FIELDS} }} }}"}).json()
    assert "errors" not in body, body
    return dict(next(iter(body["data"].values())))


@when("the dashboard asks for the learner's progress", target_fixture="answer")
def ask_progress(dashboard: tuple[TestClient, Any], learner: str) -> dict[str, Any]:
    return _ask(dashboard[0], f'progress(userId: "{learner}")')


@when("the dashboard asks for the report of the learner's first session", target_fixture="answer")
def ask_report(dashboard: tuple[TestClient, Any], learner: str) -> dict[str, Any]:
    return _ask(dashboard[0], f'sessionReport(userId: "{learner}", sessionId: "session-0")')


def _article(answer: dict[str, Any]) -> dict[str, Any]:
    return dict(next(p for p in answer["errorPatterns"] if p["type"] == "article"))


@then(parsers.parse('the article pattern is "{direction}"'))
def article_direction(answer: dict[str, Any], direction: str) -> None:
    assert _article(answer)["direction"] == direction


@then(parsers.parse("the progress counts {sessions:d} sessions"))
def session_count(answer: dict[str, Any], sessions: int) -> None:
    assert answer["sessions"] == sessions


@then("the report has no improvement rate")
def no_rate(answer: dict[str, Any]) -> None:
    assert answer["sessions"] == 1 and answer["improvementPerWeek"] is None


@then("the article pattern has no trend")
def no_trend(answer: dict[str, Any]) -> None:
    article = _article(answer)
    assert article["trend"] is None and article["direction"] is None
