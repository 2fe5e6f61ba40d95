"""A learner's progress over a history: the summary numbers and every chart series."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.cefr.scale import LEVELS, CefrLevel, CefrThresholds
from domain.progress.patterns import ErrorPattern, Recommendation, error_patterns, recommendations
from domain.progress.records import Granularity, LearnerHistory, NewLemmas, PhonemeStat
from domain.progress.series import Sample, Series, bucketed
from domain.progress.trends import (
    ImprovementRate,
    cefr_series,
    fluency_series,
    improvement_rate,
    pronunciation_series,
    scales,
    vocabulary_series,
)
from domain.results import ResultKind


@dataclass(frozen=True)
class LevelShare:
    level: CefrLevel | None
    early: float  # share of new lemmas at this level in the first half of the sessions
    recent: float  # ... in the second half


@dataclass(frozen=True)
class Progress:
    user_id: str
    sessions: int
    first_at: datetime | None
    last_at: datetime | None
    current_score: float | None
    current_level: CefrLevel | None
    improvement: ImprovementRate | None
    series: tuple[Series, ...]
    error_patterns: tuple[ErrorPattern, ...]
    vocabulary_size: int
    vocabulary_new: int
    level_shift: tuple[LevelShare, ...]
    weakest_phonemes: tuple[PhonemeStat, ...]
    recommendations: tuple[Recommendation, ...]
    mixed_engine_versions: bool  # some measure was taken on more than one scale in this range
    scales: tuple[str, ...]


def build_progress(
    history: LearnerHistory, granularity: Granularity = Granularity.SESSION,
    thresholds: CefrThresholds | None = None,
) -> Progress:
    thresholds = thresholds or CefrThresholds()
    records = history.records
    scored = sorted((r for r in records if r.cefr_score is not None), key=lambda r: r.at)
    current = scored[-1].cefr_score if scored else None
    patterns = error_patterns(history)
    new = sum(n.count for n in history.new_lemmas)
    mixed = any(len(scales([r for r in records if r.kind is kind])) > 1 for kind in ResultKind)
    series = [
        *cefr_series(records, granularity, thresholds),
        *pronunciation_series(records, granularity),
        *fluency_series(records, granularity),
        *vocabulary_series(history.new_lemmas, history.known_lemmas_before, granularity),
        *error_rate_series(history, patterns, granularity),
        *phoneme_series(history, granularity),
    ]
    return Progress(
        user_id=history.user_id,
        sessions=len(history.session_ids),
        first_at=min((r.at for r in records), default=None),
        last_at=max((r.at for r in records), default=None),
        current_score=current,
        current_level=thresholds.level_for(current) if current is not None else None,
        improvement=improvement_rate(records),
        series=tuple(series),
        error_patterns=tuple(patterns),
        vocabulary_size=history.known_lemmas_before + new,
        vocabulary_new=new,
        level_shift=level_shift(history.new_lemmas),
        weakest_phonemes=history.phonemes,
        recommendations=tuple(recommendations(history, patterns)),
        mixed_engine_versions=mixed,
        scales=tuple(scales(records)),
    )


def error_rate_series(
    history: LearnerHistory, patterns: list[ErrorPattern], granularity: Granularity
) -> list[Series]:
    """Errors per 100 words for each top pattern, per scale, weighted by the words of each session."""
    text = [(r, dict(r.error_counts)) for r in history.records if r.kind is ResultKind.TEXT_ANALYSIS and r.words > 0]
    text_scales = scales([r for r, _ in text])
    out = []
    for pattern in patterns:
        for scale in text_scales:
            samples = [Sample(r.at, r.session_id, 100 * counts.get(pattern.type, 0) / r.words, float(r.words))
                       for r, counts in text if r.scale == scale]
            out.append(Series(f"errors:{pattern.type}", "per 100 words", tuple(bucketed(samples, granularity)), scale))
    return out


def phoneme_series(history: LearnerHistory, granularity: Granularity) -> list[Series]:
    out = []
    for stat in history.phonemes:
        samples = [Sample(at, session, accuracy) for phoneme, session, at, accuracy in history.phoneme_sessions
                   if phoneme == stat.phoneme]
        if samples:
            out.append(Series(f"phoneme:{stat.phoneme}", "score", tuple(bucketed(samples, granularity))))
    return out


def level_shift(new_lemmas: tuple[NewLemmas, ...]) -> tuple[LevelShare, ...]:
    """How the levels of newly learnt words moved: first half of the sessions against the second."""
    if not new_lemmas:
        return ()
    ordered = sorted(new_lemmas, key=lambda n: n.at)
    half = max(len(ordered) // 2, 1)
    early, recent = _shares(ordered[:half]), _shares(ordered[half:] or ordered[:half])
    levels: list[CefrLevel | None] = [*LEVELS, None]
    return tuple(LevelShare(level, early.get(level, 0.0), recent.get(level, 0.0))
                 for level in levels if level in early or level in recent)


def _shares(items: list[NewLemmas]) -> dict[CefrLevel | None, float]:
    counts: dict[CefrLevel | None, int] = {}
    for item in items:
        for level, n in item.by_level:
            counts[level] = counts.get(level, 0) + n
    total = sum(counts.values())
    return {level: round(n / total, 3) for level, n in counts.items()} if total else {}



