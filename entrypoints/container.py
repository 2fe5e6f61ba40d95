"""The composition root: the one place where adapters are chosen from settings."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from dependency_injector import containers, providers

from adapters.analysis.checker import ParsedTexts
from adapters.analysis.models import ModelManager
from adapters.analysis.profiler import LexicalProfiler
from adapters.audio.fetcher import HttpAudioFetcher
from adapters.jobs.in_process import InProcessJobQueue
from adapters.observability.metrics import Metrics
from adapters.persistence.blobs import SqlBlobStore
from adapters.persistence.unit_of_work import unit_of_work_factory
from adapters.pronunciation.sphinx import SphinxModels
from adapters.security.api_keys import ApiKeyRing
from application.ports.analysis import CefrAssessor
from application.ports.clock import SystemClock
from application.ports.speech import ReadingVerifier, SpeechRecognizer
from application.use_cases.analyze_text import AnalyzeText
from application.use_cases.assess_cefr import CefrForAnalysis
from application.use_cases.job_runner import RecoverJobs, RunJob
from application.use_cases.job_submission import CancelJob, SubmitJob
from application.use_cases.jobs import GetJob, ListJobs, WatchJob
from application.use_cases.progress import AnalyzeSessions, GetProgress, RecordProgress, SessionReport
from application.use_cases.progress_history import (
    CountErrors,
    CountNewLemmas,
    ListProgressResults,
    ListSessions,
)
from application.use_cases.pronunciation import AssessPronunciation
from application.use_cases.readiness import CheckReadiness
from domain.cefr.scale import CefrThresholds
from entrypoints import analysis_wiring, infrastructure_wiring, jobs_wiring, pronunciation_wiring, transcription_wiring
from entrypoints.analysis_workers import analysis_workers as build_analysis_workers
from entrypoints.inference_wiring import build_scheduler
from entrypoints.service_info import service_info
from entrypoints.services import Services
from entrypoints.settings import Settings
from entrypoints.transcription_wiring import audio_limits, fetch_policy


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    metrics = providers.Singleton(
        lambda s: Metrics(max_operation_names=s.observability.metrics_max_operation_names), settings
    )
    clock = providers.Singleton(SystemClock)

    # Constructing these opens nothing: connections and files open on first use.
    database = providers.Singleton(infrastructure_wiring.database, settings)
    uow = providers.Singleton(unit_of_work_factory, database)
    redis = providers.Singleton(infrastructure_wiring.redis, settings)
    disk_cache = providers.Singleton(infrastructure_wiring.disk_cache, settings)
    cache = providers.Singleton(infrastructure_wiring.cache, disk_cache, redis, metrics, settings)
    events = providers.Singleton(infrastructure_wiring.events, settings, redis)
    keyring = providers.Singleton(
        lambda s: ApiKeyRing(k.get_secret_value() for k in s.security.api_keys), settings
    )
    rate_limiter = providers.Singleton(infrastructure_wiring.rate_limiter, settings, metrics)

    # Models load on first use (or at start-up, see `load_models`), never here.
    inference = providers.Singleton(build_scheduler, settings)  # every model call of every capability
    audio_decoder = providers.Singleton(transcription_wiring.audio_decoder, settings, inference)
    audio_fetcher = providers.Singleton(lambda s: HttpAudioFetcher(fetch_policy(s)), settings)
    transcription = providers.Singleton(
        transcription_wiring.transcription_if_enabled, settings, cache, metrics, uow, clock, inference
    )
    speech_recognizer: providers.Provider[SpeechRecognizer | None] = providers.Callable(
        pronunciation_wiring.speech_recognizer, transcription)
    reading_verifier: providers.Provider[ReadingVerifier | None] = providers.Callable(
        pronunciation_wiring.reading_verifier, transcription)
    sphinx_models = providers.Singleton(lambda s: SphinxModels(s.inference.concurrency), settings)
    pronunciation_assessor = providers.Singleton(pronunciation_wiring.pronunciation_assessor, settings, sphinx_models,
                                                    transcription)
    assess_pronunciation = providers.Factory(
        AssessPronunciation, audio_decoder, pronunciation_assessor, speech_recognizer, inference, cache, uow, clock,
        providers.Callable(audio_limits, settings),  # transcription's: the same audio, the same refusal
        providers.Callable(lambda s: s.cache.ttl_pronunciation_seconds if s.cache.enabled else 0, settings),
        fetcher=audio_fetcher, verifier=reading_verifier,
    )

    # Text analysis: models load on first use (or at start-up, per settings.inference.load_models).
    analysis_models = providers.Singleton(ModelManager, metrics.provided.observe_model_load)
    parsed_texts = providers.Singleton(ParsedTexts, analysis_models)
    cefr_model = providers.Singleton(analysis_wiring.cefr_model, settings, parsed_texts, inference)
    grammar_checker = providers.Singleton(analysis_wiring.checker, analysis_models, parsed_texts, inference, settings)
    text_profiler = providers.Singleton(LexicalProfiler, parsed_texts, inference)
    language_models = providers.Singleton(analysis_wiring.llms, settings, metrics)
    assess_cefr = providers.Singleton(analysis_wiring.assess_cefr, cefr_model, cache, settings)
    cefr_assessor: providers.Provider[CefrAssessor | None] = providers.Callable(
        lambda use_case: CefrForAnalysis(use_case) if use_case is not None else None, assess_cefr
    )
    analysis_workers = providers.Singleton(build_analysis_workers, settings)  # processes for a batch's texts
    analyze_text = providers.Factory(
        AnalyzeText, grammar_checker, text_profiler, cache, uow, clock, metrics,
        providers.Callable(analysis_wiring.analysis_limits, settings), llms=language_models,
        default_provider=settings.provided.engines.llm_provider, cefr=cefr_assessor, workers=analysis_workers,
    )

    probes = providers.Singleton(infrastructure_wiring.probes, settings, database, disk_cache, redis, analysis_models)
    check_readiness = providers.Factory(CheckReadiness, probes)
    get_job = providers.Factory(GetJob, uow)
    list_jobs = providers.Factory(ListJobs, uow)
    watch_job = providers.Factory(WatchJob, uow, events)

    thresholds = providers.Singleton(lambda s: CefrThresholds(s.cefr.thresholds), settings)
    record_progress = providers.Factory(RecordProgress, uow)
    get_progress = providers.Factory(GetProgress, uow, thresholds)
    session_report = providers.Factory(SessionReport, uow, thresholds)
    analyze_sessions = providers.Factory(AnalyzeSessions, uow, thresholds)
    list_progress_results = providers.Factory(ListProgressResults, uow)
    list_sessions = providers.Factory(ListSessions, uow)
    count_errors = providers.Factory(CountErrors, uow)
    count_new_lemmas = providers.Factory(CountNewLemmas, uow)

    blobs = providers.Singleton(SqlBlobStore, database)
    job_handlers = providers.Singleton(
        jobs_wiring.job_handlers, settings, transcription, blobs, analyze_text, assess_pronunciation
    )
    celery = providers.Singleton(jobs_wiring.celery, settings)
    run_job = providers.Singleton(
        RunJob, uow, job_handlers, events, clock, providers.Callable(jobs_wiring.runner_settings, settings),
        providers.Singleton(jobs_wiring.webhooks, settings), metrics,
    )
    job_queue = providers.Singleton(jobs_wiring.job_queue, settings, celery, run_job)
    submit_job = providers.Factory(
        SubmitJob, uow, job_queue, job_handlers, clock, providers.Object(lambda: uuid.uuid4().hex),
        providers.Callable(jobs_wiring.check_callback, settings),
    )
    cancel_job = providers.Factory(CancelJob, uow, events, clock)
    recover_jobs = providers.Factory(
        RecoverJobs, uow, job_queue, events, clock, providers.Callable(jobs_wiring.runner_settings, settings),
        providers.Callable(lambda s: timedelta(days=s.jobs.retention_days), settings),
        providers.Callable(lambda s: timedelta(seconds=max(600.0, 2 * s.jobs.lease_seconds)), settings),
        blobs,
    )

    services = providers.Singleton(
        Services,
        check_readiness=check_readiness,
        get_job=get_job,
        list_jobs=list_jobs,
        submit_job=submit_job,
        cancel_job=cancel_job,
        analyze_text=analyze_text,
        watch_job=watch_job,
        rate_limiter=rate_limiter,
        get_progress=get_progress,
        session_report=session_report,
        analyze_sessions=analyze_sessions,
        record_progress=record_progress,
        list_progress_results=list_progress_results,
        list_sessions=list_sessions,
        count_errors=count_errors,
        count_new_lemmas=count_new_lemmas,
        assess_pronunciation=assess_pronunciation,
        service_info=providers.Callable(service_info, settings),
        blobs=blobs,
        transcribe=providers.Callable(transcription_wiring.transcribe_use_case, transcription),
        transcribe_max_bytes=providers.Callable(lambda s: audio_limits(s).max_bytes, settings),
        assess_cefr=assess_cefr,
        batch_max_items=settings.provided.jobs.batch_max_items,
    )


def build_container(settings: Settings) -> Container:
    return Container(settings=settings)


async def close_container(container: Container) -> None:
    """Releases connections and files. Building a singleton here just to close it costs nothing: none of
    them opens anything before first use."""
    await container.database().dispose()
    client = container.redis()
    if client is not None:
        await client.aclose()
    container.disk_cache().close()
    queue = container.job_queue()
    if isinstance(queue, InProcessJobQueue):
        await queue.close()
    if not container.grammar_checker.overridden:  # an overriding engine belongs to whoever supplied it
        container.grammar_checker().close()
    if not container.inference.overridden:
        container.inference().close()
    workers = container.analysis_workers()
    if workers is not None:
        await asyncio.to_thread(workers.close)


def warm_up_models(container: Container) -> None:
    """Loads the analysis models now (blocking): for `load_models=startup`, benchmarks and readiness."""
    container.grammar_checker().warm_up()
    container.text_profiler().warm_up()
