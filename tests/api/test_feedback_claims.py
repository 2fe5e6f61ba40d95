"""Issue 18.4 through the API: a strength never claims control of an area where the text has findings, nor of
one where the engine's measured recall (the shipped table) is too low to know."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from adapters.analysis.measured_recall import load_measured_recall
from domain.analysis.errors import ErrorType
from domain.analysis.feedback import AREA_NAMES, CHECKED_AREAS
from domain.analysis.recall import MIN_RECALL
from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, make_settings
from tests.api.test_analyze_text import analyze

# The paragraph of issue 18.
ISSUE_PARAGRAPH = (
    "Yesterday I go to the shop with my friend and we buyed many things. She have two childs and they was very "
    "happy. I am agree that internet is useful, but I think peoples spend too much time on it. Last week I have "
    "visited my grandmother, she live in small village near the river. I didn't went to school because I was sick."
)


@pytest.fixture
def client(tmp_path: Path, clean_env: None, analysis_engine: Any) -> Iterator[TestClient]:
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings, analysis_engine.container(settings)), headers={"x-api-key": API_KEY}) as c:
        yield c


def claimed_areas(strengths: list[str]) -> set[ErrorType]:
    return {t for t, name in AREA_NAMES.items() for s in strengths if name in s}


def test_the_issue_paragraph_is_not_praised_for_articles(client: TestClient) -> None:
    result = analyze(client, ISSUE_PARAGRAPH)
    assert result["__typename"] == "TextAnalysis" and result["errors"]
    assert not any("article" in s.lower() for s in result["strengths"]), result["strengths"]
    found = {ErrorType[e["type"]] for e in result["errors"]}
    assert not claimed_areas(result["strengths"]) & found, (result["strengths"], found)
    assert not any("accurate" in s for s in result["strengths"])  # seven findings in 67 words, and more missed


def test_the_issue_paragraph_gets_the_five_errors_it_missed(client: TestClient) -> None:
    errors = analyze(client, ISSUE_PARAGRAPH)["errors"]
    found = {(e["originalText"], e["correctedText"]): e for e in errors}
    for wrong, corrected in (("was", "were"), ("peoples", "people"), ("internet", "the internet"),
                             ("have visited", "visited")):
        assert (wrong, corrected) in found, (wrong, corrected, sorted(found))
        assert not found[(wrong, corrected)]["isHint"]
    # "in small village": the tagger's "in" -> "in a" or the rules' hint "small" -> "a small"
    applied = [ISSUE_PARAGRAPH[:e["start"]] + e["correctedText"] + ISSUE_PARAGRAPH[e["end"]:] for e in errors]
    assert any("in a small village" in text for text in applied), sorted(found)
    assert ("have", "has") in found and ("have", "had") not in found  # "She have": her present, not the past


def test_a_clean_text_is_praised_only_where_the_shipped_recall_knows(client: TestClient) -> None:
    recall = load_measured_recall()
    result = analyze(client, "My grandmother grew up in a small village by the sea, and she still lives there.")
    assert result["errors"] == []
    claimed = claimed_areas(result["strengths"])
    assert claimed == {t for t in CHECKED_AREAS if recall.by_type.get(t, 0.0) >= MIN_RECALL}
    assert ErrorType.ARTICLE not in claimed
