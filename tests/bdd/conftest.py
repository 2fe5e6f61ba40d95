"""Shared pytest-bdd steps. pytest-bdd has no async steps: steps use Starlette's TestClient, whose
portal runs the app's event loop, so no step needs its own bridge."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_bdd import given
from starlette.testclient import TestClient

from entrypoints.http.app import create_app
from tests.api.conftest import make_settings


@pytest.fixture
def engine(tmp_path: Path, clean_env: None) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(tmp_path))) as client:
        yield client


@given("the engine is running", target_fixture="running_engine")
def the_engine_is_running(engine: TestClient) -> TestClient:
    return engine
