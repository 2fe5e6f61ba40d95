"""`serviceInfo`: what a client may rely on (versions, the engine behind each capability, the limits in force),
as GraphQL object types so that clients generate types from schema.graphql."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import strawberry

from adapters.speech.moonshine_models import MoonshineConfig
from entrypoints.settings import Settings


def engine_version() -> str:
    try:
        return version("englivo-engine")
    except PackageNotFoundError:
        return "0.0.0+local"


@strawberry.type(name="TranscriptionCapability")
class TranscriptionCapability:
    enabled: bool
    engine: str = strawberry.field(description="'local' (faster-whisper) or 'azure'.")
    model: str


@strawberry.type(name="AnalysisCapability")
class AnalysisCapability:
    enabled: bool
    engine: str = strawberry.field(description="'local' or 'llm'.")
    llm_provider: str = strawberry.field(description="The default reviewer: 'none', 'gemini' or 'openai'.")


@strawberry.type(name="CefrCapability")
class CefrCapability:
    enabled: bool
    engine: str


@strawberry.type(name="PronunciationCapability")
class PronunciationCapability:
    enabled: bool
    engine: str = strawberry.field(description="'local' or 'azure'.")


@strawberry.type(name="ProgressCapability")
class ProgressCapability:
    enabled: bool


@strawberry.type(name="JobsCapability")
class JobsCapability:
    enabled: bool
    queue: str = strawberry.field(description="'celery' or 'in-process'.")


@strawberry.type(name="Capabilities", description="Each capability: switched on or off, and its engine.")
class Capabilities:
    transcription: TranscriptionCapability
    analysis: AnalysisCapability
    cefr: CefrCapability
    pronunciation: PronunciationCapability
    progress: ProgressCapability
    jobs: JobsCapability


@strawberry.type(name="ServiceLimits")
class ServiceLimits:
    audio_max_mb: float
    audio_max_seconds: float
    audio_min_seconds: float
    audio_formats: list[str]
    audio_sample_rate: int
    rate_limit_per_key: str | None = strawberry.field(
        description="A rate such as '600/minute' for each API key; null when rate limiting is off.")
    rate_limit_per_user: str | None = strawberry.field(
        description="A rate for each learner (userId); null when rate limiting is off.")
    graphql_max_depth: int
    graphql_max_tokens: int
    graphql_max_aliases: int


@strawberry.type(name="ServiceInfo")
class ServiceInfo:
    name: str
    version: str
    environment: str
    capabilities: Capabilities
    limits: ServiceLimits
    cefr_thresholds: list[float] = strawberry.field(
        description="Inclusive upper scores of A1..C1 on the 0-100 scale; above the last is C2.")


def service_info(settings: Settings) -> ServiceInfo:
    engines = settings.engines
    features = settings.features
    audio = settings.audio
    security = settings.security
    rate_limited = security.rate_limit_enabled
    return ServiceInfo(
        name=settings.app_name,
        version=engine_version(),
        environment=settings.environment.value,
        capabilities=Capabilities(
            transcription=TranscriptionCapability(enabled=features.transcription, engine=engines.transcription,
                                                  model=_transcription_model(settings)),
            analysis=AnalysisCapability(enabled=features.analysis, engine=engines.analysis,
                                        llm_provider=engines.llm_provider),
            cefr=CefrCapability(enabled=features.cefr, engine="local"),
            pronunciation=PronunciationCapability(enabled=features.pronunciation, engine=engines.pronunciation),
            progress=ProgressCapability(enabled=features.progress),
            jobs=JobsCapability(enabled=features.jobs, queue="celery" if settings.celery_broker_url else "in-process"),
        ),
        limits=ServiceLimits(
            audio_max_mb=audio.max_mb,
            audio_max_seconds=audio.max_seconds,
            audio_min_seconds=audio.min_seconds,
            audio_formats=list(audio.formats),
            audio_sample_rate=audio.sample_rate,
            rate_limit_per_key=security.rate_limit_per_key if rate_limited else None,
            rate_limit_per_user=security.rate_limit_per_user if rate_limited else None,
            graphql_max_depth=settings.graphql.max_depth,
            graphql_max_tokens=settings.graphql.max_tokens,
            graphql_max_aliases=settings.graphql.max_aliases,
        ),
        cefr_thresholds=list(settings.cefr.thresholds),
    )


def _transcription_model(settings: Settings) -> str:
    engine = settings.engines.transcription
    if engine in ("moonshine", "local"):
        return MoonshineConfig().model
    return settings.engines.transcription_model if engine == "whisper" else engine
