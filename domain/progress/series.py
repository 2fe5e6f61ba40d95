"""Chart-ready series: points bucketed by session, day or week."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from domain.progress.records import Granularity


class Point(NamedTuple):
    """A tuple, not a dataclass: a long history has thousands, and building them dominated the query."""

    at: datetime
    value: float
    label: str | None = None


@dataclass(frozen=True)
class Series:
    name: str
    unit: str
    points: tuple[Point, ...]
    scale: str | None = None  # the engine/scoring version every point of this series was measured on


class Sample(NamedTuple):
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
    for at, session_id, _, _ in samples:
        known = first.get(session_id)
        if known is None or at < known:
            first[session_id] = at
    keys: dict[str, tuple[datetime, str]] = {
        session_id: bucket_start(at, granularity, session_id) for session_id, at in first.items()}
    totals: dict[tuple[datetime, str], list[float]] = {}
    for _, session_id, value, weight in samples:
        key = keys[session_id]
        total = totals.get(key)
        if total is None:
            totals[key] = [value * weight, weight]
        else:
            total[0] += value * weight
            total[1] += weight
    return [
        Point(at, round(value / weight, 3), label)
        for (at, label), (value, weight) in sorted(totals.items())
        if weight > 0
    ]


def relabelled(points: Sequence[Point], label: Callable[[float], str]) -> list[Point]:
    return [Point(p.at, p.value, label(p.value)) for p in points]
