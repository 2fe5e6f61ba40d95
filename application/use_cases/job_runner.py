"""Running jobs: claim, heartbeat, retry with backoff, finish, notify. The same use case serves the
in-process queue and Celery workers."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import structlog

from application.job_failures import anticipated, final_error, worth_retrying
from application.ports.blobs import BlobStore
from application.ports.clock import Clock
from application.ports.events import EventBus
from application.ports.inference import background_priority
from application.ports.jobs import (
    JobCanceled,
    JobHandler,
    JobQueue,
    TransientJobError,
    WebhookRefused,
    WebhookSender,
)
from application.ports.metrics import OperationMetrics
from application.ports.persistence import UnitOfWorkFactory
from application.use_cases.jobs import announce
from domain.jobs import Job, JobError, JobStatus, RetryPolicy, clamp_progress, lease_expired

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class RunOutcome:
    """What the queue should do next: nothing, or run the job again after `retry_in` seconds."""

    retry_in: float | None = None


@dataclass(frozen=True)
class RunnerSettings:
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    lease_seconds: float = 60.0
    webhook_attempts: int = 3


class RunJob:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        handlers: Mapping[str, JobHandler],
        events: EventBus,
        clock: Clock,
        settings: RunnerSettings,
        webhooks: WebhookSender | None = None,
        metrics: OperationMetrics | None = None,
    ) -> None:
        self._uow = uow
        self._handlers = handlers
        self._events = events
        self._clock = clock
        self._settings = settings
        self._webhooks = webhooks
        self._metrics = metrics

    async def execute(self, job_id: str) -> RunOutcome:
        async with self._uow() as uow:
            job = await uow.jobs.claim(job_id, self._clock.now(), self._settings.lease_seconds)
            current = job or await uow.jobs.get(job_id)
            await uow.commit()
        if job is None:
            if current is not None and current.status is JobStatus.RUNNING:
                return RunOutcome(retry_in=self._settings.lease_seconds)  # someone runs it; look again later
            return RunOutcome()
        await announce(self._events, job)
        log.info("job_started", job_id=job.id, kind=job.kind, attempt=job.attempts)
        started = asyncio.get_running_loop().time()
        finished, outcome = await self._run(job)
        self._count(job.kind, finished, asyncio.get_running_loop().time() - started)
        if finished is not None and finished.status.finished:
            await self._notify(finished)
        return outcome

    async def _run(self, job: Job) -> tuple[Job | None, RunOutcome]:
        handler = self._handlers.get(job.kind)
        if handler is None:
            error = JobError("unknown_kind", f"no handler for job kind {job.kind!r} on this worker")
            return await self._finish(job, JobStatus.FAILED, error=error), RunOutcome()
        lease = _Lease(self._uow, self._clock, job.id, self._settings.lease_seconds)
        try:
            async with lease:
                with background_priority():  # its model calls wait behind every interactive request's
                    result = await handler.run(job.input, lease.report)
        except JobCanceled:
            log.info("job_canceled_while_running", job_id=job.id)
            return None, RunOutcome()
        except Exception as exc:  # see job_failures: the request's fault fails at once, the rest is retried
            return await self._after_failure(job, exc)
        return await self._finish(job, JobStatus.SUCCEEDED, result=result), RunOutcome()

    async def _after_failure(self, job: Job, exc: Exception) -> tuple[Job | None, RunOutcome]:
        error_id = uuid.uuid4().hex
        if worth_retrying(exc):
            delay = self._settings.retry.delay_before(job.attempts)
            expected = anticipated(exc)
            log.warning("job_attempt_failed", job_id=job.id, attempt=job.attempts, expected=expected,
                        error_id=error_id, retry_in=delay, exc_info=not expected)
            if delay is not None:
                requeued = await self._finish(job, JobStatus.QUEUED)
                return requeued, RunOutcome(retry_in=delay) if requeued else RunOutcome()
        error = final_error(exc, job.attempts, error_id)
        return await self._finish(job, JobStatus.FAILED, error=error), RunOutcome()

    async def _finish(self, job: Job, status: JobStatus, **changes: Any) -> Job | None:
        """Stores the outcome unless the job was canceled (or taken over) meanwhile."""
        async with self._uow() as uow:
            current = await uow.jobs.get(job.id)
            if current is None or current.status is not JobStatus.RUNNING or current.attempts != job.attempts:
                return None
            done = current.moved_to(status, self._clock.now(), **changes)
            if status is JobStatus.QUEUED:
                done = dataclasses.replace(done, progress=0.0)
            if not await uow.jobs.save_if_status(done, JobStatus.RUNNING):
                return None
            await uow.commit()
        await announce(self._events, done)
        log.info("job_finished", job_id=done.id, status=done.status.value, attempt=done.attempts)
        return done

    async def _notify(self, job: Job) -> None:
        if not job.callback_url or self._webhooks is None:
            return
        payload = {"job": job_payload(job)}
        message_id = f"msg_{job.id}_{job.status.value}"
        for attempt in range(1, self._settings.webhook_attempts + 1):
            try:
                await self._webhooks.deliver(job.callback_url, message_id, f"job.{job.status.value}", payload)
                return
            except WebhookRefused as exc:
                log.error("webhook_refused", job_id=job.id, error=str(exc))
                return
            except TransientJobError as exc:
                log.warning("webhook_attempt_failed", job_id=job.id, attempt=attempt, error=str(exc))
                if attempt < self._settings.webhook_attempts:
                    await asyncio.sleep(min(30.0, 0.5 * 2 ** (attempt - 1)))
        log.error("webhook_gave_up", job_id=job.id, attempts=self._settings.webhook_attempts)

    def _count(self, kind: str, job: Job | None, seconds: float) -> None:
        if self._metrics is not None:
            outcome = job.status.value if job is not None else "abandoned"
            self._metrics.observe_operation(f"job:{kind}", "jobs", outcome, seconds)


def job_payload(job: Job) -> dict[str, Any]:
    return {
        "id": job.id, "kind": job.kind, "status": job.status.value, "progress": job.progress,
        "attempts": job.attempts, "userId": job.user_id, "result": job.result,
        "error": dataclasses.asdict(job.error) if job.error else None,
        "createdAt": job.created_at.isoformat(), "updatedAt": job.updated_at.isoformat(),
    }


class _Lease:
    """Keeps the claim alive while the handler runs and carries its progress reports; a report on a job
    that was canceled meanwhile raises JobCanceled so the handler stops."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, job_id: str, lease_seconds: float) -> None:
        self._uow = uow
        self._clock = clock
        self._job_id = job_id
        self._interval = max(0.2, lease_seconds / 3)
        self._progress = 0.0
        self._canceled = False
        self._beats: asyncio.Task[None] | None = None

    async def __aenter__(self) -> _Lease:
        self._beats = asyncio.create_task(self._beat_forever())
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._beats is not None:
            self._beats.cancel()
            await asyncio.gather(self._beats, return_exceptions=True)

    async def report(self, progress: float, partial: dict[str, Any] | None = None) -> None:
        self._progress = clamp_progress(progress)
        await self._beat(partial)
        if self._canceled:
            raise JobCanceled(self._job_id)

    async def _beat_forever(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            await self._beat()

    async def _beat(self, partial: dict[str, Any] | None = None) -> None:
        async with self._uow() as uow:
            status = await uow.jobs.heartbeat(self._job_id, self._clock.now(), self._progress, partial)
            await uow.commit()
        self._canceled = status is not JobStatus.RUNNING


@dataclass(frozen=True)
class Maintenance:
    requeued: int
    failed: int
    purged: int


class RecoverJobs:
    """Queues again what a restart or a lost message left behind, fails what ran out of attempts, and deletes
    finished jobs past their retention. Run at start-up and then periodically."""

    def __init__(
        self, uow: UnitOfWorkFactory, queue: JobQueue, events: EventBus, clock: Clock, settings: RunnerSettings,
        retention: timedelta, stale_queued_after: timedelta, blobs: BlobStore | None = None,
    ) -> None:
        self._blobs = blobs
        self._uow = uow
        self._queue = queue
        self._events = events
        self._clock = clock
        self._settings = settings
        self._retention = retention
        self._stale_queued_after = stale_queued_after

    async def execute(self, *, at_startup: bool) -> Maintenance:
        now = self._clock.now()
        requeue: list[str] = []
        failed: list[Job] = []
        async with self._uow() as uow:
            for job in await uow.jobs.list_unfinished():
                if job.status is JobStatus.QUEUED and (at_startup or now - job.updated_at > self._stale_queued_after):
                    requeue.append(job.id)
                elif lease_expired(job, now, self._settings.lease_seconds):
                    if job.attempts >= self._settings.retry.max_attempts:
                        error = JobError("interrupted", f"the runner stopped during attempt {job.attempts}, the last")
                        dead = job.moved_to(JobStatus.FAILED, now, error=error)
                        if await uow.jobs.save_if_status(dead, JobStatus.RUNNING):
                            failed.append(dead)
                    else:
                        requeue.append(job.id)  # claim() takes over a running job once its lease expired
            purged = await uow.jobs.delete_finished_before(now - self._retention)
            await uow.commit()
        if self._blobs is not None:  # a job's inputs go with it: nothing outlives the retention period
            purged += await self._blobs.delete_created_before(now - self._retention)
        for job in failed:
            await announce(self._events, job)
        for job_id in requeue:
            await self._queue.enqueue(job_id)
        if requeue or failed or purged:
            log.info("jobs_recovered", requeued=len(requeue), failed=len(failed), purged=purged)
        return Maintenance(len(requeue), len(failed), purged)
