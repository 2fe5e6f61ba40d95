"""A learner's history as plain records: what each capability hands over after producing a result, and
the per-session summaries the aggregation reads back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from domain.cefr.scale import CefrLevel
from domain.results import ResultKind


class Granularity(str, Enum):
    SESSION = "session"
    DAY = "day"
    WEEK = "week"


@dataclass(frozen=True)
class ErrorOccurrence:
    """One learner error: `type` is the learner-facing error type's value ("article"), `rule` the detector's."""

    type: str
    rule: str | None
    example: str


@dataclass(frozen=True)
class LemmaUse:
    lemma: str
    level: CefrLevel | None  # None: in no vocabulary list


@dataclass(frozen=True)
class PronunciationScores:
    pronunciation: float
    accuracy: float
    fluency: float
    completeness: float
    prosody: float
    phonemes: tuple[tuple[str, float], ...] = ()  # (ARPAbet phoneme, mean accuracy 0-100) in this result


@dataclass(frozen=True)
class FluencyMeasures:
    words_per_minute: float
    pause_count: int
    mean_pause: float
    filler_rate: float | None  # disfluencies per 100 words; None where the engine does not detect them
    speaking_time: float


@dataclass(frozen=True)
class ProgressEntry:
    """What a capability records about one result for a learner and session. Plain values only, so the
    analysis, pronunciation and transcription use cases can each build one from their own result."""

    result_id: str
    user_id: str
    session_id: str
    kind: ResultKind
    at: datetime
    engine_version: str
    scoring_version: str = ""
    words: int = 0
    cefr_score: float | None = None
    cefr_level: CefrLevel | None = None
    errors: tuple[ErrorOccurrence, ...] = ()
    lemmas: tuple[LemmaUse, ...] = ()
    pronunciation: PronunciationScores | None = None
    fluency: FluencyMeasures | None = None

    @property
    def scale(self) -> str:
        """Results are comparable only within one scale: the engine and scoring version together."""
        return scale_of(self.engine_version, self.scoring_version)


def scale_of(engine_version: str, scoring_version: str) -> str:
    return f"{engine_version}/{scoring_version}" if scoring_version else engine_version


@dataclass(frozen=True)
class SessionRecord:
    """One session's results of one kind and one scale, summed (counts) or averaged (scores)."""

    session_id: str
    kind: ResultKind
    scale: str
    at: datetime  # the first result's time
    results: int
    words: int
    cefr_score: float | None = None
    pronunciation: float | None = None
    words_per_minute: float | None = None
    mean_pause: float | None = None
    filler_rate: float | None = None
    # (error type, occurrences); a repository may keep only the types most frequent across the history,
    # as many as the error patterns shown, since only those are charted per session
    error_counts: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class ErrorExample:
    type: str
    rule: str | None
    example: str
    at: datetime


@dataclass(frozen=True)
class RuleCount:
    type: str
    rule: str | None
    count: int


@dataclass(frozen=True)
class NewLemmas:
    session_id: str
    at: datetime
    by_level: tuple[tuple[CefrLevel | None, int], ...]

    @property
    def count(self) -> int:
        return sum(n for _, n in self.by_level)


@dataclass(frozen=True)
class PhonemeStat:
    phoneme: str
    accuracy: float
    count: int


@dataclass(frozen=True)
class LearnerHistory:
    """What the progress query reads: already grouped per session by the database."""

    user_id: str
    records: tuple[SessionRecord, ...] = ()
    rules: tuple[RuleCount, ...] = ()
    examples: tuple[ErrorExample, ...] = ()  # the most recent few per error type
    known_lemmas_before: int = 0  # distinct lemmas first seen before the range
    new_lemmas: tuple[NewLemmas, ...] = ()
    phonemes: tuple[PhonemeStat, ...] = ()  # weakest first
    phoneme_sessions: tuple[tuple[str, str, datetime, float], ...] = field(default=())
    # (phoneme, session id, time, mean accuracy) for the weakest phonemes

    @property
    def session_ids(self) -> tuple[str, ...]:
        seen: dict[str, datetime] = {}
        for record in self.records:
            seen[record.session_id] = min(seen.get(record.session_id, record.at), record.at)
        return tuple(sorted(seen, key=lambda s: (seen[s], s)))
