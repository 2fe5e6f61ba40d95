"""Chart-ready series: points bucketed by session, day or week."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.progress.records import Granularity


@dataclass(frozen=True)
class Point:
    at: datetime
    value: float
    label: str | None = None


@dataclass(frozen=True)
class Series:
    name: str
    unit: str
    points: tuple[Point, ...]
    scale: str | None = None  # the engine/scoring version every point of this series was measured on


@dataclass(frozen=True)
class Sample:
    """One measurement: at a time, in a session, with a weight (words, for rates; 1 for scores)."""

    at: datetime
    session_id: str
    value: float
    weight: float = 1.0


def bucket_start(at: datetime, granularity: Granularity, session_id: str = "") -> tuple[datetime, str]:
    """The bucket a sample falls in: its key time and a label."""
    if granularity is Granularity.SESSION:
        return at, session_id
    day = at.replace(hour=0, minute=0, second=0, microsecond=0)
    if granularity is Granularity.DAY:
        return day, day.date().isoformat()
    monday = day - timedelta(days=day.weekday())
    year, week, _ = monday.isocalendar()
    return monday, f"{year}-W{week:02d}"


def bucketed(samples: Sequence[Sample], granularity: Granularity) -> list[Point]:
    """Weighted mean per bucket, oldest first. A session's samples share its first time."""
    first: dict[str, datetime] = {}
    for sample in samples:
        first[sample.session_id] = min(first.get(sample.session_id, sample.at), sample.at)
    totals: dict[tuple[datetime, str], tuple[float, float]] = {}
    for sample in samples:
        key = bucket_start(first[sample.session_id], granularity, sample.session_id)
        value, weight = totals.get(key, (0.0, 0.0))
        totals[key] = (value + sample.value * sample.weight, weight + sample.weight)
    return [
        Point(at, round(value / weight, 3), label)
        for (at, label), (value, weight) in sorted(totals.items())
        if weight > 0
    ]


def relabelled(points: Sequence[Point], label: Callable[[float], str]) -> list[Point]:
    return [Point(p.at, p.value, label(p.value)) for p in points]
