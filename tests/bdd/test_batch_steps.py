from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when
from starlette.testclient import TestClient

from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, finished_job, gql, make_settings
from tests.api.test_batch import READ, SUBMIT, text

scenarios("jobs/batch.feature")


@pytest.fixture
def analysis_client(tmp_path: Path, clean_env: None, analysis_engine: Any) -> Iterator[TestClient]:
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings, analysis_engine.container(settings)), headers={"x-api-key": API_KEY}) as c:
        yield c


@given("the engine is running with its text analysis", target_fixture="engine_client")
def engine_running(analysis_client: TestClient) -> TestClient:
    return analysis_client


@when("the orchestrator sends a session's utterances in one batch:", target_fixture="accepted")
def send_batch(engine_client: TestClient, datatable: list[list[str]]) -> dict[str, Any]:
    rows = [row[0] for row in datatable[1:]]
    answer = gql(engine_client, SUBMIT, {"items": [text(row) for row in rows]}).json()
    return dict(answer["data"]["submitBatch"])


@then("the engine answers at once with a batch job")
def batch_job(accepted: dict[str, Any]) -> None:
    assert accepted["__typename"] == "Job" and accepted["kind"] == "batch"


@then(parsers.parse("later utterances {first:d} and {second:d} have their analyses with the errors found"),
      target_fixture="batch")
def analysed(engine_client: TestClient, accepted: dict[str, Any], first: int, second: int) -> dict[str, Any]:
    job = finished_job(engine_client, READ, accepted["id"], 180)
    assert job["status"] == "SUCCEEDED"
    items = job["result"]["items"]
    for number in (first, second):
        assert items[number - 1]["status"] == "SUCCEEDED" and items[number - 1]["result"]["errors"]
    return dict(job["result"])


@then(parsers.parse('utterance {number:d} failed with the reason "{code}"'))
def failed(batch: dict[str, Any], number: int, code: str) -> None:
    item = batch["items"][number - 1]
    assert (item["status"], item["error"]["code"], item["result"]) == ("FAILED", code, None)


@then(parsers.parse("the summary counts {succeeded:d} succeeded and {failed_count:d} failed"))
def summary(batch: dict[str, Any], succeeded: int, failed_count: int) -> None:
    assert (batch["summary"]["succeeded"], batch["summary"]["failed"]) == (succeeded, failed_count)
