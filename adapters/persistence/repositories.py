"""Repositories over one session, with explicit mappers between rows and the frozen domain objects."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, RowMapping, and_, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.persistence.tables import analysis_results, jobs
from domain.jobs import Job, JobError, JobStatus
from domain.results import ResultKind, StoredResult


class SqlResultRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, result: StoredResult) -> None:
        await self._session.execute(insert(analysis_results).values(result_to_row(result)))

    async def get(self, result_id: str) -> StoredResult | None:
        row = (await self._session.execute(
            select(analysis_results).where(analysis_results.c.id == result_id)
        )).mappings().first()
        return result_from_row(row) if row is not None else None

    async def list_for_user(
        self,
        user_id: str,
        *,
        kind: ResultKind | None = None,
        session_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
    ) -> list[StoredResult]:
        """Oldest first, within `since <= created_at < until`."""
        table = analysis_results
        query = select(table).where(table.c.user_id == user_id)
        if kind is not None:
            query = query.where(table.c.kind == kind.value)
        if session_id is not None:
            query = query.where(table.c.session_id == session_id)
        if since is not None:
            query = query.where(table.c.created_at >= since)
        if until is not None:
            query = query.where(table.c.created_at < until)
        query = query.order_by(table.c.created_at, table.c.id).limit(limit)
        rows = (await self._session.execute(query)).mappings().all()
        return [result_from_row(row) for row in rows]


class SqlJobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, job: Job) -> None:
        await self._session.execute(insert(jobs).values(job_to_row(job)))

    async def get(self, job_id: str) -> Job | None:
        row = (await self._session.execute(select(jobs).where(jobs.c.id == job_id))).mappings().first()
        return job_from_row(row) if row is not None else None

    async def save(self, job: Job) -> None:
        """Writes every field but the id and the creation time; raises LookupError for an unknown job."""
        values = job_to_row(job)
        del values["id"], values["created_at"]
        statement = update(jobs).where(jobs.c.id == job.id).values(values)
        outcome = cast(CursorResult[Any], await self._session.execute(statement))
        if outcome.rowcount == 0:
            raise LookupError(f"job {job.id} does not exist")

    async def find_by_idempotency_key(self, user_id: str | None, key: str) -> Job | None:
        owner = jobs.c.user_id.is_(None) if user_id is None else jobs.c.user_id == user_id
        query = select(jobs).where(owner, jobs.c.idempotency_key == key)
        row = (await self._session.execute(query)).mappings().first()
        return job_from_row(row) if row is not None else None

    async def list_for_user(
        self, user_id: str, *, status: JobStatus | None = None, limit: int = 20, after: str | None = None
    ) -> list[Job]:
        """Newest first. `after` is the id of the last job of the previous page; an unknown one gives []."""
        query = select(jobs).where(jobs.c.user_id == user_id)
        if status is not None:
            query = query.where(jobs.c.status == status.value)
        if after is not None:
            cursor = select(jobs.c.created_at).where(jobs.c.id == after, jobs.c.user_id == user_id)
            cursor_time = cursor.scalar_subquery()
            query = query.where(or_(
                jobs.c.created_at < cursor_time,
                and_(jobs.c.created_at == cursor_time, jobs.c.id < after),
            ))
        query = query.order_by(jobs.c.created_at.desc(), jobs.c.id.desc()).limit(limit)
        rows = (await self._session.execute(query)).mappings().all()
        return [job_from_row(row) for row in rows]


    async def claim(self, job_id: str, now: datetime, lease_seconds: float) -> Job | None:
        stale = now - timedelta(seconds=lease_seconds)
        claimable = or_(
            jobs.c.status == JobStatus.QUEUED.value,
            and_(jobs.c.status == JobStatus.RUNNING.value, jobs.c.updated_at < stale),
        )
        statement = (
            update(jobs).where(jobs.c.id == job_id, claimable)
            .values(status=JobStatus.RUNNING.value, attempts=jobs.c.attempts + 1, updated_at=now)
        )
        outcome = cast(CursorResult[Any], await self._session.execute(statement))
        return await self.get(job_id) if outcome.rowcount == 1 else None

    async def heartbeat(
        self, job_id: str, now: datetime, progress: float, partial: dict[str, Any] | None = None
    ) -> JobStatus | None:
        running = and_(jobs.c.id == job_id, jobs.c.status == JobStatus.RUNNING.value)
        values: dict[str, Any] = {"updated_at": now, "progress": progress}
        if partial is not None:
            values["result"] = partial
        await self._session.execute(update(jobs).where(running).values(values))
        status = (await self._session.execute(select(jobs.c.status).where(jobs.c.id == job_id))).scalar()
        return JobStatus(status) if status is not None else None

    async def save_if_status(self, job: Job, expected: JobStatus) -> bool:
        values = job_to_row(job)
        del values["id"], values["created_at"]
        statement = update(jobs).where(jobs.c.id == job.id, jobs.c.status == expected.value).values(values)
        outcome = cast(CursorResult[Any], await self._session.execute(statement))
        return bool(outcome.rowcount == 1)

    async def list_unfinished(self, limit: int = 1000) -> list[Job]:
        unfinished = [JobStatus.QUEUED.value, JobStatus.RUNNING.value]
        query = select(jobs).where(jobs.c.status.in_(unfinished)).order_by(jobs.c.created_at, jobs.c.id).limit(limit)
        return [job_from_row(row) for row in (await self._session.execute(query)).mappings().all()]

    async def delete_finished_before(self, cutoff: datetime) -> int:
        finished = [s.value for s in JobStatus if s.finished]
        statement = delete(jobs).where(jobs.c.status.in_(finished), jobs.c.updated_at < cutoff)
        outcome = cast(CursorResult[Any], await self._session.execute(statement))
        return int(outcome.rowcount)


def job_to_row(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status.value,
        "user_id": job.user_id,
        "progress": job.progress,
        "attempts": job.attempts,
        "input": job.input,
        "result": job.result,
        "error": asdict(job.error) if job.error is not None else None,
        "idempotency_key": job.idempotency_key,
        "callback_url": job.callback_url,
        "meta": job.meta,
        "created_at": job.created_at,
        "updated_at": job.updated_at,
    }


def job_from_row(row: RowMapping) -> Job:
    error = row["error"]
    job_error = JobError(error["code"], error["message"], error.get("field")) if error else None
    return Job(
        id=row["id"],
        kind=row["kind"],
        status=JobStatus(row["status"]),
        input=row["input"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        user_id=row["user_id"],
        progress=row["progress"],
        attempts=row["attempts"],
        result=row["result"],
        error=job_error,
        idempotency_key=row["idempotency_key"],
        callback_url=row["callback_url"],
        meta=row["meta"] or {},
    )


def result_to_row(result: StoredResult) -> dict[str, Any]:
    return {
        "id": result.id,
        "user_id": result.user_id,
        "session_id": result.session_id,
        "kind": result.kind.value,
        "created_at": result.created_at,
        "engine_version": result.engine_version,
        "score": result.score,
        "input_hash": result.input_hash,
        "payload": result.payload,
    }


def result_from_row(row: RowMapping) -> StoredResult:
    return StoredResult(
        id=row["id"],
        user_id=row["user_id"],
        kind=ResultKind(row["kind"]),
        created_at=row["created_at"],
        engine_version=row["engine_version"],
        payload=row["payload"],
        session_id=row["session_id"],
        score=row["score"],
        input_hash=row["input_hash"],
    )
