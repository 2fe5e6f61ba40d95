"""The finished transcript and the rule that assembles it from what the engines heard."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from domain.engines import EngineInfo
from domain.transcription.fillers import mark_fillers
from domain.transcription.metrics import SpeechMetrics, compute_metrics
from domain.transcription.speakers import assign_speakers, label_segments, speakers_in_order
from domain.transcription.transcript import Recognition, Segment, SpeakerTurn, Word


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str
    duration: float
    words: tuple[Word, ...]
    segments: tuple[Segment, ...]
    speakers: tuple[str, ...]
    metrics: SpeechMetrics
    engine: EngineInfo
    processing_time: float
    warnings: tuple[str, ...] = ()  # what the decoder noticed about the audio (a truncated file)

    def with_processing_time(self, seconds: float) -> Transcript:
        return replace(self, processing_time=round(seconds, 3))


def build_transcript(
    recognition: Recognition,
    engine: EngineInfo,
    turns: Sequence[SpeakerTurn] | None = None,
    processing_time: float = 0.0,
) -> Transcript:
    """Marks disfluencies, gives each word and segment a speaker when there are turns, measures fluency."""
    words = mark_fillers(recognition.words)
    segments = recognition.segments
    if turns:
        words = assign_speakers(words, turns)
        segments = label_segments(segments, words)
    return Transcript(
        text=recognition.text,
        language=recognition.language,
        duration=recognition.duration,
        words=words,
        segments=segments,
        speakers=speakers_in_order(words),
        metrics=compute_metrics(words),
        engine=engine,
        processing_time=round(processing_time, 3),
    )
