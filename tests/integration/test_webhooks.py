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
from structlog.testing import capture_logs

from adapters.events.memory import InMemoryEventBus
from adapters.jobs.in_process import InProcessJobQueue
from adapters.jobs.webhooks import StandardWebhookSender
from adapters.persistence.database import Database
from adapters.persistence.unit_of_work import unit_of_work_factory
from adapters.security.urls import OutboundGuard, OutboundPolicy, Resolver, resolve_host
from application.ports.clock import SystemClock
from application.use_cases.job_runner import RunJob, RunnerSettings
from application.use_cases.job_submission import SubmitJob, SubmitJobCommand
from application.use_cases.jobs import GetJob, JobQuery
from domain.jobs import JobStatus
from tests.fakes.jobs import FlakyHandler
from tests.support.outbound import StubDns

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
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/englivo/jobs"


@pytest.fixture
def receiver(request: pytest.FixtureRequest) -> Iterator[Receiver]:
    built = Receiver(getattr(request, "param", 0))
    thread = threading.Thread(target=built.server.serve_forever, daemon=True)
    thread.start()
    yield built
    built.server.shutdown()


def loopback_allowed(resolve: Resolver = resolve_host) -> OutboundGuard:
    """The receiver listens on 127.0.0.1: private hosts and plain http allowed, as in development."""
    return OutboundGuard(OutboundPolicy(allow_private=True, require_https=False), resolve)


async def run_job_with_callback(database: Database, url: str, guard: OutboundGuard | None = None) -> str:
    uow = unit_of_work_factory(database)
    events, clock = InMemoryEventBus(), SystemClock()
    handlers = {"flaky": FlakyHandler(failures=0)}
    sender = StandardWebhookSender(SECRET, 5, guard or loopback_allowed())
    runner = RunJob(uow, handlers, events, clock, RunnerSettings(), sender)
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


@pytest.mark.parametrize("target", ["sqlite"], indirect=True)
async def test_the_callback_host_is_called_at_its_checked_address_by_name(
    database: Database, receiver: Receiver
) -> None:
    dns = StubDns({"hooks.invalid": ["127.0.0.1"]})
    await run_job_with_callback(database, f"http://hooks.invalid:{receiver.port}/englivo/jobs", loopback_allowed(dns))
    [(headers, _, status)] = receiver.received
    assert status == 204 and headers["host"] == f"hooks.invalid:{receiver.port}" and dns.lookups == ["hooks.invalid"]


@pytest.mark.parametrize("target", ["sqlite"], indirect=True)
async def test_a_callback_to_a_private_host_is_refused_at_delivery_and_not_retried(
    database: Database, receiver: Receiver
) -> None:
    """Checked again when the job ends (the submission check may have seen another DNS answer): the job keeps
    its result, nothing is sent and nothing is retried."""
    https_loopback = receiver.url.replace("http://", "https://")
    with capture_logs() as logs:
        await run_job_with_callback(database, https_loopback, OutboundGuard(OutboundPolicy()))
    assert receiver.received == []
    assert [e["event"] for e in logs if e["event"].startswith("webhook")] == ["webhook_refused"]
