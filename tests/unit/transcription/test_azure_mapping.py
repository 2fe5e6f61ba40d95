"""The Azure adapter's mapping, on result JSON shaped as Azure documents it (detailed output format,
conversation transcription). The SDK is not needed and the service is never called."""

import json
from pathlib import Path

import pytest

from adapters.speech.azure import AzureSpeechProbe, map_phrases
from domain.engines import EngineInfo
from domain.health import ComponentState
from domain.transcription.result import build_transcript

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures/azure/conversation_transcription.json"


@pytest.fixture
def phrases() -> list[dict[str, object]]:
    return json.loads(FIXTURE.read_text())


def test_ticks_become_seconds_and_every_word_is_timed(phrases: list[dict[str, object]]) -> None:
    recognition = map_phrases(phrases, "en", duration=6.0)
    first = recognition.words[0]
    assert (first.text, first.start, first.end, first.confidence) == ("um", 0.5, 0.82, 0.61)
    assert len(recognition.words) == 9 + 7 + 1
    assert all(w.end > w.start for w in recognition.words)


def test_word_without_confidence_takes_the_phrase_confidence(phrases: list[dict[str, object]]) -> None:
    recognition = map_phrases(phrases, "en", duration=6.0)
    assert recognition.words[9].text == "are"
    assert recognition.words[9].confidence == pytest.approx(0.9317)


def test_phrases_become_segments_and_speaker_turns_no_match_is_skipped(
    phrases: list[dict[str, object]],
) -> None:
    recognition = map_phrases(phrases, "en", duration=6.0)
    assert [s.text for s in recognition.segments] == [
        "Um, I have a feeling this is the beginning.",
        "Are you going to have another drink?",
        "Yes.",
    ]
    assert [(t.speaker, t.start, t.end) for t in recognition.turns] == [
        ("Guest-1", 0.5, 2.34),
        ("Guest-2", 2.7, 4.12),
    ]
    assert recognition.segments[2].speaker is None


def test_mapped_result_builds_the_same_transcript_as_local_engines(phrases: list[dict[str, object]]) -> None:
    recognition = map_phrases(phrases, "en", duration=6.0)
    transcript = build_transcript(
        recognition, EngineInfo("transcription", "azure", "ct", "v1"), recognition.turns
    )
    assert transcript.speakers == ("Guest-1", "Guest-2")
    assert transcript.words[0].is_filler
    assert transcript.metrics.filler_count == 1


async def test_probe_is_unconfigured_without_a_key() -> None:
    assert await AzureSpeechProbe(None, "westeurope").check() is ComponentState.UNCONFIGURED
    assert await AzureSpeechProbe("", None).check() is ComponentState.UNCONFIGURED
