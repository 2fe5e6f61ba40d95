from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when
from starlette.testclient import TestClient

from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, finished_job
from tests.api.test_async_jobs import JOB, SHORT, engine_container, submit
from tests.support.transcription import TranscribeFactory

scenarios("jobs/jobs.feature")


@pytest.fixture
def speech_engine(tmp_path: Path, clean_env: None, make_transcribe: TranscribeFactory) -> Iterator[TestClient]:
    settings, container = engine_container(tmp_path, make_transcribe)
    with TestClient(create_app(settings, container), headers={"x-api-key": API_KEY}) as client:
        yield client


@given("the engine is running with its speech model", target_fixture="engine_client")
def engine_with_model(speech_engine: TestClient) -> TestClient:
    return speech_engine


@when("the orchestrator sends a learner's recording to be transcribed in the background",
      target_fixture="answers")
def send_recording(engine_client: TestClient) -> list[dict[str, Any]]:
    return [submit(engine_client, SHORT)]


@when(parsers.parse('the orchestrator sends a learner\'s recording with the key "{key}"'), target_fixture="answers")
def send_with_key(engine_client: TestClient, key: str) -> list[dict[str, Any]]:
    return [submit(engine_client, SHORT, key=key)]


@when(parsers.parse('the orchestrator sends it again with the key "{key}"'))
def send_again(engine_client: TestClient, answers: list[dict[str, Any]], key: str) -> None:
    answers.append(submit(engine_client, SHORT, key=key))


@then("the engine answers at once with a job that is not finished yet")
def job_not_finished(answers: list[dict[str, Any]]) -> None:
    assert answers[0]["__typename"] == "Job" and answers[0]["status"] in ("QUEUED", "RUNNING")


@then("later the job has succeeded with a timed word list")
def job_succeeded(engine_client: TestClient, answers: list[dict[str, Any]]) -> None:
    job = finished_job(engine_client, JOB, answers[0]["id"])
    assert job["status"] == "SUCCEEDED"
    assert job["result"]["words"] and all(w["end"] >= w["start"] for w in job["result"]["words"])


@then("both answers name the same job")
def same_job(answers: list[dict[str, Any]]) -> None:
    assert answers[0]["id"] == answers[1]["id"]


@then("the learner has exactly one job")
def one_job(engine_client: TestClient, answers: list[dict[str, Any]]) -> None:
    finished_job(engine_client, JOB, answers[0]["id"])
    jobs = engine_client.post("/graphql", json={"query": '{ jobs(userId: "learner-1") { id } }'}).json()
    assert jobs["data"]["jobs"] == [{"id": answers[0]["id"]}]
