from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import strawberry
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.printer import print_schema
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from adapters.observability.metrics import Metrics
from application.use_cases.job_submission import CancelJobCommand
from application.use_cases.jobs import JobQuery, JobsQuery
from domain.errors import NotFound
from domain.jobs import JobStatus
from entrypoints.graphql.analysis import AnalysisMutation
from entrypoints.graphql.async_jobs import AsyncJobMutation
from entrypoints.graphql.batch import BatchMutation
from entrypoints.graphql.cefr import CefrQuery
from entrypoints.graphql.common import UPLOAD_SCALAR
from entrypoints.graphql.context import EngineInfo
from entrypoints.graphql.errors import ERROR_TYPES
from entrypoints.graphql.extensions import EngineSchema, ErrorPolicy, operation_metrics
from entrypoints.graphql.jobs import JobDataType, JobErrorType, JobStatusType, JobType, job_to_graphql
from entrypoints.graphql.progress import COLUMN_SCALARS, ProgressMutation, ProgressQueries
from entrypoints.graphql.pronunciation import PronunciationMutation
from entrypoints.graphql.transcription import TranscriptionMutation
from entrypoints.service_info import ServiceInfo
from entrypoints.settings import Settings


@strawberry.type
class ServiceQuery:
    @strawberry.field(description="Liveness through GraphQL: 'ok' when the engine answers.")
    def health(self) -> str:
        return "ok"

    @strawberry.field(description="Version, the engine configured per capability, and the limits in force.")
    def service_info(self, info: EngineInfo) -> ServiceInfo:
        return info.context.services.service_info

    @strawberry.field(description="A job by id, or null.")
    async def job(self, info: EngineInfo, id: strawberry.ID) -> JobType | None:
        job = await info.context.services.get_job.execute(JobQuery(str(id)))
        return job_to_graphql(job) if job else None

    @strawberry.field(description="A learner's jobs, newest first; `after` is the last job id already seen.")
    async def jobs(
        self, info: EngineInfo, user_id: strawberry.ID, status: JobStatusType | None = None, first: int = 20,
        after: strawberry.ID | None = None,
    ) -> list[JobType]:
        refusal = await info.context.check_user_rate(str(user_id))
        if refusal:
            raise refusal
        query = JobsQuery(str(user_id), JobStatus(status.value) if status else None, first,
                          str(after) if after else None)
        return [job_to_graphql(job) for job in await info.context.services.list_jobs.execute(query)]


@strawberry.type
class JobMutation:
    @strawberry.mutation(description="Cancels a queued or running job; a finished job is returned as it is.")
    async def cancel_job(self, info: EngineInfo, id: strawberry.ID) -> JobType | None:
        try:
            job = await info.context.services.cancel_job.execute(CancelJobCommand(str(id)))
        except NotFound:
            return None
        return job_to_graphql(job)


@strawberry.type
class Subscription:
    @strawberry.subscription(description="The job now, then after every change, until it has finished.")
    async def job_updates(self, info: EngineInfo, id: strawberry.ID) -> AsyncGenerator[JobType, None]:
        async for job in info.context.services.watch_job.execute(JobQuery(str(id))):
            yield job_to_graphql(job)


# each capability contributes its queries and mutations here
Query = merge_types("Query", (ServiceQuery, ProgressQueries, CefrQuery))
Mutation = merge_types(
    "Mutation", (JobMutation, TranscriptionMutation, AnalysisMutation, AsyncJobMutation, ProgressMutation,
                 PronunciationMutation, BatchMutation)
)


def _schema(extensions: list[Any]) -> strawberry.Schema:
    return EngineSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[*ERROR_TYPES, JobErrorType, JobDataType],
        config=StrawberryConfig(scalar_map={**COLUMN_SCALARS, **UPLOAD_SCALAR}),
        extensions=extensions,
    )


def build_schema(settings: Settings, metrics: Metrics) -> strawberry.Schema:
    limits = settings.graphql
    return _schema([
        lambda: QueryDepthLimiter(max_depth=limits.max_depth),
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: MaxAliasesLimiter(max_alias_count=limits.max_aliases),
        ErrorPolicy,
        operation_metrics(metrics),
    ])


def schema_sdl() -> str:
    """The SDL committed as schema.graphql, which clients generate their types from. Settings and extensions
    change limits, not types, so none are needed."""
    return print_schema(_schema([])) + "\n"
