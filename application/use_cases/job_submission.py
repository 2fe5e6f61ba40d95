"""Accepting jobs (once per idempotency key) and canceling them."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import structlog

from application.caching import cache_key
from application.ports.clock import Clock
from application.ports.events import EventBus
from application.ports.jobs import JobHandler, JobQueue
from application.ports.persistence import UnitOfWorkFactory
from application.use_cases.jobs import announce
from domain.errors import Conflict, InvalidInput, NotFound
from domain.jobs import Job, JobStatus

log = structlog.get_logger(__name__)
MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class SubmitJobCommand:
    kind: str
    payload: dict[str, Any]
    user_id: str | None = None
    idempotency_key: str | None = None
    callback_url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


class SubmitJob:
    """Stores the job, then queues it. The stored job is the source of truth: if queuing fails, the job waits
    as queued and the recovery sweep queues it again; nothing is lost."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        queue: JobQueue,
        handlers: Mapping[str, JobHandler],
        clock: Clock,
        new_id: Callable[[], str],
        check_callback_url: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        self._uow = uow
        self._queue = queue
        self._handlers = handlers
        self._clock = clock
        self._new_id = new_id
        self._check_callback_url = check_callback_url

    async def execute(self, command: SubmitJobCommand) -> Job:
        handler = self._handlers.get(command.kind)
        if handler is None:
            accepted = ", ".join(sorted(self._handlers)) or "none configured"
            raise InvalidInput(f"unknown job kind {command.kind!r}; accepted: {accepted}", field="kind")
        await self._check(command)
        handler.validate(command.payload)
        fingerprint = cache_key("job", command.kind, command.payload)
        if command.idempotency_key:
            existing = await self._existing(command, fingerprint)
            if existing is not None:
                return existing
        now = self._clock.now()
        job = Job(
            id=self._new_id(), kind=command.kind, status=JobStatus.QUEUED, input=command.payload,
            created_at=now, updated_at=now, user_id=command.user_id, idempotency_key=command.idempotency_key,
            callback_url=command.callback_url, meta={**command.meta, "fingerprint": fingerprint},
        )
        async with self._uow() as uow:
            await uow.jobs.add(job)
            await uow.commit()
        try:
            await self._queue.enqueue(job.id)
        except Exception as exc:  # the sweep re-queues it; the caller still gets its job
            log.warning("job_enqueue_failed", job_id=job.id, error=f"{type(exc).__name__}: {exc}")
        return job

    async def _check(self, command: SubmitJobCommand) -> None:
        key = command.idempotency_key
        if key is not None and not 0 < len(key) <= MAX_KEY_LENGTH:
            raise InvalidInput(f"idempotencyKey must be 1 to {MAX_KEY_LENGTH} characters", field="idempotencyKey")
        if command.callback_url and self._check_callback_url:
            await self._check_callback_url(command.callback_url)

    async def _existing(self, command: SubmitJobCommand, fingerprint: str) -> Job | None:
        assert command.idempotency_key is not None
        async with self._uow() as uow:
            existing = await uow.jobs.find_by_idempotency_key(command.user_id, command.idempotency_key)
        if existing is None:
            return None
        if existing.kind != command.kind or existing.meta.get("fingerprint") != fingerprint:
            raise Conflict(
                f"idempotencyKey {command.idempotency_key!r} was used for a different request (job {existing.id})",
                field="idempotencyKey",
            )
        return existing


@dataclass(frozen=True)
class CancelJobCommand:
    job_id: str


CANCEL_ATTEMPTS = 5


class CancelJob:
    def __init__(self, uow: UnitOfWorkFactory, events: EventBus, clock: Clock) -> None:
        self._uow = uow
        self._events = events
        self._clock = clock

    async def execute(self, command: CancelJobCommand) -> Job:
        """A queued job never runs; a running one stops at its next progress report and its result is dropped."""
        for _ in range(CANCEL_ATTEMPTS):  # a worker may claim the job between our read and our write
            async with self._uow() as uow:
                job = await uow.jobs.get(command.job_id)
                if job is None:
                    raise NotFound(f"no job with id {command.job_id!r}", field="id")
                if job.status.finished:
                    return job
                canceled = dataclasses.replace(job, status=JobStatus.CANCELED, updated_at=self._clock.now())
                if await uow.jobs.save_if_status(canceled, job.status):
                    await uow.commit()
                    await announce(self._events, canceled)
                    return canceled
        raise Conflict(f"job {command.job_id} kept changing while being canceled; try again", field="id")
