"""Progress lists for dashboards in SQL: keyset pages of results and sessions, and error counts per id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.persistence.tables import error_counts, progress_results, vocabulary
from application.ports.progress import ErrorGrouping
from domain.cefr.scale import CefrLevel
from domain.progress.history import Cursor, ResultSummary, SessionSummary
from domain.results import ResultKind

_SUMMARY_COLUMNS = ("words", "cefr_score", "pronunciation", "accuracy", "fluency", "completeness", "prosody",
                    "words_per_minute", "pause_count", "mean_pause", "filler_rate", "speaking_time")


class SqlProgressHistory:
    _session: AsyncSession

    async def results_page(
        self, user_id: str, kind: ResultKind | None, limit: int, after: Cursor | None
    ) -> list[ResultSummary]:
        t = progress_results
        statement = select(t).where(t.c.user_id == user_id)
        if kind is not None:
            statement = statement.where(t.c.kind == kind.value)
        if after is not None:
            statement = statement.where(or_(t.c.at < after.at, and_(t.c.at == after.at, t.c.id < after.id)))
        statement = statement.order_by(t.c.at.desc(), t.c.id.desc()).limit(limit)
        rows = (await self._session.execute(statement)).mappings().all()
        return [
            ResultSummary(
                result_id=row["id"], session_id=row["session_id"], kind=ResultKind(row["kind"]), at=row["at"],
                engine_version=row["engine_version"], scoring_version=row["scoring_version"],
                cefr_level=CefrLevel(row["cefr_level"]) if row["cefr_level"] else None,
                **{name: row[name] for name in _SUMMARY_COLUMNS},
            )
            for row in rows
        ]

    async def sessions_page(self, user_id: str, limit: int, after: Cursor | None) -> list[SessionSummary]:
        t = progress_results
        first_at = func.min(t.c.at)
        kinds = list(ResultKind)
        statement = (
            select(t.c.session_id, first_at, func.max(t.c.at), func.count(), func.sum(t.c.words),
                   func.avg(t.c.cefr_score), func.avg(t.c.pronunciation), func.avg(t.c.words_per_minute),
                   *(func.max(case((t.c.kind == kind.value, 1), else_=0)) for kind in kinds))
            .where(t.c.user_id == user_id)
            .group_by(t.c.session_id)
        )
        if after is not None:
            statement = statement.having(or_(first_at < after.at,
                                             and_(first_at == after.at, t.c.session_id < after.id)))
        statement = statement.order_by(first_at.desc(), t.c.session_id.desc()).limit(limit)
        out = []
        for session_id, first, last, results, words, cefr, pron, wpm, *has in (
                await self._session.execute(statement)).all():
            out.append(SessionSummary(
                session_id=session_id, first_at=first, last_at=last, results=int(results), words=int(words or 0),
                kinds=tuple(kind for kind, present in zip(kinds, has, strict=True) if present),
                cefr_score=_round(cefr), pronunciation=_round(pron), words_per_minute=_round(wpm),
            ))
        return out

    async def error_counts(
        self, user_id: str, by: ErrorGrouping, ids: Sequence[str]
    ) -> dict[str, tuple[tuple[str, int], ...]]:
        if not ids:
            return {}
        t = error_counts
        key: Any = t.c.session_id if by is ErrorGrouping.SESSION else t.c.result_id
        statement = (select(key, t.c.type, func.sum(t.c.count)).where(t.c.user_id == user_id, key.in_(ids))
                     .group_by(key, t.c.type))
        found: dict[str, list[tuple[str, int]]] = {}
        for owner, error_type, n in (await self._session.execute(statement)).all():
            found.setdefault(owner, []).append((error_type, int(n)))
        return {owner: tuple(sorted(counts, key=lambda c: (-c[1], c[0]))) for owner, counts in found.items()}

    async def new_lemma_counts(self, user_id: str, session_ids: Sequence[str]) -> dict[str, int]:
        if not session_ids:
            return {}
        t = vocabulary
        statement = (select(t.c.session_id, func.count()).where(t.c.user_id == user_id, t.c.session_id.in_(session_ids))
                     .group_by(t.c.session_id))
        return {session_id: int(n) for session_id, n in (await self._session.execute(statement)).all()}


def _round(value: float | None) -> float | None:
    return round(float(value), 3) if value is not None else None
