"""GraphQL job types and their mapper from domain jobs."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import cast

import strawberry
from strawberry.scalars import JSON

from domain.jobs import Job, JobStatus
from entrypoints.graphql.errors import UserErrorType


@strawberry.enum(name="JobStatus")
class JobStatusType(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"


@strawberry.type(name="JobError")
class JobErrorType(UserErrorType):
    pass


@strawberry.type(name="Job")
class JobType:
    id: strawberry.ID
    kind: str
    status: JobStatusType
    progress: float = strawberry.field(description="0 to 1.")
    attempts: int
    result: JSON | None
    error: UserErrorType | None
    created_at: datetime
    updated_at: datetime


def job_to_graphql(job: Job) -> JobType:
    error = job.error
    return JobType(
        id=strawberry.ID(job.id),
        kind=job.kind,
        status=JobStatusType(JobStatus(job.status).value),
        progress=job.progress,
        attempts=job.attempts,
        result=cast(JSON, job.result),
        error=JobErrorType(code=error.code, message=error.message, field=error.field) if error else None,
        created_at=job.created_at,
        updated_at=job.updated_at,
    )
