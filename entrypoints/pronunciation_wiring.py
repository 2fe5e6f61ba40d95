"""Wiring of pronunciation assessment: the assessor chosen from settings, the shared decoder and recogniser."""

from __future__ import annotations

from adapters.pronunciation.local import LocalPronunciationAssessor
from adapters.pronunciation.neural import PhoneStateEncoder
from adapters.pronunciation.sphinx import SphinxModels
from adapters.speech.moonshine_models import MoonshineConfig, MoonshineModelManager
from application.ports.pronunciation import PronunciationAssessor
from application.ports.speech import ReadingVerifier, SpeechRecognizer
from entrypoints.service_info import engine_version
from entrypoints.settings import Settings
from entrypoints.transcription_wiring import TranscriptionComponents


def pronunciation_assessor(settings: Settings, models: SphinxModels,
                           components: TranscriptionComponents | None) -> PronunciationAssessor:
    engines = settings.engines
    if engines.pronunciation == "azure":
        from adapters.pronunciation.azure import AzurePronunciationAssessor

        key = engines.azure_speech_key.get_secret_value() if engines.azure_speech_key else None
        return AzurePronunciationAssessor(key, engines.azure_speech_region)
    return LocalPronunciationAssessor(models, phone_state_encoder(settings, components), version=engine_version())


def phone_state_encoder(settings: Settings, components: TranscriptionComponents | None) -> PhoneStateEncoder:
    """Moonshine's encoder for the neural phone evidence: the recogniser's own model where transcription runs
    Moonshine (one copy in memory), else a model of its own (Moonshine ships with the engine either way)."""
    manager = components.moonshine if components is not None else None
    if manager is None:
        manager = MoonshineModelManager(MoonshineConfig(settings.data_dir / "models", settings.inference.threads))
    return PhoneStateEncoder(manager)


def speech_recognizer(components: TranscriptionComponents | None) -> SpeechRecognizer | None:
    """Unscripted assessment transcribes with the transcription capability's own recogniser: one Whisper
    model in the process, whoever asks."""
    return components.recognizer if components is not None else None


def reading_verifier(components: TranscriptionComponents | None) -> ReadingVerifier | None:
    """The recogniser again, where its model can also score a given text (Moonshine; not Whisper or Azure)."""
    recognizer = speech_recognizer(components)
    return recognizer if isinstance(recognizer, ReadingVerifier) else None
