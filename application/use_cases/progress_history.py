"""History lists for dashboards: a learner's recorded results and sessions, newest first, a page at a
time, and the error counts a list shows per item, read for a whole page at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from application.ports.persistence import UnitOfWorkFactory
from application.ports.progress import ErrorGrouping
from domain.errors import InvalidInput
from domain.progress.history import Cursor, Page, ResultSummary, SessionSummary, page_of
from domain.results import ResultKind

MAX_PAGE = 100
MAX_IDS = 500


@dataclass(frozen=True)
class ResultsQuery:
    user_id: str
    kind: ResultKind | None = None
    first: int = 20
    after: Cursor | None = None


@dataclass(frozen=True)
class SessionsQuery:
    user_id: str
    first: int = 20
    after: Cursor | None = None


def _check(user_id: str, first: int) -> None:
    if not user_id.strip():
        raise InvalidInput("userId must not be empty", field="userId")
    if not 1 <= first <= MAX_PAGE:
        raise InvalidInput(f"first must be between 1 and {MAX_PAGE}, got {first}", field="first")


class ListProgressResults:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, query: ResultsQuery) -> Page[ResultSummary]:
        _check(query.user_id, query.first)
        async with self._uow() as uow:
            rows = await uow.progress.results_page(query.user_id, query.kind, query.first + 1, query.after)
        return page_of(rows, query.first)


class ListSessions:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, query: SessionsQuery) -> Page[SessionSummary]:
        _check(query.user_id, query.first)
        async with self._uow() as uow:
            rows = await uow.progress.sessions_page(query.user_id, query.first + 1, query.after)
        return page_of(rows, query.first)


@dataclass(frozen=True)
class ErrorCountsQuery:
    user_id: str
    by: ErrorGrouping
    ids: tuple[str, ...]


class CountErrors:
    """Per type, for each of many sessions or results in one read: what a list's DataLoader batches into."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, query: ErrorCountsQuery) -> dict[str, tuple[tuple[str, int], ...]]:
        ids: Sequence[str] = tuple(dict.fromkeys(query.ids))
        if len(ids) > MAX_IDS:
            raise InvalidInput(f"at most {MAX_IDS} ids at once", field="ids")
        async with self._uow() as uow:
            return await uow.progress.error_counts(query.user_id, query.by, ids)


@dataclass(frozen=True)
class NewLemmasQuery:
    user_id: str
    session_ids: tuple[str, ...]


class CountNewLemmas:
    """Words first used in each of many sessions, in one read (a session list's DataLoader)."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, query: NewLemmasQuery) -> dict[str, int]:
        ids = tuple(dict.fromkeys(query.session_ids))
        if len(ids) > MAX_IDS:
            raise InvalidInput(f"at most {MAX_IDS} ids at once", field="ids")
        async with self._uow() as uow:
            return await uow.progress.new_lemma_counts(query.user_id, ids)
