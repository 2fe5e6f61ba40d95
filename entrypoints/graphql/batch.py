"""`submitBatch`: many texts and recordings in one call, run as one job of kind "batch". GraphQL has no
input unions, so each item is a `BatchItemInput` with exactly one of its fields set."""

from __future__ import annotations

from collections import Counter
from typing import Any

import strawberry

from application.job_handlers.analysis import KIND as ANALYSIS
from application.job_handlers.analysis import analysis_payload
from application.job_handlers.batch import KIND as BATCH
from application.job_handlers.batch import batch_payload
from application.job_handlers.pronunciation import KIND as PRONUNCIATION
from application.job_handlers.pronunciation import pronunciation_payload
from application.job_handlers.transcription import KIND as TRANSCRIPTION
from application.job_handlers.transcription import transcription_payload
from application.use_cases.job_submission import SubmitJobCommand
from domain.errors import InvalidInput, ProviderUnavailable, UserError
from entrypoints.graphql.analysis import AnalyzeTextInput
from entrypoints.graphql.analysis import command_from_input as analysis_command
from entrypoints.graphql.async_jobs import JobSubmission
from entrypoints.graphql.context import EngineInfo
from entrypoints.graphql.errors import to_graphql_type
from entrypoints.graphql.jobs import job_to_graphql
from entrypoints.graphql.pronunciation import AssessPronunciationInput
from entrypoints.graphql.pronunciation import command_from_input as pronunciation_command
from entrypoints.graphql.transcription import TranscribeInput
from entrypoints.graphql.transcription import _command as transcription_command
from entrypoints.services import Services

ONE_OF = "set exactly one of analysis, transcription, pronunciation"


@strawberry.input(name="BatchItemInput", description=f"One item of a batch: {ONE_OF}.")
class BatchItemInput:
    analysis: AnalyzeTextInput | None = None
    transcription: TranscribeInput | None = None
    pronunciation: AssessPronunciationInput | None = None


def _chosen(item: BatchItemInput, index: int) -> tuple[str, Any]:
    given = [(kind, value) for kind, value in ((ANALYSIS, item.analysis), (TRANSCRIPTION, item.transcription),
                                               (PRONUNCIATION, item.pronunciation)) if value is not None]
    if len(given) != 1:
        raise InvalidInput(f"items[{index}]: {ONE_OF} (found {len(given)})", field=f"items[{index}]")
    return given[0]


async def _payload(kind: str, value: Any, services: Services) -> dict[str, Any]:
    if kind == ANALYSIS:
        return analysis_payload(analysis_command(value))
    if services.blobs is None:
        raise ProviderUnavailable("Background jobs are switched off on this engine.", provider="jobs")
    if kind == TRANSCRIPTION:
        return await transcription_payload(await transcription_command(value, services.transcribe_max_bytes),
                                           services.blobs)
    return await pronunciation_payload(await pronunciation_command(value), services.blobs)


async def _item_payload(kind: str, value: Any, index: int, services: Services) -> dict[str, Any]:
    try:
        return await _payload(kind, value, services)
    except UserError as error:  # name the item, so the client knows which one to fix
        error.field = f"items[{index}].{error.field}" if error.field else f"items[{index}]"
        raise


@strawberry.type
class BatchMutation:
    @strawberry.mutation(description=(
        "Many texts and recordings as one background job (kind \"batch\"): each item keeps its status and its "
        "result or error, a failed item does not fail the others, and a summary comes at the end. Read it with "
        "job(id) { result { ... on BatchResult { ... } } }."))
    async def submit_batch(
        self, info: EngineInfo, items: list[BatchItemInput], idempotency_key: str | None = None,
        callback_url: str | None = None,
    ) -> JobSubmission:
        services = info.context.services
        try:
            if not items:
                raise InvalidInput("a batch needs at least one item", field="items")
            if len(items) > services.batch_max_items:
                raise InvalidInput(f"a batch holds at most {services.batch_max_items} items; this one has "
                                   f"{len(items)}", field="items", code="too_many_items")
            chosen = [_chosen(item, index) for index, item in enumerate(items)]
            per_user = Counter(str(value.learner.user_id) for _, value in chosen)
            users = list(per_user)
            for user, count in per_user.items():  # each item counts as one call of its learner
                refusal = await info.context.check_user_rate(user, "learner.userId", items=count)
                if refusal:
                    raise refusal
            payload = batch_payload([(kind, await _item_payload(kind, value, index, services))
                                     for index, (kind, value) in enumerate(chosen)])
            job = await services.submit_job.execute(SubmitJobCommand(
                kind=BATCH, payload=payload, user_id=users[0], idempotency_key=idempotency_key,
                callback_url=callback_url,
            ))
        except UserError as error:
            return to_graphql_type(error)  # type: ignore[return-value]
        return job_to_graphql(job)
