"""`analyzeText` through the whole HTTP stack with the real offline engine."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from adapters.persistence.database import Database
from adapters.persistence.unit_of_work import unit_of_work_factory
from domain.results import ResultKind
from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, gql, make_settings
from tests.api.test_cefr import CEFR
from tests.fakes.llm_servers import FakeLlmServer
from tests.integration.test_analysis_engine import EXAMPLES

MUTATION = """
mutation Analyze($input: AnalyzeTextInput!) {
  analyzeText(input: $input) {
    __typename
    ... on TextAnalysis {
      errors { type severity start end startUtf16 endUtf16 originalText correctedText explanation suggestion
               rule detector confidence isHint }
      metrics { words sentences meanSentenceLength lexicalDiversity rareWordShare errorsPer100Words readability
                vocabularyLevels { level share } errorsPer100WordsByType { type per100Words } }
      feedback strengths improvementAreas warnings processingTime
      cefr { __typename level score confidence range rough warnings modelVersion wordCount kind
             probabilities { level probability }
             strengths { label detail examples }
             weaknesses { label detail examples }
             nextLevelRequirements { label detail examples }
             engine { capability engine version } }
      recommendedTasks { id title why example level targets }
      engines { capability engine model version }
    }
    ... on UserError { code message field }
    ... on RateLimited { retryAfterSeconds }
    ... on ProviderUnavailable { provider }
  }
}
"""


def analyze(client: TestClient, text: str, **extra: Any) -> dict[str, Any]:
    learner = {"userId": "learner-1", "sessionId": "session-1", **extra.pop("learner", {})}
    response = gql(client, MUTATION, {"input": {"text": text, "learner": learner, **extra}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["analyzeText"]  # type: ignore[no-any-return]


@pytest.fixture
def client(tmp_path: Path, clean_env: None, analysis_engine: Any) -> Iterator[TestClient]:
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings, analysis_engine.container(settings)), headers={"x-api-key": API_KEY}) as c:
        yield c


@pytest.mark.parametrize(("sentence", "wrong", "corrected", "error_type"), EXAMPLES)
def test_each_example_comes_back_typed_and_corrected(
    client: TestClient, sentence: str, wrong: str, corrected: str, error_type: Any
) -> None:
    result = analyze(client, sentence)
    assert result["__typename"] == "TextAnalysis"
    [error] = result["errors"]
    assert (error["originalText"], error["correctedText"], error["type"]) == (wrong, corrected,
                                                                            error_type.name)
    assert sentence[error["start"]:error["end"]] == wrong


def test_a_whole_analysis_has_metrics_feedback_and_tasks(client: TestClient) -> None:
    text = "Yesterday I eat rice with my family. My brother like football. I am student."
    result = analyze(client, text, learner={"nativeLanguage": "Polish"})
    assert {e["type"] for e in result["errors"]} == {"TENSE", "AGREEMENT", "ARTICLE"}
    metrics = result["metrics"]
    assert metrics["words"] == 14 and metrics["sentences"] == 3 and metrics["errorsPer100Words"] == round(300 / 14, 2)
    assert sum(level["share"] for level in metrics["vocabularyLevels"]) == pytest.approx(1, abs=0.01)
    assert result["feedback"] and result["improvementAreas"] and result["recommendedTasks"]
    article = next(e for e in result["errors"] if e["type"] == "ARTICLE")
    assert "no articles" in article["explanation"]  # tailored to a Polish speaker
    assert result["engines"][0]["engine"] == "local" and result["warnings"] == []
    assert result["cefr"]["level"] in ("A1", "A2", "B1", "B2", "C1", "C2") and 0 <= result["cefr"]["score"] <= 100


def test_the_analysis_carries_the_typed_assessment_the_cefr_query_gives(client: TestClient) -> None:
    text = ("Last summer I went to London with my family because my sister wanted to see the museums. We stayed in "
            "a small hotel near the river, and every morning we was walking to a different park.")
    assessment = analyze(client, text)["cefr"]
    assert assessment == gql(client, CEFR, {"text": text}).json()["data"]["cefr"]
    assert assessment["__typename"] == "CefrAssessment" and assessment["kind"] == "WRITTEN"
    assert sum(p["probability"] for p in assessment["probabilities"]) == pytest.approx(1, abs=0.01)
    assert assessment["strengths"] and assessment["nextLevelRequirements"]
    quoted = [example for e in assessment["strengths"] for example in e["examples"]]
    assert quoted and all(example.lower() in text.lower() for example in quoted)  # the learner's own words


def test_a_provider_outside_the_enum_is_refused_before_anything_runs(client: TestClient) -> None:
    learner = {"userId": "learner-1"}
    body = gql(client, MUTATION, {"input": {"text": "I am student.", "learner": learner, "provider": "claude"}}).json()
    assert body.get("data") is None
    message = body["errors"][0]["message"]
    assert ".provider" in message and "'claude'" in message and "'AnalysisProvider' enum" in message


@pytest.mark.parametrize(("text", "code"), [
    ("   ", "empty_text"),
    ("x" * 10_001, "text_too_long"),
    ("Это предложение написано по-русски.", "unsupported_language"),
])
def test_unusable_text_is_a_typed_invalid_input(client: TestClient, text: str, code: str) -> None:
    result = analyze(client, text)
    assert result["__typename"] == "InvalidInput" and result["code"] == code and result["field"] == "text"
    if code == "text_too_long":
        assert "10000" in result["message"]


def test_an_unconfigured_provider_is_refused_by_name(client: TestClient) -> None:
    result = analyze(client, "I am student.", provider="GEMINI")
    assert result == {"__typename": "ProviderUnavailable", "code": "provider_unavailable",
                      "message": "the provider 'gemini' is not configured", "field": "provider",
                      "provider": "gemini"}


def test_the_same_text_is_answered_from_the_cache_and_stored_each_time(
    tmp_path: Path, clean_env: None, analysis_engine: Any
) -> None:
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings, analysis_engine.container(settings)),
                    headers={"x-api-key": API_KEY}) as client:
        first = analyze(client, "Yesterday I eat rice.")
        second = analyze(client, "Yesterday I eat rice.")
    assert first == second  # the processing time too: the second answer is the cached one
    stored = asyncio.run(_stored(settings.database.url))
    assert [(r.kind, r.session_id) for r in stored] == [(ResultKind.TEXT_ANALYSIS, "session-1")] * 2
    assert stored[0].payload["errors"][0]["corrected_text"] == "ate" and stored[0].engine_version


async def _stored(url: str) -> list[Any]:
    database = Database(url, "englivo")
    try:
        async with unit_of_work_factory(database)() as uow:
            return await uow.results.list_for_user("learner-1")
    finally:
        await database.dispose()


def test_the_per_learner_rate_limit_answers_rate_limited(tmp_path: Path, clean_env: None, analysis_engine: Any) -> None:
    settings = make_settings(tmp_path, security={"rate_limit_per_user": "2/minute"})
    with TestClient(create_app(settings, analysis_engine.container(settings)),
                    headers={"x-api-key": API_KEY}) as client:
        results = [analyze(client, "I am student.")["__typename"] for _ in range(3)]
        refused = analyze(client, "I am student.")
    assert results == ["TextAnalysis", "TextAnalysis", "RateLimited"]
    assert refused["field"] == "learner.userId" and refused["retryAfterSeconds"] >= 1


@pytest.mark.parametrize("provider", ["gemini", "openai"])
@pytest.mark.parametrize("mode", ["error", "malformed", "slow"])
def test_a_failing_provider_still_gets_the_offline_answer_with_a_warning(
    tmp_path: Path, clean_env: None, analysis_engine: Any, provider: str, mode: str
) -> None:
    with FakeLlmServer(provider, mode=mode, delay=3) as server:
        settings = make_settings(tmp_path, engines=_provider_settings(provider, server.base_url))
        with TestClient(create_app(settings, analysis_engine.container(settings)),
                        headers={"x-api-key": API_KEY}) as client:
            result = analyze(client, "Yesterday I eat rice.")
            metrics = client.get("/metrics").text
    assert server.requests, "the provider was asked"
    assert result["__typename"] == "TextAnalysis"
    assert [e["correctedText"] for e in result["errors"]] == ["ate"]
    assert len(result["warnings"]) == 1 and provider in result["warnings"][0]
    assert f'englivo_ai_operations_total{{engine="{provider}",operation="llm_review",outcome="failed"}} 1.0' in metrics


@pytest.mark.parametrize("provider", ["gemini", "openai"])
def test_a_provider_adds_its_errors_at_offsets_found_in_the_text(
    tmp_path: Path, clean_env: None, analysis_engine: Any, provider: str
) -> None:
    answer = {"errors": [
        {"original": "eat", "corrected": "ate", "type": "tense", "explanation": "Past."},  # already found
        {"original": "the rice", "corrected": "rice", "type": "article", "explanation": "No article here."},
        {"original": "not in the text", "corrected": "x", "type": "grammar", "explanation": "Invented."},
    ], "feedback": "A good try.", "strengths": ["Clear ideas"], "improvement_areas": ["Past tense"]}
    text = "Yesterday I eat the rice that my mother cooked."
    with FakeLlmServer(provider, answer) as server:
        settings = make_settings(tmp_path, engines=_provider_settings(provider, server.base_url))
        with TestClient(create_app(settings, analysis_engine.container(settings)),
                        headers={"x-api-key": API_KEY}) as client:
            result = analyze(client, text, provider=provider.upper())
            metrics = client.get("/metrics").text
    llm = [e for e in result["errors"] if e["detector"].startswith("llm:")]
    assert [(e["originalText"], e["type"], e["start"]) for e in llm] == [("the rice", "ARTICLE", text.index("the"))]
    assert result["feedback"] == "A good try." and result["strengths"] == ["Clear ideas"]
    assert [e["engine"] for e in result["engines"]] == ["local", provider] and result["warnings"] == []
    assert f'englivo_llm_tokens_total{{kind="prompt",provider="{provider}"}}' in metrics
    schema = _requested_schema(provider, server.requests[0]["body"])
    assert schema["properties"]["errors"]["items"]["required"] == ["original", "corrected", "type", "explanation"]


def _provider_settings(provider: str, base_url: str) -> dict[str, Any]:
    common = {"llm_provider": provider, "llm_timeout_seconds": 1.5}
    if provider == "gemini":
        return {**common, "gemini_api_key": "fake-gemini-key", "gemini_base_url": base_url}
    return {**common, "openai_api_key": "fake-openai-key", "openai_base_url": base_url}


def _requested_schema(provider: str, body: dict[str, Any]) -> dict[str, Any]:
    if provider == "gemini":
        return body["generationConfig"]["responseJsonSchema"]  # type: ignore[no-any-return]
    return body["response_format"]["json_schema"]["schema"]  # type: ignore[no-any-return]


def test_readiness_lists_the_analysis_models(client: TestClient) -> None:
    components = {c["name"]: c for c in client.get("/health/ready").json()["components"]}
    assert components["models.analysis"]["status"] == "up" and components["models.analysis"]["required"] is True


def test_readiness_does_not_load_the_models(tmp_path: Path, clean_env: None) -> None:
    settings = make_settings(tmp_path)
    app = create_app(settings)
    with TestClient(app) as plain:
        assert plain.get("/health/ready").status_code == 200
    assert app.state.container.analysis_models().loaded is False


def test_a_spoken_text_is_not_marked_for_spelling_or_capitals(client: TestClient) -> None:
    text = "yesterday i eat rice with my freind"
    written = analyze(client, text)
    spoken = analyze(client, text, kind="SPOKEN")
    assert {"SPELLING", "CAPITALISATION"} <= {e["type"] for e in written["errors"]}
    assert [(e["type"], e["correctedText"]) for e in spoken["errors"]] == [("TENSE", "ate")]
