"""`assessPronunciation` with audio by URL (the transcription fetcher) and without a reference text
(unscripted: the container's own transcription engine writes the reference first)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from domain.pronunciation.text import words_of
from tests.api.conftest import API_KEY, finished_job, make_settings, url_settings
from tests.api.pronunciation_client import MUTATION, assess, engine_client
from tests.conftest import clip
from tests.support.transcription import DATA, ENGINES

CLIP_PATH = "pronunciation/001350219.flac"


def by_url(client: TestClient, url: str, text: str | None) -> dict[str, Any]:
    variables = {"input": {"audio": {"url": url}, "referenceText": text, "learner": {"userId": "u1"}}}
    body = client.post("/graphql", json={"query": MUTATION, "variables": variables}).json()
    assert "errors" not in body, body
    return dict(body["data"]["assessPronunciation"])


def test_audio_by_url_is_fetched_and_assessed_like_an_upload(
    tmp_path: Path, clean_env: None, pronunciation_assessor: Any, audio_server: str
) -> None:
    settings = url_settings(tmp_path)
    data, text = clip("001350219")
    with engine_client(settings, pronunciation_assessor, API_KEY) as client:
        fetched = by_url(client, f"{audio_server}/{CLIP_PATH}", text)
        uploaded = assess(client, data, text)
        missing = by_url(client, f"{audio_server}/pronunciation/nothing-here.flac", text)
        both = client.post("/graphql", data={
            "operations": json.dumps({"query": MUTATION, "variables": {"input": {
                "audio": {"url": f"{audio_server}/{CLIP_PATH}", "file": None}, "referenceText": text,
                "learner": {"userId": "u1"}}}}),
            "map": json.dumps({"0": ["variables.input.audio.file"]}),
        }, files={"0": ("speech.flac", data, "audio/flac")}).json()["data"]["assessPronunciation"]

    assert fetched["__typename"] == "PronunciationAssessment"
    assert fetched["pronunciation"] == uploaded["pronunciation"] and fetched["words"] == uploaded["words"]
    assert (missing["__typename"], missing["code"], missing["field"]) == ("AudioRejected", "unreachable", "audio.url")
    assert (both["__typename"], both["field"]) == ("InvalidInput", "audio")


def test_audio_urls_follow_the_transcription_host_rules(
    tmp_path: Path, clean_env: None, pronunciation_assessor: Any, audio_server: str
) -> None:
    """Outside development only https, and never a private address unless allowed."""
    with engine_client(make_settings(tmp_path), pronunciation_assessor, API_KEY) as client:
        plain_http = by_url(client, f"{audio_server}/{CLIP_PATH}", "No one wants to talk to me tonight")
        private = by_url(client, "https://127.0.0.1/clip.flac", "No one wants to talk to me tonight")

    assert (plain_http["__typename"], plain_http["code"]) == ("AudioRejected", "host_not_allowed")
    assert (private["__typename"], private["code"]) == ("AudioRejected", "host_not_allowed")


@pytest.mark.parametrize("engine", ENGINES)
def test_unscripted_recording_is_assessed_against_its_transcript(
    tmp_path: Path, clean_env: None, pronunciation_assessor: Any, engine: str
) -> None:
    """No reference text: the container's transcription engine (either local one) transcribes first."""
    data, text = clip("001350219")
    settings = make_settings(tmp_path, engines={"transcription": engine})
    with engine_client(settings, pronunciation_assessor, API_KEY) as client:
        result = assess(client, data, None)

    assert result["__typename"] == "PronunciationAssessment"
    assert result["scripted"] is False
    assert any("only as good as the speech recognition" in w for w in result["warnings"])
    transcript = [w.upper() for w in words_of(result["referenceText"])]
    assert [w["text"].upper() for w in result["words"] if w["errorKind"] != "INSERTION"] == transcript
    # both recognisers hear this well-read sentence: most of the learner's words are in the reference it wrote
    assert len(set(transcript) & set(text.split())) >= len(text.split()) - 2
    assert result["pronunciation"] >= 60


@pytest.mark.parametrize("engine", ENGINES)
def test_numbers_in_an_unscripted_recording_are_spelled_out_and_assessed(
    tmp_path: Path, clean_env: None, pronunciation_assessor: Any, engine: str
) -> None:
    """Both recognisers write "12" for a spoken twelve; a reference needs the words to assess them."""
    data = (DATA / "numbers.ogg").read_bytes()  # espeak-ng: "My sister is 12 years old and she has 3 cats."
    settings = make_settings(tmp_path, engines={"transcription": engine})
    with engine_client(settings, pronunciation_assessor, API_KEY) as client:
        result = assess(client, data, None)

    assert result["__typename"] == "PronunciationAssessment", result
    reference = words_of(result["referenceText"])
    assert "twelve" in [w.lower() for w in reference] and not any(c.isdigit() for c in result["referenceText"])
    assessed = [w["text"].lower() for w in result["words"] if w["errorKind"] != "INSERTION"]
    assert "twelve" in assessed and len(assessed) == len(reference)


ASYNC = """mutation($input: AssessPronunciationInput!) { assessPronunciationAsync(input: $input) {
  __typename ... on Job { id } ... on UserError { code field } } }"""
JOB = """query($id: ID!) { job(id: $id) { status error { code } result { __typename
  ... on PronunciationAssessment { pronunciation words { text errorKind } } } } }"""


def test_audio_by_url_is_assessed_in_the_background_too(
    tmp_path: Path, clean_env: None, pronunciation_assessor: Any, audio_server: str
) -> None:
    """The job keeps only the URL; the recording is fetched when the job runs."""
    settings = url_settings(tmp_path)
    _, text = clip("001350219")
    variables = {"input": {"audio": {"url": f"{audio_server}/{CLIP_PATH}"}, "referenceText": text,
                           "learner": {"userId": "u1"}}}
    with engine_client(settings, pronunciation_assessor, API_KEY) as client:
        direct = by_url(client, f"{audio_server}/{CLIP_PATH}", text)
        submitted = client.post("/graphql", json={"query": ASYNC, "variables": variables}).json()
        assert submitted["data"]["assessPronunciationAsync"]["__typename"] == "Job", submitted
        job_id = submitted["data"]["assessPronunciationAsync"]["id"]
        job = finished_job(client, JOB, job_id)

    assert job["status"] == "SUCCEEDED", job
    assert job["result"]["__typename"] == "PronunciationAssessment"
    assert job["result"]["pronunciation"] == direct["pronunciation"]


RETRIED = """query($id: ID!) { job(id: $id) { status attempts error { code field message } result { __typename
  ... on PronunciationAssessment { pronunciation } } } }"""


def test_a_job_tries_an_audio_host_that_did_not_answer_again(
    tmp_path: Path, clean_env: None, pronunciation_assessor: Any, audio_server: str
) -> None:
    """503 is "not now": the job fetches again after its backoff and succeeds; a host that keeps answering 503
    fails the job after its last attempt with the fetch's typed error; the direct call reports it at once."""
    settings = url_settings(tmp_path, jobs={"retry_base_seconds": 0.05})
    _, text = clip("001350219")
    token = uuid.uuid4().hex

    def submit(client: TestClient, url: str) -> dict[str, Any]:
        variables = {"input": {"audio": {"url": url}, "referenceText": text, "learner": {"userId": "u1"}}}
        submitted = client.post("/graphql", json={"query": ASYNC, "variables": variables}).json()
        return finished_job(client, RETRIED, submitted["data"]["assessPronunciationAsync"]["id"])

    with engine_client(settings, pronunciation_assessor, API_KEY) as client:
        direct = by_url(client, f"{audio_server}/unavailable/1/{token}-direct/{CLIP_PATH}", text)
        recovered = submit(client, f"{audio_server}/unavailable/2/{token}/{CLIP_PATH}")
        dead = submit(client, f"{audio_server}/unavailable/99/{token}/{CLIP_PATH}")

    assert (direct["__typename"], direct["code"], direct["field"]) == ("AudioRejected", "unreachable", "audio.url")
    assert (recovered["status"], recovered["attempts"]) == ("SUCCEEDED", 3), recovered
    assert recovered["result"]["__typename"] == "PronunciationAssessment"
    assert (dead["status"], dead["attempts"]) == ("FAILED", 3)
    assert dead["error"] == {"code": "unreachable", "field": "audio.url",
                             "message": "failed after 3 attempts: The audio URL answered HTTP 503."}
