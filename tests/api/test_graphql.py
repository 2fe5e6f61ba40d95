from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient
from structlog.testing import capture_logs

from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, gql, make_settings


def test_service_info_reports_version_engines_and_limits(client: TestClient) -> None:
    query = """{ serviceInfo { name version environment cefrThresholds
        capabilities { transcription { enabled engine model } analysis { enabled engine llmProvider }
                       cefr { enabled engine } pronunciation { enabled engine } progress { enabled }
                       jobs { enabled queue } }
        limits { audioMaxMb audioMaxSeconds audioMinSeconds audioFormats audioSampleRate rateLimitPerKey
                 rateLimitPerUser graphqlMaxDepth graphqlMaxTokens graphqlMaxAliases } } }"""
    info = gql(client, query).json()["data"]["serviceInfo"]
    assert info["version"] and info["environment"] == "test"
    assert info["capabilities"]["transcription"]["engine"] == "moonshine"
    assert info["capabilities"]["transcription"]["model"] == "moonshine-base-en"
    assert info["capabilities"]["jobs"]["queue"] == "in-process"
    assert info["limits"]["audioMaxMb"] == 25 and info["limits"]["graphqlMaxDepth"] == 12
    assert info["cefrThresholds"] == [30, 45, 60, 75, 90]
    assert info["capabilities"]["analysis"] == {"enabled": True, "engine": "local", "llmProvider": "none"}
    assert info["limits"]["audioFormats"][0] == "wav" and info["limits"]["rateLimitPerUser"] == "120/minute"


def test_schema_exposes_the_typed_error_model(client: TestClient) -> None:
    query = """{ __type(name: "UserError") { kind fields { name } possibleTypes { name } } }"""
    error_type = gql(client, query).json()["data"]["__type"]
    assert error_type["kind"] == "INTERFACE"
    assert {f["name"] for f in error_type["fields"]} == {"code", "message", "field"}
    assert {"InvalidInput", "AudioRejected", "RateLimited", "ProviderUnavailable"} <= {
        t["name"] for t in error_type["possibleTypes"]}


def test_too_deep_a_query_is_refused(tmp_path: Path, clean_env: None) -> None:
    settings = make_settings(tmp_path, graphql={"max_depth": 1})
    with TestClient(create_app(settings), headers={"x-api-key": API_KEY}) as client:
        errors = gql(client, '{ job(id: "x") { error { code } } }').json()["errors"]
        shallow = gql(client, '{ job(id: "x") { id } }').json()
    assert "exceeds maximum operation depth" in errors[0]["message"]
    assert shallow == {"data": {"job": None}}


def test_too_many_aliases_are_refused(client: TestClient) -> None:
    query = "{ " + " ".join(f"a{i}: health" for i in range(20)) + " }"
    errors = gql(client, query).json()["errors"]
    assert "aliases" in errors[0]["message"].lower()


def test_too_many_tokens_are_refused(client: TestClient) -> None:
    query = "{ " + " ".join("health" for _ in range(2100)) + " }"
    errors = gql(client, query).json()["errors"]
    assert "token" in errors[0]["message"].lower()


def test_syntax_errors_are_reported_as_they_are(client: TestClient) -> None:
    errors = gql(client, "{ health ").json()["errors"]
    assert "Syntax Error" in errors[0]["message"]


def test_unknown_job_is_null(client: TestClient) -> None:
    assert gql(client, '{ job(id: "missing") { id status } }').json() == {"data": {"job": None}}


def test_unexpected_failures_are_masked_with_an_error_id_that_the_logs_carry(client: TestClient) -> None:
    # A corrupted row is an engine fault, not the caller's: the client must see no internals.
    container = client.app.state.container  # type: ignore[attr-defined]
    import asyncio

    from sqlalchemy import text

    async def corrupt() -> None:
        async with container.database().engine.begin() as conn:
            await conn.execute(text(
                "INSERT INTO jobs (id, kind, status, progress, attempts, input, meta, created_at, updated_at) "
                "VALUES ('bad', 'x', 'exploded', 0, 0, '{}', '{}', '2026-01-01', '2026-01-01')"))

    client.portal.call(corrupt) if hasattr(client, "portal") and client.portal else asyncio.run(corrupt())
    with capture_logs() as logs:
        body = gql(client, '{ job(id: "bad") { id status } }').json()
    error = body["errors"][0]
    assert error["message"].startswith("Unexpected error") and "exploded" not in error["message"]
    assert error["extensions"]["code"] == "INTERNAL"
    logged = [entry for entry in logs if entry["event"] == "graphql_unexpected_error"]
    assert logged and logged[0]["error_id"] == error["extensions"]["errorId"]
