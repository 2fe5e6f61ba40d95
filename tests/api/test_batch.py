"""`submitBatch` and `assessPronunciationAsync` through HTTP, run by the in-process queue with the real models:
per-item status, results and typed errors, the summary, and the batch's refusals."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers
from starlette.testclient import TestClient

from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, finished_job, gql, make_settings, url_settings
from tests.conftest import clip

CLIP = "pronunciation/001350219.flac"

SUBMIT = """
mutation($items: [BatchItemInput!]!, $key: String) { submitBatch(items: $items, idempotencyKey: $key) {
  __typename ... on Job { id kind status } ... on UserError { code field message } } }
"""
READ = """
query($id: ID!) { job(id: $id) { status progress error { code message } result { __typename ... on BatchResult {
  items { index kind status error { code field }
          result { __typename ... on TextAnalysis { errors { type originalText correctedText } }
                   ... on PronunciationAssessment { referenceText pronunciation words { text } } } }
  summary { total succeeded failed textsAnalysed meanCefrScore errorsFound recordingsAssessed meanPronunciation }
} ... on PronunciationAssessment { referenceText accuracy pronunciation words { text } } } } }
"""
PRONOUNCE = """
mutation($input: AssessPronunciationInput!) { assessPronunciationAsync(input: $input) {
  __typename ... on Job { id kind } ... on UserError { code field } } }
"""


@pytest.fixture
def client(tmp_path: Path, clean_env: None, analysis_engine: Any, pronunciation_assessor: Any) -> Iterator[TestClient]:
    settings = make_settings(tmp_path, jobs={"batch_max_items": 5})
    container = analysis_engine.container(settings)
    container.pronunciation_assessor.override(providers.Object(pronunciation_assessor))
    with TestClient(create_app(settings, container), headers={"x-api-key": API_KEY}) as c:
        yield c


def text(value: str, user: str = "learner-9") -> dict[str, Any]:
    return {"analysis": {"text": value, "learner": {"userId": user, "sessionId": "s-batch"}}}



def upload(client: TestClient, query: str, variables: dict[str, Any], path: str, audio: bytes) -> dict[str, Any]:
    response = client.post("/graphql", data={
        "operations": json.dumps({"query": query, "variables": variables}), "map": json.dumps({"0": [path]}),
    }, files={"0": ("speech.flac", audio, "audio/flac")})
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return dict(body["data"])


def test_a_batch_of_texts_keeps_each_item_s_result_and_a_failed_item_s_typed_error(client: TestClient) -> None:
    items = [text("Yesterday I eat rice with my friends."), text("   "), text("I am agree with you.")]
    accepted = gql(client, SUBMIT, {"items": items}).json()["data"]["submitBatch"]
    assert accepted["__typename"] == "Job" and accepted["kind"] == "batch"

    job = finished_job(client, READ, accepted["id"], 180)
    assert (job["status"], job["progress"], job["error"]) == ("SUCCEEDED", 1.0, None)
    batch = job["result"]
    assert batch["__typename"] == "BatchResult"
    assert [(i["index"], i["kind"], i["status"]) for i in batch["items"]] == [
        (0, "text_analysis", "SUCCEEDED"), (1, "text_analysis", "FAILED"), (2, "text_analysis", "SUCCEEDED")]
    assert batch["items"][1]["error"] == {"code": "empty_text", "field": "text"} and not batch["items"][1]["result"]
    assert {"type": "TENSE", "originalText": "eat", "correctedText": "ate"} in batch["items"][0]["result"]["errors"]
    found = len(batch["items"][0]["result"]["errors"]) + len(batch["items"][2]["result"]["errors"])
    summary = batch["summary"]
    assert (summary["total"], summary["succeeded"], summary["failed"], summary["textsAnalysed"]) == (3, 2, 1, 2)
    assert summary["errorsFound"] == found and summary["meanCefrScore"] is not None
    assert summary["recordingsAssessed"] == 0 and summary["meanPronunciation"] is None


def test_a_batch_item_must_set_exactly_one_kind(client: TestClient) -> None:
    both = {**text("I like apple."), "pronunciation": {"audio": {"url": "https://example.com/a.flac"},
                                                        "learner": {"userId": "learner-9"}}}
    refused = gql(client, SUBMIT, {"items": [text("I like apple."), both]}).json()["data"]["submitBatch"]
    assert (refused["__typename"], refused["code"], refused["field"]) == ("InvalidInput", "invalid_input", "items[1]")
    assert "exactly one of analysis, transcription, pronunciation" in refused["message"]
    none = gql(client, SUBMIT, {"items": [{}]}).json()["data"]["submitBatch"]
    assert (none["__typename"], none["field"]) == ("InvalidInput", "items[0]")


def test_a_batch_has_a_size_limit_and_is_never_empty(client: TestClient) -> None:
    too_many = gql(client, SUBMIT, {"items": [text(f"I like apple number {n}.") for n in range(6)]})
    refused = too_many.json()["data"]["submitBatch"]
    assert (refused["code"], refused["field"]) == ("too_many_items", "items")
    assert "at most 5 items" in refused["message"]
    empty = gql(client, SUBMIT, {"items": []}).json()["data"]["submitBatch"]
    assert (empty["__typename"], empty["field"]) == ("InvalidInput", "items")


LIMITED_SUBMIT = """
mutation($items: [BatchItemInput!]!) { submitBatch(items: $items) {
  __typename ... on Job { id } ... on UserError { code field message } ... on RateLimited { itemsThatFit } } }
"""
ANALYZE = """
mutation($input: AnalyzeTextInput!) { analyzeText(input: $input) { __typename } }
"""


def test_each_batch_item_counts_against_its_learner_s_rate_limit(
    tmp_path: Path, clean_env: None, analysis_engine: Any
) -> None:
    """Issue 17: a batch used to count as one call, whatever it held."""
    settings = make_settings(tmp_path, jobs={"batch_max_items": 10}, security={"rate_limit_per_user": "4/minute"})
    with TestClient(create_app(settings, analysis_engine.container(settings)),
                    headers={"x-api-key": API_KEY}) as client:
        blank = [text(" ", user="u1")] * 6  # blank texts: each item fails fast when it runs, no model work
        refused = gql(client, LIMITED_SUBMIT, {"items": blank}).json()["data"]["submitBatch"]
        assert (refused["__typename"], refused["code"], refused["field"]) == (
            "RateLimited", "rate_limited", "learner.userId")
        assert refused["itemsThatFit"] == 4 and "only 4 fit" in refused["message"]

        accepted = gql(client, LIMITED_SUBMIT, {"items": blank[:4]}).json()["data"]["submitBatch"]
        assert accepted["__typename"] == "Job"  # the refused batch used up nothing
        single = {"input": {"text": "I like apples.", "learner": {"userId": "u1"}}}
        assert gql(client, ANALYZE, single).json()["data"]["analyzeText"]["__typename"] == "RateLimited"
        again = gql(client, LIMITED_SUBMIT, {"items": blank[:1]}).json()["data"]["submitBatch"]
        assert (again["__typename"], again["itemsThatFit"]) == ("RateLimited", None)  # one item: a plain refusal
        other = gql(client, LIMITED_SUBMIT, {"items": [text(" ", user="u2")] * 4}).json()["data"]["submitBatch"]
        assert other["__typename"] == "Job"  # each learner has a window of its own
        finished_job(client, READ, accepted["id"], 60)
        finished_job(client, READ, other["id"], 60)


def test_the_same_key_returns_the_first_batch(client: TestClient) -> None:
    items = [text("He go to school every day.")]
    first = gql(client, SUBMIT, {"items": items, "key": "session-4"}).json()["data"]["submitBatch"]
    again = gql(client, SUBMIT, {"items": items, "key": "session-4"}).json()["data"]["submitBatch"]
    other = gql(client, SUBMIT, {"items": [text("Other.")], "key": "session-4"}).json()["data"]["submitBatch"]
    assert first["id"] == again["id"] and other["__typename"] == "Conflict"


def test_a_recording_assessed_in_the_background_comes_back_typed(client: TestClient) -> None:
    audio, reference = clip("001350219")
    variables = {"input": {"audio": {"file": None}, "referenceText": reference, "learner": {"userId": "learner-9"}}}
    accepted = upload(client, PRONOUNCE, variables, "variables.input.audio.file", audio)["assessPronunciationAsync"]
    assert accepted["__typename"] == "Job" and accepted["kind"] == "pronunciation"
    job = finished_job(client, READ, accepted["id"], 180)
    assert job["status"] == "SUCCEEDED", job
    result = job["result"]
    assert result["__typename"] == "PronunciationAssessment" and result["referenceText"] == reference
    assert [w["text"] for w in result["words"]] == reference.split() and result["pronunciation"] > 50


def test_a_recording_with_a_bad_reference_is_refused_before_a_job_exists(client: TestClient) -> None:
    audio, _ = clip("001350219")
    variables = {"input": {"audio": {"file": None}, "referenceText": "   ", "learner": {"userId": "learner-9"}}}
    refused = upload(client, PRONOUNCE, variables, "variables.input.audio.file", audio)["assessPronunciationAsync"]
    assert (refused["__typename"], refused["field"]) == ("InvalidInput", "referenceText")


def test_a_batch_mixes_texts_and_recordings(client: TestClient) -> None:
    audio, reference = clip("001350219")
    items = [text("I am student."),
             {"pronunciation": {"audio": {"file": None}, "referenceText": reference,
                                "learner": {"userId": "learner-9"}}}]
    data = upload(client, SUBMIT, {"items": items}, "variables.items.1.pronunciation.audio.file", audio)
    job = finished_job(client, READ, data["submitBatch"]["id"], 180)
    items_out = job["result"]["items"]
    assert [(i["kind"], i["status"]) for i in items_out] == [("text_analysis", "SUCCEEDED"),
                                                              ("pronunciation", "SUCCEEDED")]
    assert items_out[1]["result"]["referenceText"] == reference
    summary = job["result"]["summary"]
    assert (summary["textsAnalysed"], summary["recordingsAssessed"]) == (1, 1)
    assert summary["meanPronunciation"] == items_out[1]["result"]["pronunciation"]


def test_a_canceled_batch_stops_and_stays_canceled(client: TestClient) -> None:
    items = [text(f"Yesterday I eat rice with my friend number {n}.") for n in range(5)]
    accepted = gql(client, SUBMIT, {"items": items}).json()["data"]["submitBatch"]
    canceled = gql(client, 'mutation($id: ID!) { cancelJob(id: $id) { status } }', {"id": accepted["id"]}).json()
    assert canceled["data"]["cancelJob"]["status"] == "CANCELED"
    job = finished_job(client, READ, accepted["id"], 180)
    time.sleep(1.0)  # a running batch notices at its next item; nothing it does after that is kept
    again = gql(client, READ, {"id": accepted["id"]}).json()["data"]["job"]
    assert job["status"] == again["status"] == "CANCELED"
    assert again["result"] is None or again["result"]["summary"] is None


RETRIED = """
query($id: ID!) { job(id: $id) { status result { ... on BatchResult {
  items { index kind status attempts error { code field message } }
  summary { total succeeded failed } } } } }
"""


def test_a_batch_tries_a_briefly_unreachable_recording_again_and_gives_up_on_a_dead_one(
    tmp_path: Path, clean_env: None, analysis_engine: Any, pronunciation_assessor: Any, audio_server: str
) -> None:
    """Items retry as jobs do (ENGLIVO_JOBS__MAX_ATTEMPTS runs, backoff from RETRY_BASE_SECONDS): a host that
    answers 503 once is fetched on the second run; one that keeps answering 503 fails after the last run with
    the fetch's typed error; a 404 (the request's fault) and a bad text fail at once."""
    settings = url_settings(tmp_path, jobs={"batch_max_items": 5, "retry_base_seconds": 0.05})
    container = analysis_engine.container(settings)
    container.pronunciation_assessor.override(providers.Object(pronunciation_assessor))
    _, reference = clip("001350219")
    token = uuid.uuid4().hex

    def recording(url: str) -> dict[str, Any]:
        return {"pronunciation": {"audio": {"url": url}, "referenceText": reference,
                                  "learner": {"userId": "learner-9"}}}

    items = [recording(f"{audio_server}/unavailable/1/{token}/{CLIP}"),
             recording(f"{audio_server}/unavailable/99/{token}/{CLIP}"),
             recording(f"{audio_server}/pronunciation/nothing-here.flac"),
             text("   "),
             text("I am student.")]
    with TestClient(create_app(settings, container), headers={"x-api-key": API_KEY}) as c:
        accepted = gql(c, SUBMIT, {"items": items}).json()["data"]["submitBatch"]
        job = finished_job(c, RETRIED, accepted["id"], 180)

    assert job["status"] == "SUCCEEDED", job
    out = {i["index"]: i for i in job["result"]["items"]}
    assert (out[0]["status"], out[0]["attempts"], out[0]["error"]) == ("SUCCEEDED", 2, None)
    assert (out[1]["status"], out[1]["attempts"]) == ("FAILED", 3)
    assert (out[1]["error"]["code"], out[1]["error"]["field"]) == ("unreachable", "audio.url")
    assert out[1]["error"]["message"] == "failed after 3 attempts: The audio URL answered HTTP 503."
    assert (out[2]["status"], out[2]["attempts"], out[2]["error"]["code"]) == ("FAILED", 1, "unreachable")
    assert (out[3]["status"], out[3]["attempts"], out[3]["error"]["code"]) == ("FAILED", 1, "empty_text")
    assert (out[4]["status"], out[4]["attempts"]) == ("SUCCEEDED", 1)
    assert job["result"]["summary"] == {"total": 5, "succeeded": 2, "failed": 3}
