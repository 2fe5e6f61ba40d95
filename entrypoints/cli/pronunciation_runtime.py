"""The local assessor as the CLI builds it (the same classes the container builds for the service)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from adapters.audio.decoder import ALL_FORMATS, decode_bytes
from adapters.pronunciation.local import LocalPronunciationAssessor
from adapters.pronunciation.sphinx import SphinxModels
from application.ports.speech import DecodedAudio

TEST_CLIPS = Path(__file__).resolve().parents[2] / "tests" / "data" / "pronunciation"


@cache
def assessor() -> LocalPronunciationAssessor:
    return LocalPronunciationAssessor(SphinxModels(1))


def decode(data: bytes) -> DecodedAudio:
    return decode_bytes(data, ALL_FORMATS)
