"""The asynchronous forms of the heavy mutations: each accepts the same input as its synchronous twin and
returns a Job at once (or a typed error); the result arrives in `job`, `jobUpdates` or the webhook."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry

from application.job_handlers.analysis import KIND as ANALYSIS
from application.job_handlers.analysis import analysis_payload
from application.job_handlers.pronunciation import KIND as PRONUNCIATION
from application.job_handlers.pronunciation import pronunciation_payload
from application.job_handlers.transcription import KIND as TRANSCRIPTION
from application.job_handlers.transcription import transcription_payload
from application.use_cases.job_submission import SubmitJobCommand
from domain.errors import ProviderUnavailable, UserError
from entrypoints.graphql.analysis import AnalyzeTextInput, command_from_input
from entrypoints.graphql.context import EngineInfo
from entrypoints.graphql.errors import (
    AudioRejectedType,
    ConflictType,
    InvalidInputType,
    ProviderUnavailableType,
    RateLimitedType,
    to_graphql_type,
)
from entrypoints.graphql.jobs import JobType, job_to_graphql
from entrypoints.graphql.pronunciation import AssessPronunciationInput
from entrypoints.graphql.pronunciation import command_from_input as pronunciation_command
from entrypoints.graphql.transcription import TranscribeInput, _command

JobSubmission = Annotated[
    JobType | InvalidInputType | AudioRejectedType | RateLimitedType | ConflictType | ProviderUnavailableType,
    strawberry.union("JobSubmission"),
]


async def _submit(
    info: EngineInfo, user_id: str, kind: str, payload: Callable[[], Awaitable[dict[str, Any]]],
    idempotency_key: str | None, callback_url: str | None,
) -> JobSubmission:
    """The path every async mutation shares: the learner's rate limit, the payload (which may refuse the input
    with a typed error), the submission; any UserError comes back as its GraphQL type."""
    try:
        refusal = await info.context.check_user_rate(user_id, "learner.userId")
        if refusal:
            raise refusal
        job = await info.context.services.submit_job.execute(SubmitJobCommand(
            kind=kind, payload=await payload(), user_id=user_id, idempotency_key=idempotency_key,
            callback_url=callback_url,
        ))
    except UserError as error:
        return to_graphql_type(error)  # type: ignore[return-value]
    return job_to_graphql(job)


@strawberry.type
class AsyncJobMutation:
    @strawberry.mutation(description="Transcribe in the background: the Job comes back at once.")
    async def transcribe_async(
        self, info: EngineInfo, input: TranscribeInput, idempotency_key: str | None = None,
        callback_url: str | None = None,
    ) -> JobSubmission:
        services = info.context.services

        async def payload() -> dict[str, Any]:
            if services.transcribe is None or services.blobs is None:
                raise ProviderUnavailable("Transcription is switched off on this engine.", provider="transcription")
            return await transcription_payload(await _command(input, services.transcribe_max_bytes), services.blobs)

        return await _submit(info, str(input.learner.user_id), TRANSCRIPTION, payload, idempotency_key, callback_url)

    @strawberry.mutation(description="Analyse a text in the background: the Job comes back at once.")
    async def analyze_text_async(
        self, info: EngineInfo, input: AnalyzeTextInput, idempotency_key: str | None = None,
        callback_url: str | None = None,
    ) -> JobSubmission:
        async def payload() -> dict[str, Any]:
            return analysis_payload(command_from_input(input))

        return await _submit(info, str(input.learner.user_id), ANALYSIS, payload, idempotency_key, callback_url)

    @strawberry.mutation(description="Assess pronunciation in the background: the Job comes back at once.")
    async def assess_pronunciation_async(
        self, info: EngineInfo, input: AssessPronunciationInput, idempotency_key: str | None = None,
        callback_url: str | None = None,
    ) -> JobSubmission:
        services = info.context.services

        async def payload() -> dict[str, Any]:
            if services.blobs is None:
                raise ProviderUnavailable("Background jobs are switched off on this engine.", provider="jobs")
            command = await pronunciation_command(input)
            services.assess_pronunciation.validate(command)
            return await pronunciation_payload(command, services.blobs)

        return await _submit(info, str(input.learner.user_id), PRONUNCIATION, payload, idempotency_key, callback_url)
