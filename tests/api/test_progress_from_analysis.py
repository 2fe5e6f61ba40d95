"""Real analyses feed a learner's progress: article errors falling over sessions show as a pattern whose
rate goes down, read through the `progress` query."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, gql, make_settings
from tests.api.test_analyze_text import analyze

PROGRESS = """
query($user: ID!) { progress(userId: $user) { sessions vocabularySize vocabularyNew
  levelShift { level early recent } series { name points { value } }
  errorPatterns { type count sessions per100Words trend direction examples } } }
"""
SESSIONS = [
    "I am student. I have cat. I like apple. My brother is doctor.",
    "I am student. I have cat. My brother is a doctor and he likes his work.",
    "I am a student. I have a cat. My brother is a doctor and he likes his work a lot.",
]


@pytest.fixture
def client(tmp_path: Path, clean_env: None, analysis_engine: Any) -> Iterator[TestClient]:
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings, analysis_engine.container(settings)), headers={"x-api-key": API_KEY}) as c:
        yield c


def test_article_errors_falling_over_sessions_show_in_progress(client: TestClient) -> None:
    for number, text in enumerate(SESSIONS, start=1):
        analyze(client, text, learner={"userId": "learner-7", "sessionId": f"session-{number}"})
    progress = gql(client, PROGRESS, {"user": "learner-7"}).json()["data"]["progress"]
    assert progress["sessions"] == 3
    articles = next(p for p in progress["errorPatterns"] if p["type"] == "article")
    assert articles["count"] >= 2 and articles["sessions"] == 2, articles
    assert articles["trend"] is not None and articles["trend"] < 0
    assert any("student" in example for example in articles["examples"])
    # content-word lemmas with their CEFR-J level: student, cat, like, apple, brother, doctor, then work, lot
    assert progress["vocabularySize"] == progress["vocabularyNew"] >= 8
    new = next(s for s in progress["series"] if s["name"] == "vocabulary_new")
    assert new["points"][0]["value"] >= 6 and sum(p["value"] for p in new["points"]) == progress["vocabularySize"]
    assert any(share["level"] == "A1" for share in progress["levelShift"])
