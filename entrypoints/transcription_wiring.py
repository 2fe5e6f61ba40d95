"""Builds the transcription capability from settings. The composition root (and the CLI) call this;
nothing here runs at import time, and no model loads until the first recognition."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from adapters.audio.decoder import PyAvDecoder
from adapters.audio.fetcher import FetchPolicy, HttpAudioFetcher
from adapters.cache import TieredCache
from adapters.inference.scheduler import InferenceScheduler
from adapters.observability.metrics import Metrics
from adapters.pronunciation.sphinx import SphinxModels
from adapters.speech.alignment import TIMING_OPTIONS
from adapters.speech.azure import AzureSpeechProbe, AzureSpeechRecognizer
from adapters.speech.diarization import LocalDiarizer
from adapters.speech.moonshine import MoonshineRecognizer
from adapters.speech.moonshine_models import MoonshineConfig, MoonshineModelManager
from adapters.speech.unavailable import UnavailableRecognizer
from adapters.speech.voice_encoder import VoiceEncoder
from adapters.speech.whisper import FasterWhisperRecognizer
from adapters.speech.whisper_models import WhisperConfig, WhisperModelManager
from application.audio_limits import AudioLimits
from application.ports.cache import Cache
from application.ports.clock import Clock
from application.ports.inference import InferenceRunner
from application.ports.metrics import OperationMetrics
from application.ports.persistence import UnitOfWorkFactory
from application.ports.speech import SpeechRecognizer
from application.use_cases.transcribe import Transcribe
from entrypoints.settings import Environment, Settings


@dataclass
class TranscriptionComponents:
    transcribe: Transcribe
    recognizer: SpeechRecognizer
    runner: InferenceScheduler
    whisper: WhisperModelManager | None = None
    probes: list[AzureSpeechProbe] = field(default_factory=list)
    moonshine: MoonshineModelManager | None = None
    aligner: SphinxModels | None = None

    def warm_up(self) -> None:
        """Loads the local recogniser's model now (settings.inference.load_models == "startup")."""
        if self.whisper is not None:
            self.whisper.get()
        if self.moonshine is not None:
            self.moonshine.get()
        if self.aligner is not None:
            self.aligner.load()


def whisper_config(settings: Settings, model: str | None = None) -> WhisperConfig:
    engines = settings.engines
    return WhisperConfig(
        model=model or engines.transcription_model,
        cache_dir=settings.data_dir / "models",
        compute_type=engines.transcription_compute_type,
        threads=settings.inference.threads,
        beam_size=engines.transcription_beam_size,
    )


def audio_limits(settings: Settings) -> AudioLimits:
    audio = settings.audio
    return AudioLimits(int(audio.max_mb * 1_000_000), audio.max_seconds, audio.min_seconds)


def fetch_policy(settings: Settings) -> FetchPolicy:
    """https only outside development; the allow-list and private-address rule from settings."""
    return FetchPolicy(
        allowed_hosts=tuple(settings.audio.allowed_hosts),
        allow_private_hosts=settings.audio.allow_private_hosts,
        require_https=settings.environment is not Environment.DEVELOPMENT,
        timeout_seconds=settings.audio.download_timeout_seconds,
    )


def audio_decoder(settings: Settings, runner: InferenceRunner) -> PyAvDecoder:
    """The one decoder of both speech capabilities (every accepted container); the container also builds it for
    pronunciation, which decodes even with transcription switched off."""
    return PyAvDecoder(runner, settings.audio.formats, settings.audio.sample_rate)


def build_transcription(
    settings: Settings,
    *,
    engine: str | None = None,
    model: str | None = None,
    cache: Cache | None = None,
    metrics: OperationMetrics | None = None,
    uow: UnitOfWorkFactory | None = None,
    clock: Clock | None = None,
    runner: InferenceScheduler | None = None,
) -> TranscriptionComponents:
    """`runner`: the engine's one inference scheduler; a tool that builds transcription alone gets its own."""
    inference = settings.inference
    runner = runner or InferenceScheduler(inference.concurrency, inference.timeout_seconds)
    azure_key = settings.engines.azure_speech_key
    probe = AzureSpeechProbe(azure_key.get_secret_value() if azure_key else None, settings.engines.azure_speech_region)
    whisper: WhisperModelManager | None = None
    moonshine: MoonshineModelManager | None = None
    aligner: SphinxModels | None = None
    recognizer: SpeechRecognizer
    chosen = engine or settings.engines.transcription
    if chosen == "azure":
        region = settings.engines.azure_speech_region
        if azure_key is None or not region:
            recognizer = UnavailableRecognizer("azure", "Azure Speech is selected but has no key and region.")
        else:
            recognizer = AzureSpeechRecognizer(azure_key.get_secret_value(), region, runner)
    elif chosen == "whisper" or model is not None:
        whisper = WhisperModelManager(whisper_config(settings, model))
        recognizer = FasterWhisperRecognizer(whisper, runner)
    else:
        moonshine = MoonshineModelManager(MoonshineConfig(settings.data_dir / "models", inference.threads))
        aligner = SphinxModels(inference.concurrency, options=TIMING_OPTIONS)
        recognizer = MoonshineRecognizer(moonshine, runner, aligner)
    transcribe = Transcribe(
        recognizer,
        audio_decoder(settings, runner),
        audio_limits(settings),
        fetcher=HttpAudioFetcher(fetch_policy(settings)),
        diarizer=LocalDiarizer(VoiceEncoder(threads=inference.threads), runner),
        cache=cache if settings.cache.enabled else None,
        ttl_seconds=settings.cache.ttl_transcription_seconds,
        metrics=metrics,
        uow=uow,
        clock=clock,
        spoken_numbers=settings.engines.transcription_numbers == "spoken",
    )
    return TranscriptionComponents(transcribe, recognizer, runner, whisper, [probe], moonshine, aligner)


def transcription_if_enabled(
    settings: Settings, cache: TieredCache, metrics: Metrics, uow: UnitOfWorkFactory, clock: Clock,
    runner: InferenceScheduler,
) -> TranscriptionComponents | None:
    """Built on first use; its model loads on the first recognition (or at start-up, see app.py)."""
    if not settings.features.transcription:
        return None
    return build_transcription(settings, cache=cache, metrics=metrics, uow=uow, clock=clock, runner=runner)


def transcribe_use_case(components: TranscriptionComponents | None) -> Any:
    return components.transcribe if components is not None else None
