"""URL fields at the GraphQL boundary (issue 17.1): a malformed audio URL or callbackUrl is InvalidInput on its
field, in the synchronous and the asynchronous mutations and in batches, before anything is fetched or a job
is queued; a callbackUrl on a host that is not public is refused at submission. Nothing is fetched here."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, finished_job, gql, make_settings

MALFORMED = ["http://127.0.0.1:99999/a.flac", "http://[::1", "https://example.com:0/a.flac", "not a url",
             "https:///a.flac"]
SECRET = "whsec_" + base64.b64encode(b"englivo-test-secret-32-bytes-long").decode()
LEARNER = {"userId": "learner-url"}
REFUSAL = "__typename ... on UserError { code field message }"


@pytest.fixture
def client(tmp_path: Path, clean_env: None) -> Iterator[TestClient]:
    settings = make_settings(tmp_path, jobs={"webhook_secret": SECRET})
    with TestClient(create_app(settings), headers={"x-api-key": API_KEY}) as test_client:
        yield test_client


def call(client: TestClient, mutation: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = gql(client, mutation, variables).json()
    assert "errors" not in body, body
    [result] = body["data"].values()
    return dict(result)


def transcription(url: str) -> dict[str, Any]:
    return {"audio": {"url": url}, "learner": LEARNER}


def pronunciation(url: str) -> dict[str, Any]:
    return {"audio": {"url": url}, "referenceText": "Good morning", "learner": LEARNER}


MUTATIONS = {
    "transcribe": (f"mutation($input: TranscribeInput!) {{ transcribe(input: $input) {{ {REFUSAL} }} }}",
                   transcription),
    "transcribeAsync": (f"mutation($input: TranscribeInput!) {{ transcribeAsync(input: $input) {{ {REFUSAL} }} }}",
                        transcription),
    "assessPronunciation": ("mutation($input: AssessPronunciationInput!) { assessPronunciation(input: $input) "
                            f"{{ {REFUSAL} }} }}", pronunciation),
    "assessPronunciationAsync": ("mutation($input: AssessPronunciationInput!) { assessPronunciationAsync(input: "
                                 f"$input) {{ {REFUSAL} }} }}", pronunciation),
}


@pytest.mark.parametrize("mutation", list(MUTATIONS))
@pytest.mark.parametrize("url", MALFORMED)
def test_a_malformed_audio_url_is_invalid_input_on_the_field(client: TestClient, mutation: str, url: str) -> None:
    query, make_input = MUTATIONS[mutation]
    refused = call(client, query, {"input": make_input(url)})
    assert (refused["__typename"], refused["code"], refused["field"]) == ("InvalidInput", "invalid_input", "audio.url")
    assert refused["message"].startswith("audio.url ")


@pytest.mark.parametrize("mutation", ["transcribe", "assessPronunciation"])
@pytest.mark.parametrize("url", ["https://100.64.0.1/a.flac", "https://[fec0::1]/a.flac",
                                 "https://[2002:a9fe:a9fe::1]/a.flac", "https://[ff02::1]/a.flac"])
def test_an_audio_url_on_an_address_that_is_not_public_is_refused(client: TestClient, mutation: str, url: str) -> None:
    query, make_input = MUTATIONS[mutation]
    refused = call(client, query, {"input": make_input(url)})
    assert (refused["__typename"], refused["code"], refused["field"]) == ("AudioRejected", "host_not_allowed",
                                                                          "audio.url")


def test_a_background_job_on_such_an_address_fails_at_once_without_retries(client: TestClient) -> None:
    query = ("mutation($input: TranscribeInput!) { transcribeAsync(input: $input) { __typename ... on Job { id } "
             "} }")
    accepted = call(client, query, {"input": transcription("https://100.100.100.200/latest/meta-data")})
    job = finished_job(client, "query($id: ID!) { job(id: $id) { status attempts error { code field } } }",
                       accepted["id"], 60)
    assert job == {"status": "FAILED", "attempts": 1, "error": {"code": "host_not_allowed", "field": "audio.url"}}


def test_a_malformed_audio_url_in_a_batch_names_its_item(client: TestClient) -> None:
    query = f"mutation($items: [BatchItemInput!]!) {{ submitBatch(items: $items) {{ {REFUSAL} }} }}"
    items = [{"transcription": transcription("https://example.com/a.flac")},
             {"pronunciation": pronunciation("http://[::1")}]
    refused = call(client, query, {"items": items})
    assert (refused["__typename"], refused["field"]) == ("InvalidInput", "items[1].audio.url")


ANALYZE_ASYNC = (f"mutation($input: AnalyzeTextInput!, $callback: String) {{ analyzeTextAsync(input: $input, "
                 f"callbackUrl: $callback) {{ {REFUSAL} }} }}")


def submit_with_callback(client: TestClient, callback: str) -> dict[str, Any]:
    return call(client, ANALYZE_ASYNC, {"input": {"text": "I goes home.", "learner": LEARNER}, "callback": callback})


@pytest.mark.parametrize("callback", MALFORMED)
def test_a_malformed_callback_url_is_invalid_input_before_a_job_exists(client: TestClient, callback: str) -> None:
    refused = submit_with_callback(client, callback)
    assert (refused["__typename"], refused["code"], refused["field"]) == ("InvalidInput", "invalid_input",
                                                                          "callbackUrl")


@pytest.mark.parametrize("callback", ["http://100.64.0.1/hook", "http://100.100.100.200/hook", "http://[fec0::1]/hook",
                                      "http://[2002:a9fe:a9fe::1]/hook", "http://224.0.0.1/hook",
                                      "http://localhost:9/hook"])
def test_a_callback_url_on_a_host_that_is_not_public_is_refused_at_submission(
    client: TestClient, callback: str
) -> None:
    refused = submit_with_callback(client, callback)
    assert (refused["__typename"], refused["code"], refused["field"]) == ("InvalidInput", "host_not_allowed",
                                                                          "callbackUrl")
