"""Pronunciation results from the phoneme up to the utterance, on Azure's 0-100 scales."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from domain.engines import EngineInfo


class WordErrorKind(str, Enum):
    NONE = "none"
    OMISSION = "omission"
    INSERTION = "insertion"
    MISPRONUNCIATION = "mispronunciation"


@dataclass(frozen=True)
class PhonemeScore:
    expected: str  # ARPAbet without stress
    expected_ipa: str
    heard: str | None  # the phone heard over the same frames, where it can be trusted; else None
    accuracy: float  # 0-100
    start: float  # seconds
    end: float
    confidence: float  # 0-1: how far to trust `accuracy` and `heard`
    mispronounced: bool = False  # flagged only when confident


@dataclass(frozen=True)
class WordScore:
    text: str
    accuracy: float
    error: WordErrorKind
    phonemes: tuple[PhonemeScore, ...] = ()
    start: float | None = None
    end: float | None = None
    confidence: float = 1.0


@dataclass(frozen=True)
class SpeechMetrics:
    """Measured from the alignment: the parts of the transcription issue's metrics that pronunciation needs."""

    duration: float
    speaking_time: float
    words_per_minute: float
    articulation_rate: float  # phones per second of speech
    pause_count: int
    mean_pause: float
    longest_pause: float
    pitch_range_semitones: float
    intensity_range_db: float


@dataclass(frozen=True)
class PronunciationScores:
    accuracy: float
    fluency: float
    completeness: float
    prosody: float
    pronunciation: float


@dataclass(frozen=True)
class PronunciationAssessment:
    reference_text: str
    scores: PronunciationScores
    words: tuple[WordScore, ...]
    metrics: SpeechMetrics
    engine: EngineInfo
    common_issues: tuple[str, ...] = ()
    improvement_tips: tuple[str, ...] = ()
    words_to_practise: tuple[str, ...] = ()
    scripted: bool = True
    warnings: tuple[str, ...] = field(default=())
    processing_time: float = 0.0


def clamp_score(value: float) -> float:
    return round(min(100.0, max(0.0, value)), 1)


def completeness(words: tuple[WordScore, ...]) -> float:
    """Share of reference words that were said (insertions are not reference words)."""
    reference = [w for w in words if w.error is not WordErrorKind.INSERTION]
    if not reference:
        return 0.0
    said = sum(w.error is not WordErrorKind.OMISSION for w in reference)
    return clamp_score(100.0 * said / len(reference))


def overall(accuracy: float, fluency: float, completeness_: float, prosody: float | None) -> float:
    """Azure's documented weighting for the overall score: with prosody, 0.4 accuracy and 0.2 each for
    the rest; without prosody, 0.5 accuracy and 0.25 fluency and completeness."""
    if prosody is None:
        return clamp_score(0.5 * accuracy + 0.25 * fluency + 0.25 * completeness_)
    return clamp_score(0.4 * accuracy + 0.2 * fluency + 0.2 * completeness_ + 0.2 * prosody)


def merge(parts: list[PronunciationAssessment], reference_text: str, engine: EngineInfo) -> PronunciationAssessment:
    """Sentence-by-sentence results of one recording as one assessment, scores weighted by word count."""
    weights = [max(1, sum(w.error is not WordErrorKind.INSERTION for w in p.words)) for p in parts]
    total = sum(weights)

    def mean(attribute: str) -> float:
        return clamp_score(sum(getattr(p.scores, attribute) * k for p, k in zip(parts, weights, strict=True)) / total)

    scores = PronunciationScores(mean("accuracy"), mean("fluency"), mean("completeness"), mean("prosody"),
                                 mean("pronunciation"))
    metrics = [p.metrics for p in parts]
    speaking = sum(m.speaking_time for m in metrics)
    pauses = sum(m.pause_count for m in metrics)
    merged_metrics = SpeechMetrics(
        duration=sum(m.duration for m in metrics),
        speaking_time=speaking,
        words_per_minute=round(sum(m.words_per_minute * m.speaking_time for m in metrics) / speaking, 1)
        if speaking else 0.0,
        articulation_rate=round(sum(m.articulation_rate * m.speaking_time for m in metrics) / speaking, 2)
        if speaking else 0.0,
        pause_count=pauses,
        mean_pause=round(sum(m.mean_pause * m.pause_count for m in metrics) / pauses, 3) if pauses else 0.0,
        longest_pause=max(m.longest_pause for m in metrics),
        pitch_range_semitones=max(m.pitch_range_semitones for m in metrics),
        intensity_range_db=max(m.intensity_range_db for m in metrics),
    )
    return PronunciationAssessment(
        reference_text=reference_text,
        scores=scores,
        words=tuple(w for p in parts for w in p.words),
        metrics=merged_metrics,
        engine=engine,
        scripted=all(p.scripted for p in parts),
        warnings=tuple(dict.fromkeys(w for p in parts for w in p.warnings)),
    )
