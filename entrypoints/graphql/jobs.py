"""GraphQL job types and their mapper from domain jobs. A job's result is typed by its kind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON

from application.job_handlers import transcription as transcription_job
from application.transcription_codec import transcript_from_dict
from domain.jobs import Job, JobStatus
from entrypoints.graphql.errors import UserErrorType
from entrypoints.graphql.transcription import TranscriptionType, transcript_to_graphql


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


@strawberry.type(name="JobData", description="The result of a job kind without a typed result.")
class JobDataType:
    json: JSON


JobResult = Annotated[TranscriptionType | JobDataType, strawberry.union("JobResult")]

# Each capability's job kind maps its stored JSON result back to its GraphQL type.
RESULT_TYPES: dict[str, Callable[[dict[str, Any]], Any]] = {
    transcription_job.KIND: lambda data: transcript_to_graphql(transcript_from_dict(data)),
}


@strawberry.type(name="Job")
class JobType:
    id: strawberry.ID
    kind: str
    status: JobStatusType
    progress: float = strawberry.field(description="0 to 1.")
    attempts: int
    result_json: JSON | None = strawberry.field(description="The result as stored, for generic clients.")
    error: UserErrorType | None
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="The result, typed by the job's kind, once it succeeded.")
    def result(self) -> JobResult | None:
        data = cast(dict[str, Any] | None, self.result_json)
        if data is None:
            return None
        to_type = RESULT_TYPES.get(self.kind)
        return to_type(data) if to_type is not None else JobDataType(json=cast(JSON, data))


def job_to_graphql(job: Job) -> JobType:
    error = job.error
    return JobType(
        id=strawberry.ID(job.id),
        kind=job.kind,
        status=JobStatusType(JobStatus(job.status).value),
        progress=job.progress,
        attempts=job.attempts,
        result_json=cast(JSON, job.result),
        error=JobErrorType(code=error.code, message=error.message, field=error.field) if error else None,
        created_at=job.created_at,
        updated_at=job.updated_at,
    )
