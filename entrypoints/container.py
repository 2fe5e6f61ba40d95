"""The composition root: the one place where adapters are chosen from settings."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from dependency_injector import containers, providers

from adapters.analysis.checker import LocalGrammarChecker, ParsedTexts
from adapters.analysis.health import AnalysisEngineProbe
from adapters.analysis.models import ModelManager
from adapters.analysis.profiler import LexicalProfiler
from adapters.audio.decoder import PyAvDecoder
from adapters.audio.fetcher import HttpAudioFetcher
from adapters.cache import DiskCache, DiskCacheProbe, RedisCache, RedisProbe, TieredCache, redis_client
from adapters.events.memory import InMemoryEventBus
from adapters.events.redis_bus import RedisEventBus
from adapters.health.probes import BrokerProbe, InProcessQueueProbe, ProviderProbe, UnconfiguredProbe
from adapters.inference.scheduler import InferenceScheduler
from adapters.jobs.celery_app import celery_app
from adapters.jobs.celery_queue import CeleryJobQueue
from adapters.jobs.in_process import InProcessJobQueue
from adapters.jobs.webhooks import StandardWebhookSender
from adapters.llm.gemini import GeminiReviewer
from adapters.llm.openai_compat import OpenAiReviewer
from adapters.observability.metrics import Metrics
from adapters.persistence.blobs import SqlBlobStore
from adapters.persistence.database import Database
from adapters.persistence.health import DatabaseProbe
from adapters.persistence.unit_of_work import unit_of_work_factory
from adapters.pronunciation.health import PronunciationModelProbe
from adapters.pronunciation.local import BUNDLE, LocalPronunciationAssessor
from adapters.pronunciation.sphinx import SphinxModels
from adapters.security.api_keys import ApiKeyRing
from adapters.security.rate_limit import LimitsRateLimiter, rate_limit_storage
from adapters.security.urls import OutboundGuard, OutboundPolicy, UrlRefused, require_valid_url
from adapters.speech.azure import AzureSpeechProbe
from application.job_handlers.analysis import AnalysisJobHandler
from application.job_handlers.batch import BatchJobHandler
from application.job_handlers.pronunciation import PronunciationJobHandler
from application.job_handlers.transcription import TranscriptionJobHandler
from application.ports.analysis import CefrAssessor, LanguageModel
from application.ports.clock import Clock, SystemClock
from application.ports.health import HealthProbe
from application.ports.jobs import JobHandler
from application.ports.persistence import UnitOfWorkFactory
from application.ports.pronunciation import PronunciationAssessor
from application.ports.speech import SpeechRecognizer
from application.use_cases.analyze_text import AnalysisLimits, AnalyzeText
from application.use_cases.assess_cefr import CefrForAnalysis
from application.use_cases.job_runner import RecoverJobs, RunJob, RunnerSettings
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
from domain.jobs import RetryPolicy
from entrypoints.inference_wiring import build_scheduler
from entrypoints.service_info import engine_version, service_info
from entrypoints.services import Services
from entrypoints.settings import Settings
from entrypoints.transcription_wiring import TranscriptionComponents, audio_limits, build_transcription, fetch_policy


def _database(settings: Settings) -> Database:
    return Database(
        settings.database.url, settings.database.db_schema,
        echo=settings.database.echo, pool_size=settings.database.pool_size,
    )


def _redis(settings: Settings) -> Any:
    if not settings.redis.url:
        return None
    return redis_client(settings.redis.url, settings.redis.socket_timeout_seconds)


def _disk_cache(settings: Settings) -> DiskCache:
    return DiskCache(settings.cache.dir, settings.cache.size_limit_mb * 1024 * 1024)


def _cache(disk: DiskCache, client: Any, metrics: Metrics, settings: Settings) -> TieredCache:
    return TieredCache(
        disk, RedisCache(client) if client is not None else None, metrics,
        retry_after_seconds=settings.redis.retry_after_seconds,
    )


def _probes(
    settings: Settings, database: Database, disk: DiskCache, client: Any, models: ModelManager
) -> list[HealthProbe]:
    engines = settings.engines
    probes: list[HealthProbe] = [
        AnalysisEngineProbe(models, required=settings.features.analysis),
        DatabaseProbe(database),
        DiskCacheProbe(disk),
        RedisProbe(client) if client is not None else UnconfiguredProbe("cache.redis", "cache"),
        InProcessQueueProbe() if not settings.uses_celery else BrokerProbe(settings.celery_broker_url or ""),
        ProviderProbe("provider.gemini", engines.gemini_api_key is not None),
        ProviderProbe("provider.openai", engines.openai_api_key is not None or engines.openai_base_url is not None),
        AzureSpeechProbe(engines.azure_speech_key.get_secret_value() if engines.azure_speech_key else None,
                         engines.azure_speech_region),
        PronunciationModelProbe(BUNDLE),
    ]
    return probes


def _events(settings: Settings, client: Any) -> Any:
    """Redis pub/sub when jobs run on Celery (workers elsewhere publish), else in memory."""
    return RedisEventBus(client) if settings.uses_celery and client is not None else InMemoryEventBus()


def _job_handlers(
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
                                                         _runner_settings(settings).retry)
    return handlers


def _runner_settings(settings: Settings) -> RunnerSettings:
    jobs = settings.jobs
    retry = RetryPolicy(max_attempts=jobs.max_attempts, base_delay_seconds=jobs.retry_base_seconds)
    return RunnerSettings(retry=retry, lease_seconds=jobs.lease_seconds)


def _callback_guard(settings: Settings) -> OutboundGuard:
    """Callbacks: https in production; private hosts only where settings allow them (development, tests)."""
    return OutboundGuard(OutboundPolicy(require_https=settings.is_production,
                                        allow_private=settings.jobs.allow_private_callbacks))


def _webhooks(settings: Settings) -> StandardWebhookSender | None:
    secret = settings.jobs.webhook_secret
    if secret is None:
        return None
    return StandardWebhookSender(secret.get_secret_value(), settings.jobs.webhook_timeout_seconds,
                                 _callback_guard(settings))


def _celery(settings: Settings) -> Any:
    broker = settings.celery_broker_url
    if not settings.uses_celery or broker is None:
        return None
    return celery_app(broker, settings.celery_result_backend, settings.jobs.visibility_timeout_seconds)


def _job_queue(settings: Settings, celery: Any, run_job: RunJob) -> Any:
    if celery is not None:
        return CeleryJobQueue(celery)
    return InProcessJobQueue(run_job.execute, settings.jobs.concurrency)


def _check_callback(settings: Settings) -> Any:
    from domain.errors import InvalidInput, ProviderUnavailable

    guard = _callback_guard(settings)

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
def _checker(
    models: ModelManager, parsed: ParsedTexts, runner: InferenceScheduler, settings: Settings
) -> LocalGrammarChecker:
    return LocalGrammarChecker(models, parsed, runner, harper_workers=settings.inference.concurrency)


def _llms(settings: Settings, metrics: Metrics) -> dict[str, LanguageModel]:
    """Every provider that has what it needs; the request (or `llm_provider`) picks one."""
    engines = settings.engines
    timeout = engines.llm_timeout_seconds
    llms: dict[str, LanguageModel] = {}
    if engines.gemini_api_key is not None:
        model = engines.llm_model if engines.llm_provider == "gemini" else None
        llms["gemini"] = GeminiReviewer(engines.gemini_api_key.get_secret_value(), model, timeout, metrics,
                                        base_url=engines.gemini_base_url)
    if engines.openai_api_key is not None or engines.openai_base_url is not None:
        key = engines.openai_api_key.get_secret_value() if engines.openai_api_key else None
        model = engines.llm_model if engines.llm_provider == "openai" else None
        llms["openai"] = OpenAiReviewer(key, model, timeout, metrics, base_url=engines.openai_base_url)
    return llms


def _analysis_limits(settings: Settings) -> AnalysisLimits:
    ttl = settings.cache.ttl_analysis_seconds if settings.cache.enabled else 0
    return AnalysisLimits(settings.engines.analysis_max_characters, ttl, engine_version(),
                          batch_concurrency=settings.inference.concurrency)


def _rate_limiter(settings: Settings, metrics: Metrics) -> LimitsRateLimiter:
    security = settings.security
    rates = {"api_key": security.rate_limit_per_key, "user": security.rate_limit_per_user}
    if not security.rate_limit_enabled:
        rates = {}
    return LimitsRateLimiter(
        rate_limit_storage(settings.redis.url), rates, metrics, retry_after_seconds=settings.redis.retry_after_seconds
    )


def _transcription(
    settings: Settings, cache: TieredCache, metrics: Metrics, uow: UnitOfWorkFactory, clock: Clock,
    runner: InferenceScheduler,
) -> TranscriptionComponents | None:
    """Built on first use; its model loads on the first recognition (or at start-up, see app.py)."""
    if not settings.features.transcription:
        return None
    return build_transcription(settings, cache=cache, metrics=metrics, uow=uow, clock=clock, runner=runner)


def _transcribe(components: TranscriptionComponents | None) -> Any:
    return components.transcribe if components is not None else None


def _cefr_model(settings: Settings, parsed: ParsedTexts, runner: InferenceScheduler) -> Any:
    """Built lazily: the parser and the model file load on the first assessment."""
    if not settings.features.cefr:
        return None
    from adapters.cefr.model import LocalCefrModel
    from domain.cefr.scale import CefrThresholds

    return LocalCefrModel(
        settings.engines.cefr_model_path,
        CefrThresholds(tuple(settings.cefr.thresholds)),
        runner=runner,
        known_parse=parsed.known,
        pipeline=parsed.pipeline,
    )


def _assess_cefr(model: Any, cache: TieredCache, settings: Settings) -> Any:
    from application.use_cases.assess_cefr import AssessCefr

    ttl = settings.cache.ttl_cefr_seconds if settings.cache.enabled else 0  # 0: nothing is kept
    return AssessCefr(model, cache, ttl) if model is not None else None
def _pronunciation_assessor(settings: Settings, models: SphinxModels) -> PronunciationAssessor:
    engines = settings.engines
    if engines.pronunciation == "azure":
        from adapters.pronunciation.azure import AzurePronunciationAssessor

        key = engines.azure_speech_key.get_secret_value() if engines.azure_speech_key else None
        return AzurePronunciationAssessor(key, engines.azure_speech_region)
    return LocalPronunciationAssessor(models, version=engine_version())


def _audio_decoder(settings: Settings, runner: InferenceScheduler) -> PyAvDecoder:
    """The transcription capability's decoder (every accepted container), built here too so that
    pronunciation decodes even with transcription switched off."""
    return PyAvDecoder(runner, settings.audio.formats, settings.audio.sample_rate)


def _speech_recognizer(components: TranscriptionComponents | None) -> SpeechRecognizer | None:
    """Unscripted assessment transcribes with the transcription capability's own recogniser: one Whisper
    model in the process, whoever asks."""
    return components.recognizer if components is not None else None


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    metrics = providers.Singleton(
        lambda s: Metrics(max_operation_names=s.observability.metrics_max_operation_names), settings
    )
    clock = providers.Singleton(SystemClock)

    # Constructing these opens nothing: connections and files open on first use.
    database = providers.Singleton(_database, settings)
    uow = providers.Singleton(unit_of_work_factory, database)
    redis = providers.Singleton(_redis, settings)
    disk_cache = providers.Singleton(_disk_cache, settings)
    cache = providers.Singleton(_cache, disk_cache, redis, metrics, settings)
    events = providers.Singleton(_events, settings, redis)
    keyring = providers.Singleton(
        lambda s: ApiKeyRing(k.get_secret_value() for k in s.security.api_keys), settings
    )
    rate_limiter = providers.Singleton(_rate_limiter, settings, metrics)

    # Models load on first use (or at start-up, see `load_models`), never here.
    inference = providers.Singleton(build_scheduler, settings)  # every model call of every capability
    audio_decoder = providers.Singleton(_audio_decoder, settings, inference)
    audio_fetcher = providers.Singleton(lambda s: HttpAudioFetcher(fetch_policy(s)), settings)
    transcription = providers.Singleton(_transcription, settings, cache, metrics, uow, clock, inference)
    speech_recognizer: providers.Provider[SpeechRecognizer | None] = providers.Callable(
        _speech_recognizer, transcription)
    sphinx_models = providers.Singleton(lambda s: SphinxModels(s.inference.concurrency), settings)
    pronunciation_assessor = providers.Singleton(_pronunciation_assessor, settings, sphinx_models)
    assess_pronunciation = providers.Factory(
        AssessPronunciation, audio_decoder, pronunciation_assessor, speech_recognizer, inference, cache, uow, clock,
        providers.Callable(audio_limits, settings),  # transcription's: the same audio, the same refusal
        providers.Callable(lambda s: s.cache.ttl_pronunciation_seconds if s.cache.enabled else 0, settings),
        fetcher=audio_fetcher,
    )

    # Text analysis: models load on first use (or at start-up, per settings.inference.load_models).
    analysis_models = providers.Singleton(ModelManager, metrics.provided.observe_model_load)
    parsed_texts = providers.Singleton(ParsedTexts, analysis_models)
    cefr_model = providers.Singleton(_cefr_model, settings, parsed_texts, inference)
    grammar_checker = providers.Singleton(_checker, analysis_models, parsed_texts, inference, settings)
    text_profiler = providers.Singleton(LexicalProfiler, parsed_texts, inference)
    language_models = providers.Singleton(_llms, settings, metrics)
    assess_cefr = providers.Singleton(_assess_cefr, cefr_model, cache, settings)
    cefr_assessor: providers.Provider[CefrAssessor | None] = providers.Callable(
        lambda use_case: CefrForAnalysis(use_case) if use_case is not None else None, assess_cefr
    )
    analyze_text = providers.Factory(
        AnalyzeText, grammar_checker, text_profiler, cache, uow, clock, metrics,
        providers.Callable(_analysis_limits, settings), llms=language_models,
        default_provider=settings.provided.engines.llm_provider, cefr=cefr_assessor,
    )

    probes = providers.Singleton(_probes, settings, database, disk_cache, redis, analysis_models)
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
        _job_handlers, settings, transcription, blobs, analyze_text, assess_pronunciation
    )
    celery = providers.Singleton(_celery, settings)
    run_job = providers.Singleton(
        RunJob, uow, job_handlers, events, clock, providers.Callable(_runner_settings, settings),
        providers.Singleton(_webhooks, settings), metrics,
    )
    job_queue = providers.Singleton(_job_queue, settings, celery, run_job)
    submit_job = providers.Factory(
        SubmitJob, uow, job_queue, job_handlers, clock, providers.Object(lambda: uuid.uuid4().hex),
        providers.Callable(_check_callback, settings),
    )
    cancel_job = providers.Factory(CancelJob, uow, events, clock)
    recover_jobs = providers.Factory(
        RecoverJobs, uow, job_queue, events, clock, providers.Callable(_runner_settings, settings),
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
        transcribe=providers.Callable(_transcribe, transcription),
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


def warm_up_models(container: Container) -> None:
    """Loads the analysis models now (blocking): for `load_models=startup`, benchmarks and readiness."""
    container.grammar_checker().warm_up()
    container.text_profiler().warm_up()
