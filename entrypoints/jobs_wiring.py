"""Wiring of asynchronous jobs and batches: the handler of each capability, the queue, retries and webhooks."""

from __future__ import annotations

from typing import Any

from adapters.jobs.celery_app import celery_app
from adapters.jobs.celery_queue import CeleryJobQueue
from adapters.jobs.in_process import InProcessJobQueue
from adapters.jobs.webhooks import StandardWebhookSender
from adapters.persistence.blobs import SqlBlobStore
from adapters.security.urls import OutboundGuard, OutboundPolicy, UrlRefused, require_valid_url
from application.job_handlers.analysis import AnalysisJobHandler
from application.job_handlers.batch import BatchJobHandler
from application.job_handlers.pronunciation import PronunciationJobHandler
from application.job_handlers.transcription import TranscriptionJobHandler
from application.ports.jobs import JobHandler
from application.use_cases.analyze_text import AnalyzeText
from application.use_cases.job_runner import RunJob, RunnerSettings
from application.use_cases.pronunciation import AssessPronunciation
from domain.jobs import RetryPolicy
from entrypoints.settings import Settings
from entrypoints.transcription_wiring import TranscriptionComponents


def job_handlers(
    settings: Settings, transcription: TranscriptionComponents | None, blobs: SqlBlobStore, analyze: AnalyzeText,
    assess_pronunciation: AssessPronunciation,
) -> dict[str, JobHandler]:
    """Each capability registers the handler of its asynchronous form here (when switched on)."""
    handlers: dict[str, JobHandler] = {}
    if settings.features.analysis:
        handlers[AnalysisJobHandler.kind] = AnalysisJobHandler(analyze)
    if transcription is not None:
        handlers[TranscriptionJobHandler.kind] = TranscriptionJobHandler(transcription.transcribe, blobs)
    if settings.features.pronunciation:
        handlers[PronunciationJobHandler.kind] = PronunciationJobHandler(assess_pronunciation, blobs)
    if handlers:  # a batch runs the items of the kinds above
        analyze_many = analyze if settings.features.analysis else None
        handlers[BatchJobHandler.kind] = BatchJobHandler(dict(handlers), analyze_many, settings.jobs.batch_max_items,
                                                         runner_settings(settings).retry)
    return handlers


def runner_settings(settings: Settings) -> RunnerSettings:
    jobs = settings.jobs
    retry = RetryPolicy(max_attempts=jobs.max_attempts, base_delay_seconds=jobs.retry_base_seconds)
    return RunnerSettings(retry=retry, lease_seconds=jobs.lease_seconds)


def callback_guard(settings: Settings) -> OutboundGuard:
    """Callbacks: https in production; private hosts only where settings allow them (development, tests)."""
    return OutboundGuard(OutboundPolicy(require_https=settings.is_production,
                                        allow_private=settings.jobs.allow_private_callbacks))


def webhooks(settings: Settings) -> StandardWebhookSender | None:
    secret = settings.jobs.webhook_secret
    if secret is None:
        return None
    return StandardWebhookSender(secret.get_secret_value(), settings.jobs.webhook_timeout_seconds,
                                 callback_guard(settings))


def celery(settings: Settings) -> Any:
    broker = settings.celery_broker_url
    if not settings.uses_celery or broker is None:
        return None
    return celery_app(broker, settings.celery_result_backend, settings.jobs.visibility_timeout_seconds)


def job_queue(settings: Settings, celery: Any, run_job: RunJob) -> Any:
    if celery is not None:
        return CeleryJobQueue(celery)
    return InProcessJobQueue(run_job.execute, settings.jobs.concurrency)


def check_callback(settings: Settings) -> Any:
    from domain.errors import InvalidInput, ProviderUnavailable

    guard = callback_guard(settings)

    async def check(url: str) -> None:
        """Refuses at submission what the sender would refuse at delivery (which checks again)."""
        require_valid_url(url, "callbackUrl")
        if settings.jobs.webhook_secret is None:
            raise ProviderUnavailable("this engine has no ENGLIVO_JOBS__WEBHOOK_SECRET, so it sends no webhooks",
                                      provider="webhooks", field="callbackUrl")
        try:
            await guard.check(url)
        except UrlRefused as exc:
            raise InvalidInput(f"callbackUrl {exc}", field="callbackUrl", code=exc.code) from None

    return check
