"""Recurring error patterns and the practice recommendations drawn from the weakest, most persistent areas."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from domain.progress.records import LearnerHistory, PhonemeStat, SessionRecord
from domain.progress.stats import least_squares
from domain.progress.trends import latest_scale
from domain.results import ResultKind

EXAMPLES_PER_PATTERN = 3
WEAK_PHONEME_BELOW = 75.0
FILLERS_HIGH_ABOVE = 5.0  # disfluencies per 100 words
SLOW_BELOW_WPM = 100.0


class Direction(str, Enum):
    IMPROVING = "improving"
    STABLE = "stable"
    WORSENING = "worsening"


@dataclass(frozen=True)
class ErrorPattern:
    type: str
    rule: str | None  # the most frequent rule of this type
    count: int
    sessions: int  # sessions in which it occurred
    per_100_words: float
    trend: float | None  # change of the rate per 100 words per session, on the most recent scale
    direction: Direction | None  # None without a trend (fewer than three sessions)
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Recommendation:
    area: str  # "error:article", "phoneme:TH", "fluency:fillers", ...
    title: str
    why: str
    priority: float


def error_patterns(history: LearnerHistory, limit: int = 5) -> list[ErrorPattern]:
    text = [r for r in history.records if r.kind is ResultKind.TEXT_ANALYSIS]
    words = sum(r.words for r in text)
    counts: dict[str, int] = {}
    sessions: dict[str, set[str]] = {}
    for record in history.records:
        for error_type, count in record.error_counts:
            counts[error_type] = counts.get(error_type, 0) + count
            sessions.setdefault(error_type, set()).add(record.session_id)
    top = sorted(counts, key=lambda t: (-counts[t], t))[:limit]
    return [
        ErrorPattern(
            type=error_type,
            rule=_top_rule(history, error_type),
            count=counts[error_type],
            sessions=len(sessions[error_type]),
            per_100_words=round(100 * counts[error_type] / words, 3) if words else 0.0,
            trend=(line := _rate_line(text, error_type))[0],
            direction=line[1],
            examples=tuple(e.example for e in sorted(
                (e for e in history.examples if e.type == error_type), key=lambda e: e.at, reverse=True,
            )[:EXAMPLES_PER_PATTERN]),
        )
        for error_type in top
    ]


def _top_rule(history: LearnerHistory, error_type: str) -> str | None:
    rules = [r for r in history.rules if r.type == error_type]
    return max(rules, key=lambda r: (r.count, r.rule or "")).rule if rules else None


def _rate_line(text: Sequence[SessionRecord], error_type: str) -> tuple[float | None, Direction | None]:
    """Slope of the per-session rate against the session's position, on the most recent scale."""
    scale = latest_scale(text)
    on_scale = sorted((r for r in text if r.scale == scale and r.words > 0), key=lambda r: r.at)
    rates = [100 * dict(r.error_counts).get(error_type, 0) / r.words for r in on_scale]
    if len(rates) < 3:
        return None, None
    line = least_squares([float(i) for i in range(len(rates))], rates)
    if line is None:
        return None, None
    direction = Direction.STABLE
    if line.significant:
        direction = Direction.IMPROVING if line.slope < 0 else Direction.WORSENING
    return round(line.slope, 3), direction


def recommendations(
    history: LearnerHistory, patterns: Sequence[ErrorPattern], limit: int = 3
) -> list[Recommendation]:
    """Weakest and most persistent first: an error's rate times the share of sessions it recurs in."""
    total = max(len(history.session_ids), 1)
    out = [_for_pattern(p, total) for p in patterns if p.direction is not Direction.IMPROVING or p.sessions > 1]
    out += [_for_phoneme(p) for p in history.phonemes if p.accuracy < WEAK_PHONEME_BELOW][:2]
    out += _for_fluency(history.records)
    return sorted(out, key=lambda r: (-r.priority, r.area))[:limit]


def _for_pattern(pattern: ErrorPattern, total_sessions: int) -> Recommendation:
    persistence = pattern.sessions / total_sessions
    weight = {Direction.IMPROVING: 0.5, Direction.WORSENING: 1.5}.get(pattern.direction or Direction.STABLE, 1.0)
    name = pattern.type.replace("_", " ")
    trend = f", {pattern.direction.value}" if pattern.direction else ""
    return Recommendation(
        area=f"error:{pattern.type}",
        title=f"Practise {name}",
        why=(f"{pattern.count} {name} errors in {pattern.sessions} of {total_sessions} sessions "
             f"({pattern.per_100_words:.1f} per 100 words{trend})"),
        priority=round(pattern.per_100_words * persistence * weight, 3),
    )


def _for_phoneme(stat: PhonemeStat) -> Recommendation:
    return Recommendation(
        area=f"phoneme:{stat.phoneme}",
        title=f"Practise the sound /{stat.phoneme}/",
        why=f"mean accuracy {stat.accuracy:.0f}/100 over {stat.count} occurrences",
        priority=round((100 - stat.accuracy) / 20, 3),
    )


def _for_fluency(records: Sequence[SessionRecord]) -> list[Recommendation]:
    spoken = sorted((r for r in records if r.words_per_minute is not None), key=lambda r: r.at)[-3:]
    if not spoken:
        return []
    counted = [r.filler_rate for r in spoken if r.filler_rate is not None]  # not every engine counts fillers
    fillers = sum(counted) / len(counted) if counted else 0.0
    wpm = sum(r.words_per_minute or 0.0 for r in spoken) / len(spoken)
    out = []
    if fillers > FILLERS_HIGH_ABOVE:
        out.append(Recommendation("fluency:fillers", "Use fewer fillers",
                                  f"{fillers:.1f} fillers per 100 words in recent sessions",
                                  round(fillers / FILLERS_HIGH_ABOVE, 3)))
    if 0 < wpm < SLOW_BELOW_WPM:
        out.append(Recommendation("fluency:rate", "Speak in longer runs",
                                  f"{wpm:.0f} words per minute in recent sessions",
                                  round((SLOW_BELOW_WPM - wpm) / 50, 3)))
    return out
