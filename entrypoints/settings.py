"""Every option the engine has, read from ENGLIVO_* variables (nested groups use `__`) and `.env`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.cefr.scale import DEFAULT_UPPER_BOUNDS, threshold_problem

ENV_PREFIX = "ENGLIVO_"
DEV_API_KEY = "dev-key-change-me"  # the key .env.example ships; refused in production
NESTED_DELIMITER = "__"


class Environment(str, Enum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


def _split_csv(value: object) -> object:
    """Lists may be given as JSON or as a plain comma-separated string."""
    if isinstance(value, str) and not value.strip().startswith("["):
        return [item.strip() for item in value.split(",") if item.strip()]
    if isinstance(value, str):
        import json

        return json.loads(value)
    return value


CsvList = Annotated[list[str], NoDecode]


class DatabaseSettings(BaseModel):
    url: str = Field("sqlite+aiosqlite:///var/englivo.db", description="SQLAlchemy async URL.")
    db_schema: str = Field("englivo", description="PostgreSQL schema for the engine's tables (ignored by SQLite).")
    pool_size: int = Field(5, ge=1, le=100, description="Connections kept open (PostgreSQL).")
    echo: bool = Field(False, description="Log every SQL statement.")
    auto_migrate: bool | None = Field(None, description="Migrate at start-up; default: everywhere but production.")

    @field_validator("url")
    @classmethod
    def _async_driver(cls, url: str) -> str:
        if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return url


class RedisSettings(BaseModel):
    url: str | None = Field(None, description="redis:// URL; unset runs on the embedded defaults.")
    socket_timeout_seconds: float = Field(0.5, gt=0, description="Per-command timeout before a tier counts as down.")
    retry_after_seconds: float = Field(5.0, gt=0, description="How long a down Redis is skipped before a retry.")


class CelerySettings(BaseModel):
    broker_url: str | None = Field(None, description="Celery broker; defaults to the Redis URL.")
    result_backend: str | None = Field(None, description="Celery result backend; defaults to the Redis URL.")


class CacheSettings(BaseModel):
    enabled: bool = Field(True, description="Cache analysis results.")
    dir: Path = Field(Path("var/cache"), description="Disk cache folder.")
    size_limit_mb: int = Field(1024, ge=1, description="Disk cache size cap.")
    ttl_transcription_seconds: int = Field(86_400, ge=0)
    ttl_analysis_seconds: int = Field(3_600, ge=0)
    ttl_cefr_seconds: int = Field(3_600, ge=0)
    ttl_pronunciation_seconds: int = Field(7_200, ge=0)


class AudioSettings(BaseModel):
    max_mb: float = Field(25, gt=0, description="Largest accepted audio file.")
    formats: CsvList = Field(["wav", "mp3", "m4a", "ogg", "opus", "flac", "webm"], description="Accepted containers.")
    sample_rate: int = Field(16_000, ge=8_000, le=48_000, description="Rate audio is decoded to.")
    max_seconds: float = Field(600, gt=0, description="Longest accepted recording.")
    min_seconds: float = Field(0.3, ge=0, description="Shortest accepted recording.")
    allowed_hosts: CsvList = Field([], description="Hosts audio URLs may point at; empty allows any public host.")
    allow_private_hosts: bool = Field(False, description="Allow URLs that resolve to private or loopback hosts.")
    download_timeout_seconds: float = Field(20, gt=0)

    _split = field_validator("formats", "allowed_hosts", mode="before")(_split_csv)


class EngineSettings(BaseModel):
    transcription: Literal["moonshine", "whisper", "azure", "local"] = Field(
        "moonshine", description="Speech recogniser: moonshine (Moonshine base-en), whisper (faster-whisper, "
        "TRANSCRIPTION_MODEL), azure; local is the default local one (moonshine).")
    transcription_model: str = Field(
        "tiny.en", description="Whisper model when TRANSCRIPTION is whisper: tiny.en, base, or a CTranslate2 folder.")
    transcription_numbers: Literal["spoken", "formatted"] = Field(
        "spoken", description="Numbers in transcripts as said (\"five seven\") or formatted (\"57\").")
    transcription_compute_type: str = Field("int8", description="CTranslate2 compute type.")
    transcription_beam_size: int = Field(1, ge=1, le=10)
    analysis: Literal["local", "llm"] = Field("local", description="Grammar checker.")
    analysis_max_characters: int = Field(10_000, ge=100, description="Longest text analyzeText accepts.")
    grammar_tagger: bool = Field(True, description="Run the learner-error tagger (a neural detector, about 50 ms "
                                 "per 300 words on one thread) beside the other grammar detectors; off: without it "
                                 "(BENCHMARKS.md: FCE dev F0.5 0.287 without, 0.378 with).")
    grammar_languagetool: bool = Field(
        True, description="Run LanguageTool's English rules (lingotweaker, LGPL-2.1; about 430 MB) beside the other "
        "grammar detectors, those measured precise enough on development data; off: without them.")
    grammar_tagger_path: Path | None = Field(
        None, description="Folder of a tagger model (tagger.onnx, tags.json, tokenizer.json); unset uses the one "
        "shipped.")
    pronunciation: Literal["local", "azure"] = Field("local", description="Pronunciation assessor.")
    cefr_model_path: Path | None = Field(None, description="CEFR model file; unset uses the one shipped.")
    llm_provider: Literal["none", "gemini", "openai"] = Field("none", description="LLM for richer feedback.")
    llm_model: str | None = Field(None, description="Model name for the LLM provider.")
    llm_timeout_seconds: float = Field(15, gt=0)
    gemini_api_key: SecretStr | None = None
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = Field(None, description="OpenAI-compatible server, e.g. a local llama.cpp.")
    gemini_base_url: str | None = Field(None, description="Gemini API endpoint override (proxies, tests).")
    azure_speech_key: SecretStr | None = None
    azure_speech_region: str | None = None


class FeatureFlags(BaseModel):
    transcription: bool = True
    analysis: bool = True
    cefr: bool = True
    pronunciation: bool = True
    progress: bool = True
    jobs: bool = True


class JobsSettings(BaseModel):
    queue: Literal["auto", "in_process", "celery"] = Field(
        "auto", description="auto: Celery when a broker (or Redis) is configured, else in-process."
    )
    concurrency: int = Field(2, ge=1, le=64, description="Jobs the in-process queue runs at once.")
    max_attempts: int = Field(3, ge=1, le=20, description="Runs of a job before a transient failure fails it.")
    retry_base_seconds: float = Field(2.0, gt=0, description="First retry delay; doubles with each attempt.")
    lease_seconds: float = Field(60.0, gt=0, description="A running job unheard of this long is taken over.")
    retention_days: float = Field(7.0, gt=0, description="Finished jobs (and their results) are deleted after.")
    maintenance_interval_seconds: float = Field(60.0, gt=0, description="How often lost jobs are re-queued.")
    visibility_timeout_seconds: int = Field(3_600, ge=1, description="Celery/Redis redelivery of unacked tasks.")
    webhook_secret: SecretStr | None = Field(None, description="Standard Webhooks secret (whsec_...).")
    webhook_timeout_seconds: float = Field(10.0, gt=0)
    allow_private_callbacks: bool = Field(False, description="Allow callback URLs on private hosts (dev, tests).")
    batch_max_items: int = Field(500, ge=1, le=10_000, description="Items one submitBatch may hold.")


class InferenceSettings(BaseModel):
    threads: int = Field(2, ge=1, le=64, description="CPU threads per model.")
    concurrency: int = Field(2, ge=1, le=64, description=(
        "Workers of the one inference scheduler: model calls of every capability running at once, interactive "
        "requests before job and batch work. Set it to the machine's CPU cores."))
    timeout_seconds: float = Field(120, gt=0, description="Deadline of one model call, its wait for a worker included.")
    batch_processes: int = Field(0, ge=0, le=64, description=(
        "Worker processes that analyse the texts of a batch, each with its own analysis models (about 1.5 GB "
        "of memory each, loaded on the first batch). Threads of one process share Python's GIL, so batches "
        "reach the machine's cores only this way; set it to the CPU cores. 0: batches run in this process."))
    load_models: Literal["startup", "first_use"] = Field("first_use", description="When models are loaded.")


class SecuritySettings(BaseModel):
    api_keys: Annotated[list[SecretStr], NoDecode] = Field([], description="Accepted X-API-Key values (rotation).")
    rate_limit_enabled: bool = True
    rate_limit_per_key: str = Field("600/minute", description="limits-library rate for each API key.")
    rate_limit_per_user: str = Field("120/minute", description="limits-library rate for each userId.")
    cors_origins: CsvList = Field([], description="Origins allowed by CORS.")

    @field_validator("api_keys", mode="before")
    @classmethod
    def _keys(cls, value: object) -> object:
        return _split_csv(value)

    _split = field_validator("cors_origins", mode="before")(_split_csv)

    @field_validator("rate_limit_per_key", "rate_limit_per_user")
    @classmethod
    def _rate(cls, value: str) -> str:
        from limits import parse_many

        try:
            parse_many(value)
        except ValueError as exc:
            raise ValueError(f"not a rate like '100/minute': {exc}") from exc
        return value


class GraphQLSettings(BaseModel):
    max_depth: int = Field(12, ge=1)
    max_tokens: int = Field(2_000, ge=50)
    max_aliases: int = Field(15, ge=1)
    max_json_body_mb: float = Field(
        16, gt=0, description="Largest JSON request body, refused with a 413 while it streams in (multipart "
        "uploads have the audio limits). A full batch (500 English texts of 10,000 characters) is about 5 MB.")
    graphiql: bool | None = Field(None, description="Serve GraphiQL; default: everywhere but production.")
    dashboard: bool | None = Field(None, description="Serve the progress dashboard page at /dashboard; "
                                   "default: everywhere but production.")


class ObservabilitySettings(BaseModel):
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool | None = Field(None, description="JSON logs; default: in production only.")
    metrics_enabled: bool = True
    metrics_max_operation_names: int = Field(
        100, ge=0, le=10_000, description="Distinct GraphQL operation names /metrics keeps as label values; "
        "later new names, and names that are not GraphQL names of at most 64 characters, count as 'other'.")
    sentry_dsn: SecretStr | None = None
    sentry_traces_sample_rate: float = Field(0.0, ge=0, le=1)


class CefrSettings(BaseModel):
    thresholds: Annotated[tuple[float, ...], NoDecode] = Field(
        DEFAULT_UPPER_BOUNDS, description="Upper score bounds of A1, A2, B1, B2, C1 (0-100)."
    )

    @field_validator("thresholds", mode="before")
    @classmethod
    def _parse(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("thresholds")
    @classmethod
    def _valid(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        problem = threshold_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter=NESTED_DELIMITER,
        env_file=".env",
        extra="ignore",
        env_ignore_empty=True,
        validate_default=True,
    )

    app_name: str = "englivo-ai-engine"
    environment: Environment = Environment.DEVELOPMENT
    debug: bool = False
    host: str = "127.0.0.1"
    port: int = Field(8001, ge=1, le=65_535)
    workers: int = Field(1, ge=1, le=64, description="uvicorn worker processes.")
    data_dir: Path = Field(Path("var"), description="Where embedded state lives (SQLite, cache, models).")

    database: DatabaseSettings = DatabaseSettings()
    redis: RedisSettings = RedisSettings()
    celery: CelerySettings = CelerySettings()
    cache: CacheSettings = CacheSettings()
    audio: AudioSettings = AudioSettings()
    engines: EngineSettings = EngineSettings()
    features: FeatureFlags = FeatureFlags()
    inference: InferenceSettings = InferenceSettings()
    jobs: JobsSettings = JobsSettings()
    security: SecuritySettings = SecuritySettings()
    graphql: GraphQLSettings = GraphQLSettings()
    observability: ObservabilitySettings = ObservabilitySettings()
    cefr: CefrSettings = CefrSettings()

    @model_validator(mode="after")
    def _celery_needs_a_broker(self) -> Settings:
        if self.jobs.queue == "celery" and self.celery_broker_url is None:
            raise ValueError("jobs.queue: celery needs ENGLIVO_REDIS__URL or ENGLIVO_CELERY__BROKER_URL")
        return self

    @model_validator(mode="after")
    def _production_needs_keys(self) -> Settings:
        if self.environment is Environment.PRODUCTION:
            keys = [k.get_secret_value() for k in self.security.api_keys]
            if not keys:
                raise ValueError("security.api_keys: production needs at least one API key")
            if any(k == DEV_API_KEY or len(k) < 16 for k in keys):
                raise ValueError("security.api_keys: production keys must be at least 16 characters, not the dev key")
        return self

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def auto_migrate(self) -> bool:
        flag = self.database.auto_migrate
        return flag if flag is not None else not self.is_production

    @property
    def graphiql_enabled(self) -> bool:
        return self.graphql.graphiql if self.graphql.graphiql is not None else not self.is_production

    @property
    def dashboard_enabled(self) -> bool:
        return self.graphql.dashboard if self.graphql.dashboard is not None else not self.is_production

    @property
    def log_json(self) -> bool:
        flag = self.observability.log_json
        return flag if flag is not None else self.is_production

    @property
    def celery_broker_url(self) -> str | None:
        return self.celery.broker_url or self.redis.url

    @property
    def uses_celery(self) -> bool:
        if self.jobs.queue == "auto":
            return self.celery_broker_url is not None
        return self.jobs.queue == "celery"

    @property
    def celery_result_backend(self) -> str | None:
        return self.celery.result_backend or self.redis.url


class SettingsError(Exception):
    """Start-up refused: the message names each offending ENGLIVO_* variable and why."""


def env_name(location: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in location if not isinstance(p, int)]
    return ENV_PREFIX + NESTED_DELIMITER.join(p.upper() for p in parts) if parts else ENV_PREFIX + "*"


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            location = error["loc"]
            message = error["msg"]
            if not location and ":" in message:  # model-level check names its field itself
                field, _, message = message.partition(":")
                location = tuple(field.strip().removeprefix("Value error, ").split("."))
            lines.append(f"{env_name(location)}: {message}")
        raise SettingsError("invalid settings:\n  " + "\n  ".join(lines)) from None
