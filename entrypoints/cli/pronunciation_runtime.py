"""The local assessor as the CLI builds it (the same classes the container builds for the service), and the
API's pronunciation use case for the commands that measure what a learner gets."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from adapters.audio.decoder import ALL_FORMATS, decode_bytes
from adapters.pronunciation.local import LocalPronunciationAssessor
from adapters.pronunciation.sphinx import SphinxModels
from application.ports.speech import DecodedAudio
from domain.pronunciation.assessment import PronunciationAssessment

TEST_CLIPS = Path(__file__).resolve().parents[2] / "tests" / "data" / "pronunciation"


@cache
def assessor() -> LocalPronunciationAssessor:
    return LocalPronunciationAssessor(SphinxModels(1))


def decode(data: bytes) -> DecodedAudio:
    return decode_bytes(data, ALL_FORMATS)


@contextmanager
def api_assessment(bundle: Path | None = None) -> Iterator[Callable[[bytes, str], PronunciationAssessment]]:
    """`assess(audio_bytes, text)` through the use case the API runs (recogniser beside the assessor), built
    by the container from the settings, with nothing cached or stored; `bundle`: the local assessor with
    these regressors instead of the shipped ones (cross-validation)."""
    from dependency_injector import providers

    from application.use_cases.pronunciation import AssessPronunciationCommand
    from entrypoints.container import build_container, close_container
    from entrypoints.settings import load_settings

    settings = load_settings()
    settings = settings.model_copy(update={"cache": settings.cache.model_copy(update={"enabled": False})})
    container = build_container(settings)
    container.uow.override(providers.Object(None))
    if bundle is not None:
        container.pronunciation_assessor.override(providers.Object(
            LocalPronunciationAssessor(container.sphinx_models(), bundle_path=bundle)))
    use_case = container.assess_pronunciation()
    loop = asyncio.new_event_loop()

    def assess(audio: bytes, text: str) -> PronunciationAssessment:
        command = AssessPronunciationCommand(audio=audio, user_id="", reference_text=text)
        return loop.run_until_complete(use_case.execute(command))

    try:
        yield assess
    finally:
        loop.run_until_complete(close_container(container))
        loop.close()

