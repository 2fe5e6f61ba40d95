from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Protocol

from domain.progress.history import Cursor, ResultSummary, SessionSummary
from domain.progress.records import LearnerHistory, ProgressEntry
from domain.results import ResultKind


class ErrorGrouping(str, Enum):
    SESSION = "session"
    RESULT = "result"


@dataclass(frozen=True)
class HistoryQuery:
    """A learner's results with `since <= at < until`, optionally only those of some sessions."""

    user_id: str
    since: datetime | None = None
    until: datetime | None = None
    session_ids: tuple[str, ...] | None = None


class ProgressHistoryRepository(Protocol):
    """Lists for dashboards; `limit` rows newest first, strictly after `after` in that order."""

    async def results_page(
        self, user_id: str, kind: ResultKind | None, limit: int, after: Cursor | None
    ) -> list[ResultSummary]: ...

    async def sessions_page(self, user_id: str, limit: int, after: Cursor | None) -> list[SessionSummary]: ...

    async def error_counts(
        self, user_id: str, by: ErrorGrouping, ids: Sequence[str]
    ) -> dict[str, tuple[tuple[str, int], ...]]:
        """Error occurrences per type for each given session or result id, in one statement."""
        ...

    async def new_lemma_counts(self, user_id: str, session_ids: Sequence[str]) -> dict[str, int]:
        """Lemmas first used in each given session, in one statement."""
        ...


class ProgressRepository(ProgressHistoryRepository, Protocol):
    async def record(self, entry: ProgressEntry) -> bool:
        """Stores an entry; False (and nothing written) when its result was recorded before."""
        ...

    async def history(self, query: HistoryQuery) -> LearnerHistory:
        """The learner's history grouped per session, in a number of statements that does not grow with it."""
        ...

