"""History lists for dashboards as Relay-style connections (edges, cursor, pageInfo). The error counts of a
listed session or result resolve through a per-request DataLoader: one query for the whole page."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any, cast

import strawberry
from strawberry.dataloader import DataLoader

from application.ports.progress import ErrorGrouping
from application.use_cases.progress_history import (
    ErrorCountsQuery,
    NewLemmasQuery,
    ResultsQuery,
    SessionsQuery,
)
from domain.errors import InvalidInput
from domain.progress.history import Cursor, ResultSummary, SessionSummary
from domain.progress.records import scale_of
from domain.results import ResultKind
from entrypoints.graphql.common import CefrLevelEnum
from entrypoints.graphql.context import EngineContext, EngineInfo

ResultKindEnum = strawberry.enum(ResultKind, name="ResultKind")
ErrorKey = tuple[str, str]  # (user id, session or result id)


@strawberry.type(name="ErrorCount")
class ErrorCountType:
    type: str
    count: int


@strawberry.type(name="PageInfo")
class PageInfoType:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(name="ProgressResult", description="One recorded result: its numbers, not its payload.")
class ProgressResultType:
    id: strawberry.ID
    session_id: strawberry.ID
    kind: ResultKindEnum  # type: ignore[valid-type]
    at: datetime
    engine_version: str
    scoring_version: str
    scale: str
    words: int
    cefr_score: float | None
    cefr_level: CefrLevelEnum | None  # type: ignore[valid-type]
    pronunciation: float | None
    accuracy: float | None
    fluency: float | None
    completeness: float | None
    prosody: float | None
    words_per_minute: float | None
    pause_count: int | None
    mean_pause: float | None
    filler_rate: float | None
    speaking_time: float | None
    user_id: strawberry.Private[str]

    @strawberry.field(description="Errors of this result per type, most frequent first.")
    async def errors(self, info: EngineInfo) -> list[ErrorCountType]:
        return await _loader(info.context, ErrorGrouping.RESULT).load((self.user_id, str(self.id)))


@strawberry.type(name="SessionSummary", description="A session's results of every kind together.")
class SessionSummaryType:
    session_id: strawberry.ID
    first_at: datetime
    last_at: datetime
    results: int
    words: int
    kinds: list[ResultKindEnum]  # type: ignore[valid-type]
    cefr_score: float | None
    pronunciation: float | None
    words_per_minute: float | None
    user_id: strawberry.Private[str]

    @strawberry.field(description="Errors of this session per type, most frequent first.")
    async def errors(self, info: EngineInfo) -> list[ErrorCountType]:
        return await _loader(info.context, ErrorGrouping.SESSION).load((self.user_id, str(self.session_id)))

    @strawberry.field(description="Distinct words (lemmas) the learner used for the first time in this session.")
    async def new_words(self, info: EngineInfo) -> int:
        return await _new_words_loader(info.context).load((self.user_id, str(self.session_id)))


@strawberry.type(name="ProgressResultEdge")
class ProgressResultEdge:
    cursor: str
    node: ProgressResultType


@strawberry.type(name="ProgressResultConnection")
class ProgressResultConnection:
    edges: list[ProgressResultEdge]
    page_info: PageInfoType


@strawberry.type(name="SessionEdge")
class SessionEdge:
    cursor: str
    node: SessionSummaryType


@strawberry.type(name="SessionConnection")
class SessionConnection:
    edges: list[SessionEdge]
    page_info: PageInfoType


@strawberry.type
class ProgressHistoryQueries:
    @strawberry.field(description="A learner's recorded results, newest first; `after` is an edge's cursor.")
    async def progress_history(
        self, info: EngineInfo, user_id: strawberry.ID, kind: ResultKindEnum | None = None,  # type: ignore[valid-type]
        first: int = 20, after: str | None = None,
    ) -> ProgressResultConnection:
        user = str(user_id)
        if refusal := await info.context.check_user_rate(user):
            raise refusal
        query = ResultsQuery(user, cast(ResultKind | None, kind), first, decode_cursor(after))
        page = await info.context.services.list_progress_results.execute(query)
        edges = [ProgressResultEdge(cursor=encode_cursor(r.cursor), node=_result(user, r)) for r in page.items]
        return ProgressResultConnection(edges=edges, page_info=_page_info(edges, page.has_next))

    @strawberry.field(description="A learner's sessions, newest first; `after` is an edge's cursor.")
    async def sessions(
        self, info: EngineInfo, user_id: strawberry.ID, first: int = 20, after: str | None = None,
    ) -> SessionConnection:
        user = str(user_id)
        if refusal := await info.context.check_user_rate(user):
            raise refusal
        page = await info.context.services.list_sessions.execute(SessionsQuery(user, first, decode_cursor(after)))
        edges = [SessionEdge(cursor=encode_cursor(s.cursor), node=_session(user, s)) for s in page.items]
        return SessionConnection(edges=edges, page_info=_page_info(edges, page.has_next))


def encode_cursor(cursor: Cursor) -> str:
    return base64.urlsafe_b64encode(f"{cursor.at.isoformat()}|{cursor.id}".encode()).decode()


def decode_cursor(value: str | None) -> Cursor | None:
    if value is None:
        return None
    try:
        at, _, item = base64.urlsafe_b64decode(value.encode()).decode().partition("|")
        when = datetime.fromisoformat(at)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput("not a cursor of this list; pass an edge's `cursor` as it came", field="after") from None
    if not item or when.tzinfo is None:
        raise InvalidInput("not a cursor of this list; pass an edge's `cursor` as it came", field="after")
    return Cursor(when, item)


def _page_info(edges: list[Any], has_next: bool) -> PageInfoType:
    return PageInfoType(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None)


def _loader(context: EngineContext, by: ErrorGrouping) -> DataLoader[ErrorKey, list[ErrorCountType]]:
    """One loader per request and grouping, so every item of a page is answered by one query."""
    name = f"errors:{by.value}"
    loader = context.loaders.get(name)
    if loader is None:
        async def load(keys: list[ErrorKey]) -> list[list[ErrorCountType]]:
            found: dict[ErrorKey, list[ErrorCountType]] = {}
            for user in dict.fromkeys(user for user, _ in keys):
                ids = tuple(item for owner, item in keys if owner == user)
                counts = await context.services.count_errors.execute(ErrorCountsQuery(user, by, ids))
                for item, types in counts.items():
                    found[(user, item)] = [ErrorCountType(type=t, count=n) for t, n in types]
            return [found.get(key, []) for key in keys]

        loader = context.loaders[name] = DataLoader(load_fn=load)
    return loader


def _new_words_loader(context: EngineContext) -> DataLoader[ErrorKey, int]:
    loader = context.loaders.get("new_words")
    if loader is None:
        async def load(keys: list[ErrorKey]) -> list[int]:
            found: dict[ErrorKey, int] = {}
            for user in dict.fromkeys(user for user, _ in keys):
                ids = tuple(item for owner, item in keys if owner == user)
                counts = await context.services.count_new_lemmas.execute(NewLemmasQuery(user, ids))
                found.update({(user, session): n for session, n in counts.items()})
            return [found.get(key, 0) for key in keys]

        loader = context.loaders["new_words"] = DataLoader(load_fn=load)
    return loader


def _result(user_id: str, r: ResultSummary) -> ProgressResultType:
    return ProgressResultType(
        id=strawberry.ID(r.result_id), session_id=strawberry.ID(r.session_id), kind=r.kind, at=r.at,
        engine_version=r.engine_version, scoring_version=r.scoring_version,
        scale=scale_of(r.engine_version, r.scoring_version), words=r.words, cefr_score=r.cefr_score,
        cefr_level=r.cefr_level, pronunciation=r.pronunciation, accuracy=r.accuracy, fluency=r.fluency,
        completeness=r.completeness, prosody=r.prosody, words_per_minute=r.words_per_minute,
        pause_count=r.pause_count, mean_pause=r.mean_pause, filler_rate=r.filler_rate,
        speaking_time=r.speaking_time, user_id=user_id,
    )


def _session(user_id: str, s: SessionSummary) -> SessionSummaryType:
    return SessionSummaryType(
        session_id=strawberry.ID(s.session_id), first_at=s.first_at, last_at=s.last_at, results=s.results,
        words=s.words, kinds=list(s.kinds), cefr_score=s.cefr_score, pronunciation=s.pronunciation,
        words_per_minute=s.words_per_minute, user_id=user_id,
    )
