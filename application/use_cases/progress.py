"""Progress use cases: record what a capability produced for a learner, and read the learner's progress
over a time range, for one session, or across a chosen set of sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from application.ports.persistence import UnitOfWorkFactory
from application.ports.progress import HistoryQuery
from domain.cefr.scale import CefrThresholds
from domain.errors import InvalidInput
from domain.progress.records import Granularity, ProgressEntry
from domain.progress.report import Progress, build_progress

MAX_SESSIONS_PER_ANALYSIS = 500


class RecordProgress:
    """Called by the analysis, pronunciation and transcription use cases after they store a result for a
    learner. Recording a result twice changes nothing."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, entry: ProgressEntry) -> bool:
        if entry.at.tzinfo is None:
            raise InvalidInput("the time of a progress entry must carry a time zone", field="at")
        async with self._uow() as uow:
            recorded = await uow.progress.record(entry)
            await uow.commit()
        return recorded


@dataclass(frozen=True)
class ProgressQuery:
    user_id: str
    since: datetime | None = None
    until: datetime | None = None
    granularity: Granularity = Granularity.SESSION


class GetProgress:
    def __init__(self, uow: UnitOfWorkFactory, thresholds: CefrThresholds) -> None:
        self._uow = uow
        self._thresholds = thresholds

    async def execute(self, query: ProgressQuery) -> Progress:
        if query.since is not None and query.until is not None and query.since >= query.until:
            raise InvalidInput("`from` must be before `to`", field="from")
        async with self._uow() as uow:
            history = await uow.progress.history(HistoryQuery(query.user_id, query.since, query.until))
        return build_progress(history, query.granularity, self._thresholds)


@dataclass(frozen=True)
class SessionReportQuery:
    user_id: str
    session_id: str


class SessionReport:
    """One session on its own: its numbers and errors, without a trend. None for an unknown session."""

    def __init__(self, uow: UnitOfWorkFactory, thresholds: CefrThresholds) -> None:
        self._uow = uow
        self._thresholds = thresholds

    async def execute(self, query: SessionReportQuery) -> Progress | None:
        async with self._uow() as uow:
            history = await uow.progress.history(HistoryQuery(query.user_id, session_ids=(query.session_id,)))
        if not history.records:
            return None
        return build_progress(history, Granularity.SESSION, self._thresholds)


@dataclass(frozen=True)
class AnalyzeSessionsCommand:
    user_id: str
    session_ids: tuple[str, ...]


class AnalyzeSessions:
    """The cross-session analysis of a chosen set of sessions (trends, patterns, recommendations)."""

    def __init__(self, uow: UnitOfWorkFactory, thresholds: CefrThresholds) -> None:
        self._uow = uow
        self._thresholds = thresholds

    async def execute(self, command: AnalyzeSessionsCommand) -> Progress:
        ids = tuple(dict.fromkeys(command.session_ids))
        if not ids:
            raise InvalidInput("name at least one session", field="sessionIds")
        if len(ids) > MAX_SESSIONS_PER_ANALYSIS:
            raise InvalidInput(f"at most {MAX_SESSIONS_PER_ANALYSIS} sessions at once", field="sessionIds")
        async with self._uow() as uow:
            history = await uow.progress.history(HistoryQuery(command.user_id, session_ids=ids))
        return build_progress(history, Granularity.SESSION, self._thresholds)
