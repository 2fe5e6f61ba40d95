"""The `transcribe` mutation through the HTTP GraphQL API, with the real local engine: a success by
upload and by URL, and every typed error a client can get."""

from __future__ import annotations

import functools
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers
from starlette.testclient import TestClient

from adapters.inference.scheduler import InferenceScheduler
from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.transcription_wiring import TranscriptionComponents, fetch_policy
from tests.api.conftest import API_KEY, make_settings
from tests.support.transcription import DATA, TranscribeFactory

MUTATION = """
mutation Transcribe($input: TranscribeInput!) {
  transcribe(input: $input) {
    __typename
    ... on Transcription { text duration speakers words { text start end confidence isFiller speaker }
                           segments { id text } metrics { wordsPerMinute pauseCount fillerCount }
                           engine { engine model } }
    ... on UserError { code message field }
    ... on AudioRejected { limit }
    ... on RateLimited { retryAfterSeconds }
    ... on ProviderUnavailable { provider }
  }
}
"""
CLIP = DATA / "024020047.flac"


def _client(
    tmp_path: Path, factory: TranscribeFactory, limits: dict[str, Any] | None = None, **overrides: Any
) -> TestClient:
    """An app whose transcription shares the session's loaded model; `limits` go to the use case."""
    settings = make_settings(tmp_path, **overrides)
    container = build_container(settings)
    limits = limits or {}
    transcribe = factory(**limits, policy=fetch_policy(settings))
    components = TranscriptionComponents(transcribe, transcribe._recognizer, InferenceScheduler(1, 60))  # type: ignore[attr-defined]
    container.transcription.override(providers.Object(components))
    if "max_bytes" in limits:
        container.services.add_kwargs(transcribe_max_bytes=limits["max_bytes"])
    return TestClient(create_app(settings, container), headers={"x-api-key": API_KEY})


@pytest.fixture
def client(tmp_path: Path, clean_env: None, make_transcribe: TranscribeFactory) -> Iterator[TestClient]:
    with _client(tmp_path, make_transcribe) as test_client:
        yield test_client


def variables(audio: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"input": {"audio": audio, "learner": {"userId": "learner-1", "sessionId": "s-1"}, **extra}}


def upload(client: TestClient, path_or_bytes: Path | bytes, **extra: Any) -> dict[str, Any]:
    content = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    operations = {"query": MUTATION, "variables": variables({"file": None}, **extra)}
    response = client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.audio.file"]})},
        files={"0": ("recording.bin", content, "application/octet-stream")},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["transcribe"]  # type: ignore[no-any-return]


def by_url(client: TestClient, url: str, **extra: Any) -> dict[str, Any]:
    body = client.post("/graphql", json={"query": MUTATION, "variables": variables({"url": url}, **extra)}).json()
    assert "errors" not in body, body
    return body["data"]["transcribe"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(("engine", "expected"), [
    ("moonshine", {"engine": "moonshine", "model": "moonshine-base-en"}),
    ("whisper", {"engine": "faster-whisper", "model": "tiny.en"}),
])
def test_uploaded_recording_is_transcribed_with_timed_words(
    tmp_path: Path, clean_env: None, make_transcribe: TranscribeFactory, engine: str, expected: dict[str, str]
) -> None:
    with _client(tmp_path, functools.partial(make_transcribe, engine=engine)) as client:
        result = upload(client, CLIP)
    assert result["__typename"] == "Transcription"
    assert result["words"] and all(w["end"] > w["start"] for w in result["words"])
    assert result["engine"] == expected
    assert result["metrics"]["wordsPerMinute"] > 0


def test_stereo_upload_with_diarization_names_two_speakers(client: TestClient) -> None:
    result = upload(client, DATA / "stereo_two_speakers.flac", diarize=True)
    assert result["speakers"] == ["S1", "S2"]
    assert {w["speaker"] for w in result["words"]} == {"S1", "S2"}


def test_recording_by_url_in_development(
    tmp_path: Path, clean_env: None, make_transcribe: TranscribeFactory, audio_server: str
) -> None:
    with _client(tmp_path, make_transcribe, environment="development", audio={"allow_private_hosts": True}) as c:
        assert by_url(c, f"{audio_server}/024020047.flac")["__typename"] == "Transcription"


@pytest.mark.parametrize(
    ("limits", "code", "limit"),
    [
        ({"max_bytes": 10_000}, "too_large", "0.01 MB"),
        ({"max_seconds": 1}, "too_long", "1 s"),
        ({"min_seconds": 5}, "too_short", "5 s"),
    ],
)
def test_limits_are_typed_refusals(
    tmp_path: Path, clean_env: None, make_transcribe: TranscribeFactory, limits: dict[str, Any], code: str, limit: str
) -> None:
    with _client(tmp_path, make_transcribe, limits) as c:
        result = upload(c, CLIP)
    assert (result["__typename"], result["code"], result["limit"], result["field"]) == (
        "AudioRejected",
        code,
        limit,
        "audio",
    )


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"this is not audio " * 100, "unsupported_format"), (CLIP.read_bytes()[:3000], "corrupt")],
)
def test_bad_audio_is_refused(client: TestClient, content: bytes, code: str) -> None:
    result = upload(client, content)
    assert (result["__typename"], result["code"]) == ("AudioRejected", code)
    assert result["message"]


def test_silence_gives_no_words_or_no_speech_when_speech_is_required(client: TestClient) -> None:
    assert upload(client, DATA / "silence.ogg")["words"] == []
    result = upload(client, DATA / "silence.ogg", requireSpeech=True)
    assert (result["__typename"], result["code"]) == ("AudioRejected", "no_speech")


def test_private_host_is_not_allowed(client: TestClient, audio_server: str) -> None:
    result = by_url(client, f"https://127.0.0.1:{audio_server.rsplit(':', 1)[1]}")
    assert (result["__typename"], result["code"], result["field"]) == ("AudioRejected", "host_not_allowed", "audio.url")


def test_unreachable_url(tmp_path: Path, clean_env: None, make_transcribe: TranscribeFactory) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with _client(tmp_path, make_transcribe, environment="development", audio={"allow_private_hosts": True}) as c:
        result = by_url(c, f"http://127.0.0.1:{port}/gone.flac")
    assert (result["__typename"], result["code"]) == ("AudioRejected", "unreachable")


@pytest.mark.parametrize(
    ("audio", "extra", "field"),
    [
        ({}, {}, "audio"),
        ({"url": "https://example.com/a.flac"}, {"language": "not a tag"}, "language"),
        ({"url": "https://example.com/a.flac"}, {"diarize": True, "maxSpeakers": 0}, "maxSpeakers"),
    ],
)
def test_invalid_input(client: TestClient, audio: dict[str, Any], extra: dict[str, Any], field: str) -> None:
    body = client.post("/graphql", json={"query": MUTATION, "variables": variables(audio, **extra)}).json()
    result = body["data"]["transcribe"]
    assert (result["__typename"], result["code"], result["field"]) == ("InvalidInput", "invalid_input", field)


def test_rate_limited_per_learner(tmp_path: Path, clean_env: None, make_transcribe: TranscribeFactory) -> None:
    with _client(tmp_path, make_transcribe, security={"rate_limit_per_user": "1/minute"}) as c:
        upload(c, b"not audio " * 100)
        result = upload(c, b"not audio " * 100)
    assert result["__typename"] == "RateLimited" and result["retryAfterSeconds"] > 0


def test_unconfigured_provider(tmp_path: Path, clean_env: None) -> None:
    settings = make_settings(tmp_path, engines={"transcription": "azure"})
    with TestClient(create_app(settings), headers={"x-api-key": API_KEY}) as c:
        result = upload(c, CLIP)
        ready = c.get("/health/ready").json()
    assert (result["__typename"], result["provider"]) == ("ProviderUnavailable", "azure")
    azure = [comp for comp in ready["components"] if comp["name"] == "provider.azure_speech"]
    assert azure and azure[0]["status"] == "unconfigured"
