from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from entrypoints.http.app import create_app
from entrypoints.settings import Settings, load_settings

API_KEY = "test-key-0123456789"


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "database": {"url": f"sqlite+aiosqlite:///{tmp_path / 'engine.db'}"},
        "cache": {"dir": tmp_path / "cache"},
        "security": {"api_keys": [API_KEY, "rotated-key-0123456789"]},
    }
    for group, value in overrides.items():
        if isinstance(value, dict) and isinstance(values.get(group), dict):
            values[group] = {**values[group], **value}
        else:
            values[group] = value
    return load_settings(**values)


@pytest.fixture
def settings(tmp_path: Path, clean_env: None) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), headers={"x-api-key": API_KEY}) as test_client:
        yield test_client


def gql(client: TestClient, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    response = client.post("/graphql", json={"query": query, "variables": variables or {}}, **kwargs)
    return response
