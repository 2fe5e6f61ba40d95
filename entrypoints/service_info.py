from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from adapters.speech.moonshine_models import MoonshineConfig
from entrypoints.settings import Settings


def engine_version() -> str:
    try:
        return version("englivo-engine")
    except PackageNotFoundError:
        return "0.0.0+local"


def service_info(settings: Settings) -> dict[str, Any]:
    """What a client may rely on: versions, the engine behind each capability, and the limits in force."""
    engines = settings.engines
    features = settings.features
    audio = settings.audio
    return {
        "name": settings.app_name,
        "version": engine_version(),
        "environment": settings.environment.value,
        "capabilities": {
            "transcription": {"enabled": features.transcription, "engine": engines.transcription,
                              "model": _transcription_model(settings)},
            "analysis": {"enabled": features.analysis, "engine": engines.analysis,
                         "llmProvider": engines.llm_provider},
            "cefr": {"enabled": features.cefr, "engine": "local"},
            "pronunciation": {"enabled": features.pronunciation, "engine": engines.pronunciation},
            "progress": {"enabled": features.progress},
            "jobs": {"enabled": features.jobs, "queue": "celery" if settings.celery_broker_url else "in-process"},
        },
        "limits": {
            "audioMaxMb": audio.max_mb,
            "audioMaxSeconds": audio.max_seconds,
            "audioMinSeconds": audio.min_seconds,
            "audioFormats": audio.formats,
            "audioSampleRate": audio.sample_rate,
            "rateLimitPerKey": settings.security.rate_limit_per_key if settings.security.rate_limit_enabled else None,
            "rateLimitPerUser": settings.security.rate_limit_per_user if settings.security.rate_limit_enabled else None,
            "graphqlMaxDepth": settings.graphql.max_depth,
            "graphqlMaxTokens": settings.graphql.max_tokens,
            "graphqlMaxAliases": settings.graphql.max_aliases,
        },
        "cefrThresholds": list(settings.cefr.thresholds),
    }


def _transcription_model(settings: Settings) -> str:
    engine = settings.engines.transcription
    if engine in ("moonshine", "local"):
        return MoonshineConfig().model
    return settings.engines.transcription_model if engine == "whisper" else engine
