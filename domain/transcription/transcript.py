"""A transcript as the engine returns it: a superset of OpenAI's `verbose_json`. Times are in seconds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    confidence: float
    speaker: str | None = None
    is_filler: bool = False

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True)
class Segment:
    id: int
    start: float
    end: float
    text: str
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    speaker: str | None = None


@dataclass(frozen=True)
class SpeakerTurn:
    speaker: str
    start: float
    end: float


@dataclass(frozen=True)
class Recognition:
    """What a speech recogniser heard, before speakers and metrics are added. `turns` is filled by
    engines that diarize as they recognise (Azure conversation transcription)."""

    language: str
    duration: float
    words: tuple[Word, ...]
    segments: tuple[Segment, ...]
    turns: tuple[SpeakerTurn, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())
