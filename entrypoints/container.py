"""The composition root: the one place where adapters are chosen from settings."""

from __future__ import annotations

from typing import Any

from dependency_injector import containers, providers

from adapters.audio.soundfile_decoder import SoundfileAudioDecoder
from adapters.cache import DiskCache, DiskCacheProbe, RedisCache, RedisProbe, TieredCache, redis_client
from adapters.events.memory import InMemoryEventBus
from adapters.health.probes import InProcessQueueProbe, ProviderProbe, UnconfiguredProbe
from adapters.inference.runner import ThreadPoolRunner
from adapters.observability.metrics import Metrics
from adapters.persistence.database import Database
from adapters.persistence.health import DatabaseProbe
from adapters.persistence.unit_of_work import unit_of_work_factory
from adapters.pronunciation.health import PronunciationModelProbe
from adapters.pronunciation.local import BUNDLE, LocalPronunciationAssessor
from adapters.pronunciation.sphinx import SphinxModels
from adapters.security.api_keys import ApiKeyRing
from adapters.security.rate_limit import LimitsRateLimiter, rate_limit_storage
from application.ports.audio import SpeechRecognizer
from application.ports.clock import SystemClock
from application.ports.health import HealthProbe
from application.ports.pronunciation import PronunciationAssessor
from application.use_cases.jobs import GetJob, ListJobs, RecordJobUpdate, WatchJob
from application.use_cases.pronunciation import AssessPronunciation, AudioLimits
from application.use_cases.readiness import CheckReadiness
from entrypoints.service_info import engine_version, service_info
from entrypoints.services import Services
from entrypoints.settings import Settings


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


def _probes(settings: Settings, database: Database, disk: DiskCache, client: Any) -> list[HealthProbe]:
    engines = settings.engines
    probes: list[HealthProbe] = [
        DatabaseProbe(database),
        DiskCacheProbe(disk),
        RedisProbe(client) if client is not None else UnconfiguredProbe("cache.redis", "cache"),
        InProcessQueueProbe(),
        ProviderProbe("provider.gemini", engines.gemini_api_key is not None),
        ProviderProbe("provider.openai", engines.openai_api_key is not None or engines.openai_base_url is not None),
        ProviderProbe("provider.azure_speech", engines.azure_speech_key is not None),
        PronunciationModelProbe(BUNDLE),
    ]
    return probes


def _rate_limiter(settings: Settings, metrics: Metrics) -> LimitsRateLimiter:
    security = settings.security
    rates = {"api_key": security.rate_limit_per_key, "user": security.rate_limit_per_user}
    if not security.rate_limit_enabled:
        rates = {}
    return LimitsRateLimiter(
        rate_limit_storage(settings.redis.url), rates, metrics, retry_after_seconds=settings.redis.retry_after_seconds
    )


def _pronunciation_assessor(settings: Settings, models: SphinxModels) -> PronunciationAssessor:
    engines = settings.engines
    if engines.pronunciation == "azure":
        from adapters.pronunciation.azure import AzurePronunciationAssessor

        key = engines.azure_speech_key.get_secret_value() if engines.azure_speech_key else None
        return AzurePronunciationAssessor(key, engines.azure_speech_region)
    return LocalPronunciationAssessor(models, version=engine_version())


def _audio_limits(settings: Settings) -> AudioLimits:
    audio = settings.audio
    return AudioLimits(int(audio.max_mb * 1_000_000), audio.min_seconds, audio.max_seconds)


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    metrics = providers.Singleton(Metrics)
    clock = providers.Singleton(SystemClock)

    # Constructing these opens nothing: connections and files open on first use.
    database = providers.Singleton(_database, settings)
    uow = providers.Singleton(unit_of_work_factory, database)
    redis = providers.Singleton(_redis, settings)
    disk_cache = providers.Singleton(_disk_cache, settings)
    cache = providers.Singleton(_cache, disk_cache, redis, metrics, settings)
    events = providers.Singleton(InMemoryEventBus)
    keyring = providers.Singleton(
        lambda s: ApiKeyRing(k.get_secret_value() for k in s.security.api_keys), settings
    )
    rate_limiter = providers.Singleton(_rate_limiter, settings, metrics)

    # Models load on first use (or at start-up, see `load_models`), never here.
    inference = providers.Singleton(
        lambda s: ThreadPoolRunner(s.inference.concurrency, s.inference.timeout_seconds), settings
    )
    audio_decoder = providers.Singleton(SoundfileAudioDecoder)
    # Seam for unscripted mode: the transcription capability provides the SpeechRecognizer.
    speech_recognizer: providers.Provider[SpeechRecognizer | None] = providers.Object(None)
    sphinx_models = providers.Singleton(lambda s: SphinxModels(s.inference.concurrency), settings)
    pronunciation_assessor = providers.Singleton(_pronunciation_assessor, settings, sphinx_models)
    assess_pronunciation = providers.Factory(
        AssessPronunciation, audio_decoder, pronunciation_assessor, speech_recognizer, inference, cache, uow, clock,
        providers.Callable(_audio_limits, settings),
        providers.Callable(lambda s: s.cache.ttl_pronunciation_seconds if s.cache.enabled else 0, settings),
    )

    probes = providers.Singleton(_probes, settings, database, disk_cache, redis)
    check_readiness = providers.Factory(CheckReadiness, probes)
    get_job = providers.Factory(GetJob, uow)
    list_jobs = providers.Factory(ListJobs, uow)
    watch_job = providers.Factory(WatchJob, uow, events)
    record_job_update = providers.Factory(RecordJobUpdate, uow, events, clock)

    services = providers.Singleton(
        Services,
        check_readiness=check_readiness,
        get_job=get_job,
        list_jobs=list_jobs,
        watch_job=watch_job,
        rate_limiter=rate_limiter,
        assess_pronunciation=assess_pronunciation,
        service_info=providers.Callable(service_info, settings),
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
    container.inference().close()
