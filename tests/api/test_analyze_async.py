"""`analyzeTextAsync`: accepted at once, run by the in-process queue with the real models, result typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, finished_job, gql, make_settings

SUBMIT = """
mutation($input: AnalyzeTextInput!, $key: String) { analyzeTextAsync(input: $input, idempotencyKey: $key) {
  __typename ... on Job { id status kind } ... on UserError { code field } } }
"""
READ = """
query($id: ID!) { job(id: $id) { status result { __typename
  ... on TextAnalysis { errors { type originalText correctedText }
                        cefr { level probabilities { level } strengths { examples } } } } } }
"""


@pytest.fixture
def client(tmp_path: Path, clean_env: None, analysis_engine: Any) -> Iterator[TestClient]:
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings, analysis_engine.container(settings)), headers={"x-api-key": API_KEY}) as c:
        yield c


def submit(client: TestClient, text: str, key: str | None = None) -> dict[str, Any]:
    variables = {"input": {"text": text, "learner": {"userId": "learner-3"}}, "key": key}
    return dict(gql(client, SUBMIT, variables).json()["data"]["analyzeTextAsync"])


def test_a_text_analysed_in_the_background_comes_back_typed(client: TestClient) -> None:
    accepted = submit(client, "Yesterday I eat rice with my friends.")
    assert accepted["__typename"] == "Job" and accepted["kind"] == "text_analysis"
    job = finished_job(client, READ, accepted["id"], 60)
    assert job["status"] == "SUCCEEDED" and job["result"]["__typename"] == "TextAnalysis"
    assert {"type": "TENSE", "originalText": "eat", "correctedText": "ate"} in job["result"]["errors"]
    cefr = job["result"]["cefr"]  # typed again from the stored JSON result
    assert cefr["level"] in {"A1", "A2", "B1", "B2", "C1", "C2"} and len(cefr["probabilities"]) == 6


def test_an_empty_text_is_refused_before_a_job_exists(client: TestClient) -> None:
    refused = submit(client, "   ")
    assert refused == {"__typename": "InvalidInput", "code": "empty_text", "field": "text"}
