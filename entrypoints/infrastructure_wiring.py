"""Wiring of the infrastructure every capability shares: database, caches, event bus, rate limits, health probes."""

from __future__ import annotations

from typing import Any

from adapters.analysis.health import AnalysisEngineProbe
from adapters.analysis.models import ModelManager
from adapters.cache import DiskCache, DiskCacheProbe, RedisCache, RedisProbe, TieredCache, redis_client
from adapters.events.memory import InMemoryEventBus
from adapters.events.redis_bus import RedisEventBus
from adapters.health.probes import BrokerProbe, InProcessQueueProbe, ProviderProbe, UnconfiguredProbe
from adapters.observability.metrics import Metrics
from adapters.persistence.database import Database
from adapters.persistence.health import DatabaseProbe
from adapters.pronunciation.health import PronunciationModelProbe
from adapters.pronunciation.local import BUNDLE
from adapters.security.rate_limit import LimitsRateLimiter, rate_limit_storage
from adapters.speech.azure import AzureSpeechProbe
from application.ports.health import HealthProbe
from entrypoints.settings import Settings


def database(settings: Settings) -> Database:
    return Database(
        settings.database.url, settings.database.db_schema,
        echo=settings.database.echo, pool_size=settings.database.pool_size,
    )


def redis(settings: Settings) -> Any:
    if not settings.redis.url:
        return None
    return redis_client(settings.redis.url, settings.redis.socket_timeout_seconds)


def disk_cache(settings: Settings) -> DiskCache:
    return DiskCache(settings.cache.dir, settings.cache.size_limit_mb * 1024 * 1024)


def cache(disk: DiskCache, client: Any, metrics: Metrics, settings: Settings) -> TieredCache:
    return TieredCache(
        disk, RedisCache(client) if client is not None else None, metrics,
        retry_after_seconds=settings.redis.retry_after_seconds,
    )


def probes(
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


def events(settings: Settings, client: Any) -> Any:
    """Redis pub/sub when jobs run on Celery (workers elsewhere publish), else in memory."""
    return RedisEventBus(client) if settings.uses_celery and client is not None else InMemoryEventBus()


def rate_limiter(settings: Settings, metrics: Metrics) -> LimitsRateLimiter:
    security = settings.security
    rates = {"api_key": security.rate_limit_per_key, "user": security.rate_limit_per_user}
    if not security.rate_limit_enabled:
        rates = {}
    return LimitsRateLimiter(
        rate_limit_storage(settings.redis.url), rates, metrics, retry_after_seconds=settings.redis.retry_after_seconds
    )
