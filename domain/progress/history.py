"""A learner's stored results and sessions as lists, newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from domain.cefr.scale import CefrLevel
from domain.results import ResultKind

T = TypeVar("T")


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the time and id (result id or session id) of its last item. Keyset, not offset,
    so a result recorded while a client pages through shifts nothing."""

    at: datetime
    id: str


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    has_next: bool


@dataclass(frozen=True)
class ResultSummary:
    """One recorded result as progress keeps it (its numbers, not its payload)."""

    result_id: str
    session_id: str
    kind: ResultKind
    at: datetime
    engine_version: str
    scoring_version: str
    words: int
    cefr_score: float | None = None
    cefr_level: CefrLevel | None = None
    pronunciation: float | None = None
    accuracy: float | None = None
    fluency: float | None = None
    completeness: float | None = None
    prosody: float | None = None
    words_per_minute: float | None = None
    pause_count: int | None = None
    mean_pause: float | None = None
    filler_rate: float | None = None
    speaking_time: float | None = None

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.at, self.result_id)


@dataclass(frozen=True)
class SessionSummary:
    """A session's results of every kind together: averages of the scores, sums of the counts."""

    session_id: str
    first_at: datetime
    last_at: datetime
    results: int
    words: int
    kinds: tuple[ResultKind, ...]
    cefr_score: float | None = None
    pronunciation: float | None = None
    words_per_minute: float | None = None

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.first_at, self.session_id)


def page_of(rows: list[T], first: int) -> Page[T]:
    """Repositories read one row more than asked: its presence says whether another page follows."""
    return Page(tuple(rows[:first]), len(rows) > first)
