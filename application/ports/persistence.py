from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self

from application.ports.progress import ProgressRepository
from domain.jobs import Job, JobStatus
from domain.results import ResultKind, StoredResult


class ResultRepository(Protocol):
    async def add(self, result: StoredResult) -> None: ...

    async def get(self, result_id: str) -> StoredResult | None: ...

    async def list_for_user(
        self,
        user_id: str,
        *,
        kind: ResultKind | None = None,
        session_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
    ) -> list[StoredResult]: ...


class JobRepository(Protocol):
    async def add(self, job: Job) -> None: ...

    async def get(self, job_id: str) -> Job | None: ...

    async def save(self, job: Job) -> None: ...

    async def find_by_idempotency_key(self, user_id: str | None, key: str) -> Job | None: ...

    async def list_for_user(
        self, user_id: str, *, status: JobStatus | None = None, limit: int = 20, after: str | None = None
    ) -> list[Job]: ...

    async def claim(self, job_id: str, now: datetime, lease_seconds: float) -> Job | None:
        """Atomically moves a queued job, or a running one whose lease expired, to running with one more
        attempt, and returns it; None when another runner holds it or it has finished."""
        ...

    async def heartbeat(
        self, job_id: str, now: datetime, progress: float, partial: dict[str, Any] | None = None
    ) -> JobStatus | None:
        """Renews a running job's lease and records its progress (and its partial result, when given);
        returns the job's status (None if gone)."""
        ...

    async def save_if_status(self, job: Job, expected: JobStatus) -> bool:
        """Saves `job` only while the stored one still has status `expected` (no lost cancel)."""
        ...

    async def list_unfinished(self, limit: int = 1000) -> list[Job]:
        """Queued and running jobs, oldest first."""
        ...

    async def delete_finished_before(self, cutoff: datetime) -> int:
        """Deletes finished jobs last updated before `cutoff`; returns how many."""
        ...


class UnitOfWork(Protocol):
    """A transaction over the repositories: rolled back on exit unless `commit` was called."""

    results: ResultRepository
    jobs: JobRepository
    progress: ProgressRepository

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...
