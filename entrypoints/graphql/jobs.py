"""GraphQL job types and their mapper from domain jobs. A job's result is typed by its kind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON

from application.job_handlers import analysis as analysis_job
from application.job_handlers import batch as batch_job
from application.job_handlers import pronunciation as pronunciation_job
from application.job_handlers import transcription as transcription_job
from application.pronunciation_codec import assessment_from_json
from application.transcription_codec import transcript_from_dict
from domain.analysis.codec import analysis_from_dict
from domain.batch import BatchSummary, ItemStatus, batch_from_dict
from domain.jobs import Job, JobStatus
from entrypoints.graphql.analysis import TextAnalysisType, analysis_to_graphql
from entrypoints.graphql.errors import UserErrorType
from entrypoints.graphql.pronunciation import PronunciationAssessmentType, assessment_to_graphql
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


# Each capability's job kind maps its stored JSON result back to its GraphQL type.
ITEM_RESULT_TYPES: dict[str, Callable[[dict[str, Any]], Any]] = {
    transcription_job.KIND: lambda data: transcript_to_graphql(transcript_from_dict(data)),
    analysis_job.KIND: lambda data: analysis_to_graphql(analysis_from_dict(data)),
    pronunciation_job.KIND: lambda data: assessment_to_graphql(assessment_from_json(data)),
}

BatchItemOutcome = Annotated[
    TranscriptionType | TextAnalysisType | PronunciationAssessmentType, strawberry.union("BatchItemOutcome")
]


@strawberry.enum(name="BatchItemStatus")
class BatchItemStatusType(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@strawberry.type(name="BatchItemResult")
class BatchItemResultType:
    index: int = strawberry.field(description="The item's position in submitBatch's items.")
    kind: str
    status: BatchItemStatusType
    result: BatchItemOutcome | None
    error: JobErrorType | None = strawberry.field(
        description="Why the item failed; on a queued item, why its last attempt failed (it will be tried again).")
    attempts: int = strawberry.field(description="Runs started; transient failures are tried again, as jobs are.")


@strawberry.type(name="BatchSummary", description="Once every item is done.")
class BatchSummaryType:
    total: int
    succeeded: int
    failed: int
    texts_analysed: int
    mean_cefr_score: float | None = strawberry.field(description="Over the analysed texts that have a CEFR score.")
    errors_found: int
    errors_per_100_words: float | None
    recordings_assessed: int
    mean_pronunciation: float | None


@strawberry.type(name="BatchResult", description="Each item's status and result or error; the summary at the end.")
class BatchResultType:
    items: list[BatchItemResultType]
    summary: BatchSummaryType | None


def batch_to_graphql(data: dict[str, Any]) -> BatchResultType:
    items, summary = batch_from_dict(data)
    return BatchResultType(
        items=[BatchItemResultType(
            index=i.index, kind=i.kind, status=BatchItemStatusType(ItemStatus(i.status).value),
            result=ITEM_RESULT_TYPES[i.kind](i.result) if i.result is not None else None,
            error=JobErrorType(code=i.error.code, message=i.error.message, field=i.error.field) if i.error else None,
            attempts=i.attempts,
        ) for i in items],
        summary=_summary(summary) if summary is not None else None,
    )


def _summary(s: BatchSummary) -> BatchSummaryType:
    return BatchSummaryType(
        total=s.total, succeeded=s.succeeded, failed=s.failed, texts_analysed=s.texts_analysed,
        mean_cefr_score=s.mean_cefr_score, errors_found=s.errors_found, errors_per_100_words=s.errors_per_100_words,
        recordings_assessed=s.recordings_assessed, mean_pronunciation=s.mean_pronunciation,
    )


JobResult = Annotated[
    TranscriptionType | TextAnalysisType | PronunciationAssessmentType | BatchResultType | JobDataType,
    strawberry.union("JobResult"),
]
RESULT_TYPES: dict[str, Callable[[dict[str, Any]], Any]] = {**ITEM_RESULT_TYPES, batch_job.KIND: batch_to_graphql}


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

    @strawberry.field(
        description="The result, typed by the job's kind, once it succeeded; a batch's items so far while it runs."
    )
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
