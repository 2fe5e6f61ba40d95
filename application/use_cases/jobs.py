"""Reading and watching jobs. Running them (queues, workers) builds on these."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from application.ports.events import EventBus
from application.ports.persistence import UnitOfWorkFactory
from domain.errors import InvalidInput, NotFound
from domain.jobs import Job, JobStatus


def job_topic(job_id: str) -> str:
    return f"job:{job_id}"


@dataclass(frozen=True)
class JobQuery:
    job_id: str


class GetJob:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, query: JobQuery) -> Job | None:
        async with self._uow() as uow:
            return await uow.jobs.get(query.job_id)


@dataclass(frozen=True)
class JobsQuery:
    user_id: str
    status: JobStatus | None = None
    first: int = 20
    after: str | None = None


MAX_PAGE = 100


class ListJobs:
    """A learner's jobs, newest first, a page at a time; `after` is the id of the last job already seen (any other
    id is InvalidInput, as a bad cursor of the other lists is, rather than an empty page)."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, query: JobsQuery) -> list[Job]:
        if not query.user_id.strip():
            raise InvalidInput("userId must not be empty", field="userId")
        if not 1 <= query.first <= MAX_PAGE:
            raise InvalidInput(f"first must be between 1 and {MAX_PAGE}, got {query.first}", field="first")
        async with self._uow() as uow:
            if query.after is not None:
                cursor = await uow.jobs.get(query.after)
                if cursor is None or cursor.user_id != query.user_id:
                    raise InvalidInput("not a job of this learner's list; pass the id of the last job already seen",
                                       field="after")
            return await uow.jobs.list_for_user(query.user_id, status=query.status, limit=query.first,
                                                after=query.after)


class WatchJob:
    """Yields the job as it is now, then again after every change, and stops once it has finished. Events
    only wake the watcher; the job is always re-read, and read anyway every `poll_seconds`, so a lost event
    (a Redis blip) delays an update but never loses it."""

    def __init__(self, uow: UnitOfWorkFactory, events: EventBus, poll_seconds: float = 2.0) -> None:
        self._uow = uow
        self._events = events
        self._poll_seconds = poll_seconds

    async def execute(self, query: JobQuery) -> AsyncIterator[Job]:
        subscription = await self._events.subscribe(job_topic(query.job_id))  # before the read: no change slips by
        try:
            job = await GetJob(self._uow).execute(query)
            if job is None:
                raise NotFound(f"no job with id {query.job_id!r}", field="id")
            yield job
            while not job.status.finished:
                await subscription.next(self._poll_seconds)
                latest = await GetJob(self._uow).execute(query)
                if latest is None:
                    return
                if (latest.status, latest.progress, latest.attempts) != (job.status, job.progress, job.attempts):
                    yield latest
                job = latest
        finally:
            await subscription.close()


async def announce(events: EventBus, job: Job) -> None:
    await events.publish(job_topic(job.id), {"status": job.status.value, "progress": job.progress})
