"""One set of audio errors: the same bytes sent to `transcribe` and to `assessPronunciation` are refused
with the same code, message and limit (one decoder, one mapping); a truncated WAV is used with a warning.
Through the whole HTTP stack with the real engines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.api.conftest import API_KEY, make_settings
from tests.api.pronunciation_client import engine_client
from tests.support.transcription import DATA

WAV = (DATA / "clip.wav").read_bytes()
TEXT = "Are you going to have another drink"
TRANSCRIBE = """
mutation($input: TranscribeInput!) {
  transcribe(input: $input) {
    __typename
    ... on Transcription { text duration warnings }
    ... on UserError { code message field }
    ... on AudioRejected { limit }
  }
}
"""
ASSESS = """
mutation($input: AssessPronunciationInput!) {
  assessPronunciation(input: $input) {
    __typename
    ... on PronunciationAssessment { referenceText warnings }
    ... on UserError { code message field }
    ... on AudioRejected { limit }
  }
}
"""


def upload(client: TestClient, query: str, audio: bytes, **extra: Any) -> dict[str, Any]:
    variables = {"input": {"audio": {"file": None}, "learner": {"userId": "u1"}, **extra}}
    response = client.post("/graphql", data={
        "operations": json.dumps({"query": query, "variables": variables}),
        "map": json.dumps({"0": ["variables.input.audio.file"]}),
    }, files={"0": ("speech.wav", audio, "audio/wav")})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return next(iter(body["data"].values()))  # type: ignore[no-any-return]


def both(client: TestClient, audio: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    return upload(client, TRANSCRIBE, audio), upload(client, ASSESS, audio, referenceText=TEXT)


@pytest.mark.parametrize(("audio", "settings", "code"), [
    (b"", {}, "corrupt"),
    (b"this is not audio " * 100, {}, "unsupported_format"),
    (WAV, {"min_seconds": 5}, "too_short"),
    (WAV, {"max_seconds": 1}, "too_long"),
    (WAV, {"max_mb": 0.01}, "too_large"),
])
def test_the_same_audio_gets_the_same_refusal_from_both_capabilities(
    tmp_path: Path, clean_env: None, pronunciation_assessor: Any, audio: bytes, settings: dict[str, Any], code: str
) -> None:
    with engine_client(make_settings(tmp_path, audio=settings), pronunciation_assessor, API_KEY) as client:
        transcribed, assessed = both(client, audio)
    assert transcribed["__typename"] == assessed["__typename"] == "AudioRejected"
    assert transcribed["code"] == code
    assert transcribed == assessed  # code, message, field and limit


def test_a_truncated_wav_is_used_with_a_warning_from_both_capabilities(
    tmp_path: Path, clean_env: None, pronunciation_assessor: Any
) -> None:
    truncated = WAV[:len(WAV) * 2 // 3]
    with engine_client(make_settings(tmp_path), pronunciation_assessor, API_KEY) as client:
        transcribed, assessed = both(client, truncated)
        whole, _ = both(client, WAV)
    assert transcribed["__typename"] == "Transcription" and assessed["__typename"] == "PronunciationAssessment"
    (warning,) = transcribed["warnings"]
    assert "cut short" in warning and "2.6 s" in warning and f"{transcribed['duration']:.1f} s" in warning
    assert warning in assessed["warnings"]
    assert whole["warnings"] == []
