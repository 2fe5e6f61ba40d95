"""Completion webhooks to a real HTTP receiver on loopback, verified with the Standard Webhooks library."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from standardwebhooks import Webhook

from adapters.events.memory import InMemoryEventBus
from adapters.jobs.in_process import InProcessJobQueue
from adapters.jobs.webhooks import StandardWebhookSender
from adapters.persistence.database import Database
from adapters.persistence.unit_of_work import unit_of_work_factory
from application.ports.clock import SystemClock
from application.use_cases.job_runner import RunJob, RunnerSettings
from application.use_cases.job_submission import SubmitJob, SubmitJobCommand
from application.use_cases.jobs import GetJob, JobQuery
from domain.jobs import JobStatus
from tests.fakes.jobs import FlakyHandler

pytestmark = pytest.mark.integration
SECRET = "whsec_" + base64.b64encode(b"englivo-test-secret-32-bytes-long").decode()


class Receiver:
    """Answers `failures` times with 503, then 204; keeps what it received."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.received: list[tuple[dict[str, str], bytes, int]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                status = 503 if len(receiver.received) < receiver.failures else 204
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body, status))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/englivo/jobs"


@pytest.fixture
def receiver(request: pytest.FixtureRequest) -> Iterator[Receiver]:
    built = Receiver(getattr(request, "param", 0))
    thread = threading.Thread(target=built.server.serve_forever, daemon=True)
    thread.start()
    yield built
    built.server.shutdown()


async def run_job_with_callback(database: Database, url: str) -> str:
    uow = unit_of_work_factory(database)
    events, clock = InMemoryEventBus(), SystemClock()
    handlers = {"flaky": FlakyHandler(failures=0)}
    runner = RunJob(uow, handlers, events, clock, RunnerSettings(), StandardWebhookSender(SECRET, 5))
    queue = InProcessJobQueue(runner.execute, 1)
    submit = SubmitJob(uow, queue, handlers, clock, lambda: "job-hook")
    job = await submit.execute(SubmitJobCommand(kind="flaky", payload={}, user_id="u1", callback_url=url))
    try:
        async with asyncio.timeout(20):
            while queue.pending:
                await asyncio.sleep(0.05)
    finally:
        await queue.close()
    done = await GetJob(uow).execute(JobQuery(job.id))
    assert done is not None and done.status is JobStatus.SUCCEEDED
    return job.id


@pytest.mark.parametrize("target", ["sqlite"], indirect=True)
async def test_a_finished_job_calls_back_with_a_verifiable_signature(database: Database, receiver: Receiver) -> None:
    job_id = await run_job_with_callback(database, receiver.url)
    [(headers, body, status)] = receiver.received
    assert status == 204
    verified = Webhook(SECRET).verify(body, headers)
    assert verified["type"] == "job.succeeded"
    assert verified["data"]["job"]["id"] == job_id and verified["data"]["job"]["result"] == {"ok": True, "runs": 1}
    forged = {**headers, "webhook-signature": "v1," + base64.b64encode(b"x" * 32).decode()}
    with pytest.raises(Exception, match="No matching signature"):
        Webhook(SECRET).verify(body, forged)
    assert json.loads(body)["data"]["job"]["status"] == "succeeded"


@pytest.mark.parametrize(("target", "receiver"), [("sqlite", 2)], indirect=True)
async def test_a_failing_receiver_is_retried_with_backoff(database: Database, receiver: Receiver) -> None:
    await run_job_with_callback(database, receiver.url)
    assert [status for _, _, status in receiver.received] == [503, 503, 204]
    assert len({headers["webhook-id"] for headers, _, _ in receiver.received}) == 1, "a resent message keeps its id"
