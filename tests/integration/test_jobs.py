"""The job machinery on both databases: submission with idempotency, runs with retries, permanent and
unexpected failures, cancellation, takeover of orphaned jobs, recovery after a restart, retention."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.events.memory import InMemoryEventBus
from adapters.jobs.in_process import InProcessJobQueue
from adapters.persistence.database import Database
from adapters.persistence.unit_of_work import unit_of_work_factory
from application.ports.jobs import JobHandler
from application.use_cases.job_runner import RecoverJobs, RunJob, RunnerSettings
from application.use_cases.job_submission import CancelJob, CancelJobCommand, SubmitJob, SubmitJobCommand
from application.use_cases.jobs import GetJob, JobQuery
from domain.errors import Conflict, InvalidInput
from domain.jobs import Job, JobStatus, RetryPolicy
from tests.fakes.jobs import CrashingHandler, FlakyHandler, GatedHandler, RejectingHandler

pytestmark = pytest.mark.integration
FAST = RunnerSettings(retry=RetryPolicy(max_attempts=3, base_delay_seconds=0.01), lease_seconds=30)


class SteppingClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 11, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


class Jobs:
    """The use cases wired as the container wires them, on a real database and the in-process queue."""

    def __init__(self, database: Database, handlers: dict[str, JobHandler], settings: RunnerSettings = FAST) -> None:
        self.uow = unit_of_work_factory(database)
        self.events = InMemoryEventBus()
        self.clock = SteppingClock()
        ids = itertools.count(1)
        self.runner = RunJob(self.uow, handlers, self.events, self.clock, settings)
        self.queue = InProcessJobQueue(self.runner.execute, concurrency=2)
        self.submit = SubmitJob(self.uow, self.queue, handlers, self.clock, lambda: f"job-{next(ids)}")
        self.cancel = CancelJob(self.uow, self.events, self.clock)
        self.recover = RecoverJobs(self.uow, self.queue, self.events, self.clock, settings,
                                   retention=timedelta(days=7), stale_queued_after=timedelta(minutes=10))

    async def get(self, job_id: str) -> Job:
        job = await GetJob(self.uow).execute(JobQuery(job_id))
        assert job is not None
        return job

    async def until_finished(self, job_id: str, seconds: float = 20) -> Job:
        async with asyncio.timeout(seconds):
            while not (job := await self.get(job_id)).status.finished:
                await asyncio.sleep(0.02)
        return job


@pytest.fixture
async def gated() -> GatedHandler:
    return GatedHandler()


@pytest.fixture
async def jobs(database: Database, gated: GatedHandler) -> AsyncIterator[Jobs]:
    handlers: dict[str, Any] = {h.kind: h for h in (gated, FlakyHandler(2), RejectingHandler(), CrashingHandler())}
    built = Jobs(database, handlers)
    yield built
    await built.queue.close()


def command(kind: str = "gated", key: str | None = None, text: str = "I am student") -> SubmitJobCommand:
    return SubmitJobCommand(kind=kind, payload={"text": text}, user_id="learner-1", idempotency_key=key)


async def test_a_job_runs_in_the_background_and_keeps_its_result(jobs: Jobs, gated: GatedHandler) -> None:
    gate = gated.gate()
    job = await jobs.submit.execute(command())
    assert job.status is JobStatus.QUEUED
    assert gated.halfway is not None
    await asyncio.wait_for(gated.halfway.wait(), 10)
    running = await jobs.get(job.id)
    assert (running.status, running.progress, running.attempts) == (JobStatus.RUNNING, 0.5, 1)
    gate.set()
    done = await jobs.until_finished(job.id)
    assert (done.status, done.progress) == (JobStatus.SUCCEEDED, 1.0)
    assert done.result == {"echo": "I am student", "words": 3} and done.input == {"text": "I am student"}


async def test_bad_input_is_refused_before_a_job_exists(jobs: Jobs) -> None:
    with pytest.raises(InvalidInput) as refused:
        await jobs.submit.execute(command(text=""))
    assert refused.value.field == "text"
    with pytest.raises(InvalidInput, match="unknown job kind 'nope'; accepted: crashing, flaky, gated"):
        await jobs.submit.execute(SubmitJobCommand(kind="nope", payload={}))


async def test_the_same_key_returns_the_first_job_and_another_input_conflicts(jobs: Jobs, gated: GatedHandler) -> None:
    gated.gate().set()
    first = await jobs.submit.execute(command(key="session-7-upload"))
    again = await jobs.submit.execute(command(key="session-7-upload"))
    assert again.id == first.id
    with pytest.raises(Conflict) as conflict:
        await jobs.submit.execute(command(key="session-7-upload", text="something else"))
    assert conflict.value.field == "idempotencyKey" and first.id in conflict.value.message
    await jobs.until_finished(first.id)
    assert gated.runs == 1


async def test_transient_failures_retry_with_backoff_then_succeed(jobs: Jobs) -> None:
    job = await jobs.submit.execute(SubmitJobCommand(kind="flaky", payload={}))
    done = await jobs.until_finished(job.id)
    assert (done.status, done.attempts, done.result) == (JobStatus.SUCCEEDED, 3, {"ok": True, "runs": 3})


async def test_transient_failures_past_the_last_attempt_fail_with_the_reason(database: Database) -> None:
    flaky = FlakyHandler(failures=10)
    built = Jobs(database, {"flaky": flaky})
    try:
        job = await built.submit.execute(SubmitJobCommand(kind="flaky", payload={"keep": "me"}))
        done = await built.until_finished(job.id)
    finally:
        await built.queue.close()
    assert done.status is JobStatus.FAILED and done.attempts == 3 and flaky.runs == 3
    assert done.error is not None and done.error.code == "gave_up" and "provider timed out" in done.error.message
    assert done.input == {"keep": "me"}, "a failed job keeps its input"


async def test_a_permanent_failure_fails_at_once_with_the_typed_error(jobs: Jobs) -> None:
    job = await jobs.submit.execute(SubmitJobCommand(kind="rejecting", payload={"audio": "ref"}))
    done = await jobs.until_finished(job.id)
    assert (done.status, done.attempts) == (JobStatus.FAILED, 1)
    assert done.error is not None and (done.error.code, done.error.field) == ("invalid_input", "audio")


async def test_an_engine_fault_is_retried_then_failed_without_internals(jobs: Jobs) -> None:
    job = await jobs.submit.execute(SubmitJobCommand(kind="crashing", payload={}))
    done = await jobs.until_finished(job.id)
    assert done.status is JobStatus.FAILED and done.attempts == 3
    assert done.error is not None and done.error.code == "internal" and "segfault" not in done.error.message


async def test_canceling_a_running_job_drops_its_result(jobs: Jobs, gated: GatedHandler) -> None:
    gate = gated.gate()
    job = await jobs.submit.execute(command())
    assert gated.halfway is not None
    await asyncio.wait_for(gated.halfway.wait(), 10)
    canceled = await jobs.cancel.execute(CancelJobCommand(job.id))
    gate.set()
    await asyncio.sleep(0.3)
    final = await jobs.get(job.id)
    assert canceled.status is JobStatus.CANCELED and final.status is JobStatus.CANCELED and final.result is None


async def test_an_orphaned_running_job_is_taken_over_once_its_lease_expires(jobs: Jobs, gated: GatedHandler) -> None:
    gated.gate().set()
    async with jobs.uow() as uow:  # a worker claimed it, then died without a word
        await uow.jobs.add(Job(id="orphan", kind="gated", status=JobStatus.RUNNING, input={"text": "a b"},
                               created_at=jobs.clock.at, updated_at=jobs.clock.at, attempts=1))
        await uow.commit()
    assert (await jobs.runner.execute("orphan")).retry_in == FAST.lease_seconds, "the lease is still alive"
    jobs.clock.at += timedelta(seconds=FAST.lease_seconds + 1)
    report = await jobs.recover.execute(at_startup=False)
    done = await jobs.until_finished("orphan")
    assert report.requeued == 1 and (done.status, done.attempts) == (JobStatus.SUCCEEDED, 2)


async def test_a_restart_finishes_queued_jobs_and_purges_expired_ones(database: Database, gated: GatedHandler) -> None:
    stopped = Jobs(database, {"gated": gated})
    await stopped.queue.close()  # the service stops before the queue ran anything
    job = await stopped.submit.execute(command())
    old = Job(id="old", kind="gated", status=JobStatus.SUCCEEDED, input={}, result={"x": 1},
              created_at=stopped.clock.at - timedelta(days=30), updated_at=stopped.clock.at - timedelta(days=30))
    async with stopped.uow() as uow:
        await uow.jobs.add(old)
        await uow.commit()

    gated.gate().set()
    restarted = Jobs(database, {"gated": gated})
    try:
        report = await restarted.recover.execute(at_startup=True)
        done = await restarted.until_finished(job.id)
    finally:
        await restarted.queue.close()
    assert (report.requeued, report.purged) == (1, 1)
    assert done.status is JobStatus.SUCCEEDED
    assert await GetJob(restarted.uow).execute(JobQuery("old")) is None
