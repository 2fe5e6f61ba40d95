"""Real Celery workers (separate processes) on a real Redis and PostgreSQL: jobs complete, retries go
through the broker, and a worker killed with SIGKILL mid-job leaves the job to a second worker."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers

from adapters.persistence.migrate import upgrade
from application.use_cases.job_submission import SubmitJobCommand
from application.use_cases.jobs import GetJob, JobQuery
from domain.jobs import Job, JobStatus
from entrypoints.container import Container, build_container, close_container
from entrypoints.settings import load_settings
from tests.api.conftest import finished_job
from tests.conftest import REPO_ROOT
from tests.fakes.jobs import FlakyHandler, SlowHandler
from tests.redis_server import RedisServer

pytestmark = pytest.mark.integration
LEASE_SECONDS = 2
VISIBILITY_SECONDS = 3


@pytest.fixture
def worker_env(private_redis: RedisServer, postgres_schema: tuple[str, str], tmp_path: Path,
               clean_env: None) -> dict[str, str]:
    url, schema = postgres_schema
    upgrade(url, schema)
    return {
        "ENGLIVO_ENVIRONMENT": "test",
        "ENGLIVO_REDIS__URL": private_redis.url,
        "ENGLIVO_DATABASE__URL": url,
        "ENGLIVO_DATABASE__DB_SCHEMA": schema,
        "ENGLIVO_CACHE__DIR": str(tmp_path / "cache"),
        "ENGLIVO_JOBS__LEASE_SECONDS": str(LEASE_SECONDS),
        "ENGLIVO_JOBS__VISIBILITY_TIMEOUT_SECONDS": str(VISIBILITY_SECONDS),
        "ENGLIVO_JOBS__RETRY_BASE_SECONDS": "0.5",
    }


class Workers:
    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self._env = {**os.environ, **env, "PYTHONPATH": str(REPO_ROOT)}
        self._logs = logs
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str) -> subprocess.Popen[bytes]:
        log = (self._logs / f"{name}.log").open("wb")
        process = subprocess.Popen([sys.executable, "-m", "tests.fakes.celery_worker", name], cwd=REPO_ROOT,
                                   env=self._env, stdout=log, stderr=subprocess.STDOUT)
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self._logs / f"{name}.log").read_text(errors="replace")[-3000:]

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture
def workers(worker_env: dict[str, str], tmp_path: Path) -> Iterator[Workers]:
    started = Workers(worker_env, tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


@pytest.fixture
async def engine(worker_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Container]:
    """The service side: the container the API uses, sending jobs to Celery."""
    for name, value in worker_env.items():
        monkeypatch.setenv(name, value)
    container = build_container(load_settings())
    container.job_handlers.override(providers.Object({"slow": SlowHandler(6.0), "flaky": FlakyHandler(1)}))
    yield container
    await close_container(container)


async def read(container: Container, job_id: str) -> Job:
    job = await GetJob(container.uow()).execute(JobQuery(job_id))
    assert job is not None
    return job


async def wait_for(container: Container, job_id: str, done: object, seconds: float, workers: Workers) -> Job:
    try:
        async with asyncio.timeout(seconds):
            while True:
                job = await read(container, job_id)
                if callable(done) and done(job):
                    return job
                await asyncio.sleep(0.1)
    except TimeoutError:
        logs = "\n".join(f"--- {name}\n{workers.log(name)}" for name in workers.processes)
        pytest.fail(f"job {job_id} is {(await read(container, job_id)).status}; worker logs:\n{logs}")


async def test_a_job_sent_to_a_worker_completes_with_a_retry_through_the_broker(
    engine: Container, workers: Workers
) -> None:
    workers.start("alpha")
    job = await engine.submit_job().execute(SubmitJobCommand(kind="flaky", payload={}, user_id="learner-1"))
    done = await wait_for(engine, job.id, lambda j: j.status.finished, 90, workers)
    assert (done.status, done.attempts, done.result) == (JobStatus.SUCCEEDED, 2, {"ok": True, "runs": 2})


async def test_a_worker_killed_mid_job_leaves_it_to_a_second_worker(engine: Container, workers: Workers) -> None:
    first = workers.start("first")
    job = await engine.submit_job().execute(
        SubmitJobCommand(kind="slow", payload={"label": "long recording"}, user_id="learner-1"))
    await wait_for(engine, job.id, lambda j: j.status is JobStatus.RUNNING and j.progress > 0, 90, workers)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    interrupted = await read(engine, job.id)
    assert interrupted.status is JobStatus.RUNNING and interrupted.progress < 1

    second = workers.start("second")
    done = await wait_for(engine, job.id, lambda j: j.status.finished, 120, workers)
    assert (done.status, done.attempts) == (JobStatus.SUCCEEDED, 2)
    assert done.result == {"done": "long recording", "pid": second.pid}


@pytest.fixture
def engine_with_worker(
    worker_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Any, Path]]:
    """The app (a TestClient on the worker's settings) and a real `englivo worker` process beside it; yields
    the client and the worker's log file, and stops the worker afterwards."""
    from starlette.testclient import TestClient

    from entrypoints.http.app import create_app
    from tests.api.conftest import API_KEY

    for name, value in {**worker_env, "ENGLIVO_SECURITY__API_KEYS": API_KEY}.items():
        monkeypatch.setenv(name, value)
    log_path = tmp_path / "englivo-worker.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen([str(Path(sys.executable).parent / "englivo"), "worker", "--concurrency", "1"],
                                  cwd=tmp_path, env={**os.environ}, stdout=log, stderr=subprocess.STDOUT)
        try:
            with TestClient(create_app(load_settings()), headers={"x-api-key": API_KEY}) as client:
                yield client, log_path
        finally:
            worker.terminate()
            worker.wait(timeout=30)


def upload(client: Any, query: str, variables: dict[str, Any], path: str, clip: Path) -> dict[str, Any]:
    body = client.post("/graphql", files={"0": (clip.name, clip.read_bytes(), "audio/flac")}, data={
        "operations": json.dumps({"query": query, "variables": variables}), "map": json.dumps({"0": [path]})}).json()
    return dict(body["data"])


def test_a_recording_submitted_through_graphql_is_transcribed_by_a_real_worker(
    engine_with_worker: tuple[Any, Path]
) -> None:
    client, log = engine_with_worker
    clip = REPO_ROOT / "tests" / "data" / "024020047.flac"
    query = """mutation($input: TranscribeInput!) { transcribeAsync(input: $input) { __typename ... on Job { id } } }"""
    variables = {"input": {"audio": {"file": None}, "learner": {"userId": "learner-1"}}}
    accepted = upload(client, query, variables, "variables.input.audio.file", clip)["transcribeAsync"]
    assert accepted["__typename"] == "Job", accepted
    read = ('query($id: ID!) { job(id: $id) { status error { message } '
            'result { ... on Transcription { text words { start end } } } } }')
    job = finished_job(client, read, accepted["id"], 180, describe=lambda: log.read_text()[-3000:])

    assert job["status"] == "SUCCEEDED", (job, log.read_text()[-3000:])
    assert job["result"]["text"] and job["result"]["words"]


def test_a_batch_submitted_through_graphql_is_run_by_a_real_worker(engine_with_worker: tuple[Any, Path]) -> None:
    client, log = engine_with_worker
    clip = REPO_ROOT / "tests" / "data" / "024020047.flac"
    query = ('mutation($items: [BatchItemInput!]!) { submitBatch(items: $items) { __typename ... on Job { id } '
             '... on UserError { message } } }')
    learner = {"userId": "learner-1", "sessionId": "s-12"}
    items = [{"analysis": {"text": "Yesterday I eat rice.", "learner": learner}},
             {"transcription": {"audio": {"file": None}, "learner": learner}},
             {"analysis": {"text": "", "learner": learner}}]
    accepted = upload(client, query, {"items": items}, "variables.items.1.transcription.audio.file", clip)
    assert accepted["submitBatch"]["__typename"] == "Job", accepted
    read = ('query($id: ID!) { job(id: $id) { status progress result { ... on BatchResult { '
            'items { kind status error { code } result { __typename ... on Transcription { text } } } '
            'summary { succeeded failed } } } } }')
    job = finished_job(client, read, accepted["submitBatch"]["id"], 240, describe=lambda: log.read_text()[-3000:])

    assert job["status"] == "SUCCEEDED", (job, log.read_text()[-3000:])
    result = job["result"]
    assert [(i["kind"], i["status"]) for i in result["items"]] == [
        ("text_analysis", "SUCCEEDED"), ("transcription", "SUCCEEDED"), ("text_analysis", "FAILED")]
    assert result["items"][1]["result"]["text"] and result["items"][2]["error"]["code"] == "empty_text"
    assert result["summary"] == {"succeeded": 2, "failed": 1} and job["progress"] == 1.0
