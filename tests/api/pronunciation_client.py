"""Calls `assessPronunciation` with a multipart upload (the GraphQL multipart request spec)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dependency_injector import providers
from starlette.testclient import TestClient

from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings

MUTATION = """
mutation($input: AssessPronunciationInput!) {
  assessPronunciation(input: $input) {
    __typename
    ... on PronunciationAssessment {
      referenceText scripted accuracy fluency completeness prosody pronunciation commonIssues improvementTips
      wordsToPractise warnings
      words { text accuracy errorKind confidence phonemes { expected expectedIpa heard accuracy mispronounced } }
      engine { engine }
    }
    ... on UserError { code message field }
    ... on RateLimited { retryAfterSeconds }
  }
}
"""


@contextmanager
def engine_client(settings: Settings, assessor: Any, api_key: str) -> Iterator[TestClient]:
    """The whole app with the session's loaded assessor in place of a fresh one (same class, same model)."""
    container = build_container(settings)
    container.pronunciation_assessor.override(providers.Object(assessor))
    with TestClient(create_app(settings, container), headers={"x-api-key": api_key}) as client:
        yield client


def assess(client: TestClient, audio: bytes, text: str | None, user: str = "u1", session: str | None = "s1",
           **extra: Any) -> dict[str, Any]:
    variables = {"input": {"audio": {"file": None}, "referenceText": text,
                           "learner": {"userId": user, "sessionId": session}, **extra}}
    response = client.post("/graphql", data={
        "operations": json.dumps({"query": MUTATION, "variables": variables}),
        "map": json.dumps({"0": ["variables.input.audio.file"]}),
    }, files={"0": ("speech.flac", audio, "audio/flac")})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"]["assessPronunciation"])
