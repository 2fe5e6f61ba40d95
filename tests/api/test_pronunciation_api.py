from __future__ import annotations

import asyncio
from pathlib import Path

from adapters.persistence.database import Database
from adapters.persistence.unit_of_work import unit_of_work_factory
from domain.results import ResultKind
from tests.api.conftest import API_KEY, make_settings
from tests.api.pronunciation_client import assess, engine_client
from tests.conftest import clip


async def _stored(url: str, user: str) -> list:  # type: ignore[type-arg]
    database = Database(url, "englivo")
    try:
        async with unit_of_work_factory(database)() as uow:
            return await uow.results.list_for_user(user, kind=ResultKind.PRONUNCIATION)
    finally:
        await database.dispose()


def test_upload_is_assessed_cached_and_stored(tmp_path: Path, clean_env: None, pronunciation_assessor) -> None:
    settings = make_settings(tmp_path)
    data, text = clip("001350219")
    with engine_client(settings, pronunciation_assessor, API_KEY) as client:
        first = assess(client, data, text)
        second = assess(client, data, text)

    assert first["__typename"] == "PronunciationAssessment"
    assert first == second  # the second answer came from the cache
    assert [w["text"] for w in first["words"]] == text.split()
    assert first["words"][0]["phonemes"][0]["expectedIpa"] == "n"
    stored = asyncio.run(_stored(settings.database.url, "u1"))
    assert len(stored) == 2 and stored[0].session_id == "s1" and stored[0].score == first["pronunciation"]


def test_expected_failures_are_typed(tmp_path: Path, clean_env: None, pronunciation_assessor) -> None:
    # Transcription switched off: unscripted assessment has no recogniser to write its reference.
    settings = make_settings(tmp_path, security={"rate_limit_per_user": "3/minute"}, features={"transcription": False})
    data, _ = clip("001350219")
    with engine_client(settings, pronunciation_assessor, API_KEY) as client:
        empty = assess(client, data, "   ")
        garbage = assess(client, b"not audio at all", "Hello there", user="u2")
        unscripted = assess(client, data, None, user="u2")
        for _ in range(2):
            assess(client, b"x", "Hello", user="u3")
        limited = assess(client, b"x", "Hello", user="u3")
        fourth = assess(client, b"x", "Hello", user="u3")

    assert (empty["__typename"], empty["field"]) == ("InvalidInput", "referenceText")
    assert (garbage["__typename"], garbage["code"]) == ("AudioRejected", "unsupported_format")
    assert (unscripted["__typename"], unscripted["field"]) == ("ProviderUnavailable", "referenceText")
    assert limited["__typename"] == "AudioRejected"
    assert fourth["__typename"] == "RateLimited" and fourth["retryAfterSeconds"] > 0


def test_readiness_reports_the_pronunciation_model(tmp_path: Path, clean_env: None, pronunciation_assessor) -> None:
    with engine_client(make_settings(tmp_path), pronunciation_assessor, API_KEY) as client:
        components = {c["name"]: c["status"] for c in client.get("/health/ready").json()["components"]}
    assert components["model.pronunciation"] == "up"
