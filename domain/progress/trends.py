"""Trends of one measure over sessions, never mixing scales: each engine/scoring version gets its own
series, and rates of change are computed on the most recent scale only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.cefr.scale import CefrThresholds
from domain.progress.records import Granularity, NewLemmas, SessionRecord
from domain.progress.series import Point, Sample, Series, bucket_start, bucketed, relabelled
from domain.progress.stats import least_squares, smoothed
from domain.results import ResultKind

SECONDS_PER_WEEK = 7 * 24 * 3600.0
Measure = Callable[[SessionRecord], float | None]


@dataclass(frozen=True)
class ImprovementRate:
    per_week: float  # score points per week
    standard_error: float | None
    significant: bool
    sessions: int
    scale: str


def scales(records: Sequence[SessionRecord]) -> list[str]:
    """Scales in order of first use."""
    ordered = sorted(records, key=lambda r: r.at)
    return list(dict.fromkeys(r.scale for r in ordered))


def latest_scale(records: Sequence[SessionRecord]) -> str | None:
    return max(records, key=lambda r: r.at).scale if records else None


def samples(records: Sequence[SessionRecord], measure: Measure, weighted: bool = False) -> list[Sample]:
    out = []
    for record in records:
        value = measure(record)
        if value is not None:
            out.append(Sample(record.at, record.session_id, value, float(record.words) if weighted else 1.0))
    return out


def measure_series(
    records: Sequence[SessionRecord], name: str, unit: str, measure: Measure, granularity: Granularity,
    weighted: bool = False,
) -> list[Series]:
    """One series per scale the measure was taken on."""
    out = []
    for scale in scales(records):
        points = bucketed(samples([r for r in records if r.scale == scale], measure, weighted), granularity)
        if points:
            out.append(Series(name, unit, tuple(points), scale))
    return out


def of_kind(records: Sequence[SessionRecord], *kinds: ResultKind) -> list[SessionRecord]:
    return [r for r in records if r.kind in kinds]


def cefr_series(
    records: Sequence[SessionRecord], granularity: Granularity, thresholds: CefrThresholds
) -> list[Series]:
    """The CEFR score per bucket (labelled with its level) and its smoothed line, per scale."""
    def level(score: float) -> str:
        return thresholds.level_for(score).value

    out = []
    for raw in measure_series(of_kind(records, ResultKind.TEXT_ANALYSIS), "cefr_score", "score",
                              lambda r: r.cefr_score, granularity):
        points = relabelled(raw.points, level)
        values = smoothed([p.value for p in points])
        out.append(Series(raw.name, raw.unit, tuple(points), raw.scale))
        out.append(Series("cefr_score_smoothed", raw.unit, tuple(
            Point(p.at, round(v, 3), level(v)) for p, v in zip(points, values, strict=True)), raw.scale))
    return out


def improvement_rate(records: Sequence[SessionRecord]) -> ImprovementRate | None:
    """Score points per week by least squares over the sessions of the most recent scale; None with
    fewer than two scored sessions on that scale or all at one time."""
    scored = [r for r in of_kind(records, ResultKind.TEXT_ANALYSIS) if r.cefr_score is not None]
    scale = latest_scale(scored)
    points = sorted((r.at, r.cefr_score) for r in scored if r.scale == scale and r.cefr_score is not None)
    if scale is None or len(points) < 2:
        return None
    origin = points[0][0]
    line = least_squares([(at - origin).total_seconds() / SECONDS_PER_WEEK for at, _ in points],
                         [score for _, score in points])
    if line is None:
        return None
    error = round(line.standard_error, 3) if line.standard_error is not None else None
    return ImprovementRate(round(line.slope, 3), error, line.significant, len(points), scale)


def pronunciation_series(records: Sequence[SessionRecord], granularity: Granularity) -> list[Series]:
    return measure_series(of_kind(records, ResultKind.PRONUNCIATION), "pronunciation", "score",
                          lambda r: r.pronunciation, granularity)


def fluency_series(records: Sequence[SessionRecord], granularity: Granularity) -> list[Series]:
    spoken = of_kind(records, ResultKind.TRANSCRIPTION, ResultKind.PRONUNCIATION)
    return [
        *measure_series(spoken, "words_per_minute", "wpm", lambda r: r.words_per_minute, granularity),
        *measure_series(spoken, "mean_pause", "s", lambda r: r.mean_pause, granularity),
        *measure_series(spoken, "filler_rate", "per 100 words", lambda r: r.filler_rate, granularity),
    ]


def vocabulary_series(
    new_lemmas: Sequence[NewLemmas], known_before: int, granularity: Granularity
) -> list[Series]:
    """New distinct lemmas per bucket and the cumulative vocabulary after it."""
    new = bucketed_sums([(n.at, n.session_id, n.count) for n in new_lemmas], granularity)
    cumulative, total = [], known_before
    for point in new:
        total += int(point.value)
        cumulative.append(Point(point.at, float(total), point.label))
    if not new:
        return []
    return [Series("vocabulary_new", "lemmas", tuple(new)), Series("vocabulary_size", "lemmas", tuple(cumulative))]


def bucketed_sums(items: Sequence[tuple[datetime, str, int]], granularity: Granularity) -> list[Point]:
    totals: dict[tuple[datetime, str], int] = {}
    for at, session_id, count in items:
        key = bucket_start(at, granularity, session_id)
        totals[key] = totals.get(key, 0) + count
    return [Point(at, float(n), label) for (at, label), n in sorted(totals.items())]
