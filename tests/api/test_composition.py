"""The container is the one place adapters are chosen; tests swap a provider and the app follows."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import structlog
from dependency_injector import providers
from starlette.testclient import TestClient

from adapters.observability.logging import configure_logging
from adapters.observability.sentry import init_sentry
from domain.health import ComponentState
from entrypoints.container import build_container
from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, make_settings
from tests.fakes.probes import FixedProbe


def test_an_overridden_provider_reaches_the_running_app(tmp_path: Path, clean_env: None) -> None:
    settings = make_settings(tmp_path)
    container = build_container(settings)
    container.probes.override(providers.Object([FixedProbe("database", ComponentState.DOWN)]))
    with TestClient(create_app(settings, container)) as client:
        response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["components"][0] == {
        "name": "database", "kind": "fake", "status": "down", "required": True,
        "latencyMs": response.json()["components"][0]["latencyMs"], "detail": "database refused the connection"}


def test_building_the_app_opens_nothing_until_it_starts(tmp_path: Path, clean_env: None) -> None:
    settings = make_settings(tmp_path)
    create_app(settings)
    assert not (tmp_path / "engine.db").exists() and not (tmp_path / "cache").exists()


def test_production_logs_are_json_lines_with_the_request_id(
    tmp_path: Path, clean_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(tmp_path, observability={"log_json": True})
    with TestClient(create_app(settings), headers={"x-api-key": API_KEY}) as client:
        client.post("/graphql", json={"query": "{ health }"}, headers={"x-request-id": "req-77"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    request = next(line for line in lines if line["event"] == "request")
    assert request["request_id"] == "req-77" and request["status"] == 200 and request["level"] == "info"
    assert API_KEY not in json.dumps(lines)
    configure_logging("INFO", json=False)
    structlog.reset_defaults()
    logging.getLogger().handlers.clear()


def test_sentry_starts_only_with_a_dsn() -> None:
    import sentry_sdk

    assert init_sentry(None, "test", "1.0", 0.0) is False
    assert init_sentry("https://public@sentry.example.invalid/1", "test", "1.0", 0.0) is True
    client = sentry_sdk.get_client()
    assert client.is_active()
    collected = client.options["data_collection"]
    assert collected["user_info"] is False and collected["http_bodies"] == []
    assert collected["stack_frame_variables"] is False
    sentry_sdk.init(dsn=None, auto_enabling_integrations=False)  # back to no reporting for the other tests


def test_text_analysis_and_the_cefr_model_share_one_spacy_pipeline(tmp_path: Path, clean_env: None) -> None:
    """One copy of the parser per process (~40 MB each), and a parse made by one is valid for the other."""
    container = build_container(make_settings(tmp_path))
    cefr, parsed = container.cefr_model(), container.parsed_texts()
    assert not cefr.loaded
    cefr.warm_up()
    assert cefr._load().nlp is parsed.pipeline()
