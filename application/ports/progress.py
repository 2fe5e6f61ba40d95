from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.progress.records import LearnerHistory, ProgressEntry


@dataclass(frozen=True)
class HistoryQuery:
    """A learner's results with `since <= at < until`, optionally only those of some sessions."""

    user_id: str
    since: datetime | None = None
    until: datetime | None = None
    session_ids: tuple[str, ...] | None = None


class ProgressRepository(Protocol):
    async def record(self, entry: ProgressEntry) -> bool:
        """Stores an entry; False (and nothing written) when its result was recorded before."""
        ...

    async def history(self, query: HistoryQuery) -> LearnerHistory:
        """The learner's history grouped per session, in a number of statements that does not grow with it."""
        ...
