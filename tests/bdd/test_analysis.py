from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when
from starlette.testclient import TestClient

from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, make_settings
from tests.api.test_analyze_text import analyze

scenarios("analysis/analysis.feature")


@pytest.fixture
def analysis_app(tmp_path: Path, clean_env: None, analysis_engine: Any) -> Iterator[TestClient]:
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings, analysis_engine.container(settings)), headers={"x-api-key": API_KEY}) as c:
        yield c


@given("the engine is running with its offline analysis", target_fixture="running_engine")
def engine_with_analysis(analysis_app: TestClient) -> TestClient:
    return analysis_app


@when(parsers.parse('a learner sends the text "{text}"'), target_fixture="answer")
def send_text(running_engine: TestClient, text: str) -> dict[str, Any]:
    return analyze(running_engine, text)


@then(parsers.parse("the answer has exactly one error, of type {error_type}"))
def one_error(answer: dict[str, Any], error_type: str) -> None:
    assert answer["__typename"] == "TextAnalysis"
    assert [e["type"] for e in answer["errors"]] == [error_type]


@then(parsers.parse('the error corrects "{wrong}" to "{correction}"'))
def corrects(answer: dict[str, Any], wrong: str, correction: str) -> None:
    error = answer["errors"][0]
    assert (error["originalText"].strip(), error["correctedText"].strip()) == (wrong, correction)


@then("the error explains itself in plain words")
def explains(answer: dict[str, Any]) -> None:
    error = answer["errors"][0]
    assert len(error["explanation"]) > 20 and error["suggestion"]


@then("the error is a hint with a confidence below one half")
def is_hint(answer: dict[str, Any]) -> None:
    error = answer["errors"][0]
    assert error["isHint"] is True and error["confidence"] < 0.5


@then("the answer has no errors")
def no_errors(answer: dict[str, Any]) -> None:
    assert answer["__typename"] == "TextAnalysis" and answer["errors"] == []


@then("the feedback says that no clear errors were found")
def feedback_clean(answer: dict[str, Any]) -> None:
    assert "no clear errors" in answer["feedback"]


@then(parsers.parse('the answer is an invalid input with the code "{code}"'))
def invalid(answer: dict[str, Any], code: str) -> None:
    assert answer["__typename"] == "InvalidInput" and answer["code"] == code
