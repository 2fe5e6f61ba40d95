"""What the pronunciation commands run: the API's pronunciation use case and its recogniser, built by the
container from the settings (the same objects the service builds), driven from synchronous command code."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapters.audio.decoder import ALL_FORMATS, decode_bytes
from adapters.pronunciation.local import LocalPronunciationAssessor
from application.ports.speech import DecodedAudio
from domain.pronunciation.assessment import PronunciationAssessment
from entrypoints.pronunciation_wiring import phone_state_encoder

if TYPE_CHECKING:
    from entrypoints.container import Container

TEST_CLIPS = Path(__file__).resolve().parents[2] / "tests" / "data" / "pronunciation"


def decode(data: bytes) -> DecodedAudio:
    return decode_bytes(data, ALL_FORMATS)


@contextmanager
def _service() -> Iterator[tuple[Container, asyncio.AbstractEventLoop]]:
    """The container the settings describe, with nothing cached or stored (a measurement is no learner's
    result), and one event loop to run its use cases on; both closed on the way out."""
    from dependency_injector import providers

    from entrypoints.container import build_container, close_container
    from entrypoints.settings import load_settings

    settings = load_settings()
    settings = settings.model_copy(update={"cache": settings.cache.model_copy(update={"enabled": False})})
    container = build_container(settings)
    container.uow.override(providers.Object(None))
    loop = asyncio.new_event_loop()
    try:
        yield container, loop
    finally:
        loop.run_until_complete(close_container(container))
        loop.close()


@contextmanager
def api_assessment(bundle: Path | None = None) -> Iterator[Callable[[bytes, str], PronunciationAssessment]]:
    """`assess(audio_bytes, text)` through the use case the API runs (recogniser beside the assessor), with
    nothing cached or stored; `bundle`: the local assessor with these regressors instead of the shipped ones
    (cross-validation)."""
    from dependency_injector import providers

    from application.use_cases.pronunciation import AssessPronunciationCommand

    with _service() as (container, loop):
        if bundle is not None:
            container.pronunciation_assessor.override(providers.Object(
                LocalPronunciationAssessor(container.sphinx_models(),
                                           phone_state_encoder(container.settings(), container.transcription()),
                                           bundle_path=bundle)))
        use_case = container.assess_pronunciation()

        def assess(audio: bytes, text: str) -> PronunciationAssessment:
            command = AssessPronunciationCommand(audio=audio, user_id="", reference_text=text)
            return loop.run_until_complete(use_case.execute(command))

        yield assess


@contextmanager
def reading_recogniser() -> Iterator[Callable[[Any], str]]:
    """`heard(samples)`: what the API's recogniser hears in a recording (16 kHz samples), recognised as the
    pronunciation use case asks for it."""
    import click

    from application.use_cases.pronunciation import reading_recognition

    with _service() as (container, loop):
        recognizer = container.speech_recognizer()
        if recognizer is None:
            raise click.UsageError("the miscue set needs a speech recogniser: the settings switch it off")

        def heard(samples: Any) -> str:
            audio = DecodedAudio(samples[None, :], 16_000)
            return loop.run_until_complete(recognizer.recognize(audio, reading_recognition("en"))).text

        yield heard
