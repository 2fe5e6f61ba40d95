from __future__ import annotations

import time
from collections.abc import Callable, Iterator
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



def url_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Audio fetched from the test's own local server (a private host, plain http), without the cache."""
    return make_settings(tmp_path, environment="development", audio={"allow_private_hosts": True},
                         cache={"enabled": False}, **overrides)

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


FINISHED = ("SUCCEEDED", "FAILED", "CANCELED")


def finished_job(client: TestClient, query: str, job_id: str, seconds: float = 120,
                 describe: Callable[[], str] | None = None) -> dict[str, Any]:
    """Reads `job(id)` with `query` (which takes `$id` and selects `status`) until the job has finished;
    fails the test when it has not within `seconds`, with the last read and `describe()` (e.g. a worker's log)."""
    deadline, job = time.monotonic() + seconds, {}
    while time.monotonic() < deadline:
        body = client.post("/graphql", json={"query": query, "variables": {"id": job_id}}).json()
        assert "errors" not in body, body
        job = body["data"]["job"]
        if job["status"] in FINISHED:
            return dict(job)
        time.sleep(0.1)
    pytest.fail(f"job {job_id} did not finish in {seconds} s: {job} {describe() if describe else ''}")
