"""Progress in SQL: recording writes narrow rows; reading groups them per session in the database, in a
fixed number of statements however long the history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.persistence.tables import error_occurrences, phoneme_scores, progress_results, vocabulary
from application.ports.progress import HistoryQuery
from domain.cefr.scale import CefrLevel
from domain.progress.records import (
    ErrorExample,
    LearnerHistory,
    NewLemmas,
    PhonemeStat,
    ProgressEntry,
    RuleCount,
    SessionRecord,
)
from domain.results import ResultKind

EXAMPLES_PER_TYPE = 3
WEAKEST_PHONEMES = 5
PHONEME_SERIES = 3


class SqlProgressRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, entry: ProgressEntry) -> bool:
        seen = select(progress_results.c.id).where(progress_results.c.id == entry.result_id)
        if (await self._session.execute(seen)).first() is not None:
            return False
        await self._session.execute(insert(progress_results).values(_summary_row(entry)))
        base = {"user_id": entry.user_id, "session_id": entry.session_id, "result_id": entry.result_id,
                "at": entry.at}
        if entry.errors:
            await self._session.execute(insert(error_occurrences), [
                {**base, "kind": entry.kind.value, "scale": entry.scale, "type": e.type, "rule": e.rule,
                 "example": e.example} for e in entry.errors
            ])
        if entry.pronunciation is not None and entry.pronunciation.phonemes:
            await self._session.execute(insert(phoneme_scores), [
                {**base, "phoneme": p, "accuracy": a} for p, a in entry.pronunciation.phonemes
            ])
        if entry.lemmas:
            await self._session.execute(self._first_use(), [
                {"user_id": entry.user_id, "lemma": u.lemma, "level": u.level.value if u.level else None,
                 "first_seen_at": entry.at, "session_id": entry.session_id}
                for u in {u.lemma: u for u in entry.lemmas}.values()
            ])
        return True

    def _first_use(self) -> Any:
        """Insert a lemma, or move its first use earlier when a result arrives out of order."""
        dialect = self._session.get_bind().dialect.name
        statement = (postgresql.insert(vocabulary) if dialect == "postgresql" else sqlite.insert(vocabulary))
        return statement.on_conflict_do_update(
            index_elements=[vocabulary.c.user_id, vocabulary.c.lemma],
            set_={"first_seen_at": statement.excluded.first_seen_at, "session_id": statement.excluded.session_id},
            where=vocabulary.c.first_seen_at > statement.excluded.first_seen_at,
        )

    async def history(self, query: HistoryQuery) -> LearnerHistory:
        errors = await self._error_counts(query)
        records = tuple(
            SessionRecord(
                session_id=row.session_id, kind=ResultKind(row.kind), scale=row.scale, at=row.at,
                results=row.results, words=int(row.words or 0), cefr_score=_round(row.cefr_score),
                pronunciation=_round(row.pronunciation), words_per_minute=_round(row.words_per_minute),
                mean_pause=_round(row.mean_pause), filler_rate=_round(row.filler_rate),
                error_counts=tuple(sorted(errors.pop((row.session_id, row.kind, row.scale), {}).items())),
            )
            for row in await self._summaries(query)
        )
        phonemes = await self._weakest_phonemes(query)
        return LearnerHistory(
            user_id=query.user_id, records=records, rules=await self._rules(query),
            examples=await self._examples(query), known_lemmas_before=await self._known_before(query),
            new_lemmas=await self._new_lemmas(query), phonemes=phonemes,
            phoneme_sessions=await self._phoneme_sessions(query, [p.phoneme for p in phonemes[:PHONEME_SERIES]]),
        )

    async def _summaries(self, query: HistoryQuery) -> Sequence[Any]:
        t = progress_results
        statement = (
            select(t.c.session_id, t.c.kind, t.c.scale, func.min(t.c.at).label("at"),
                   func.count().label("results"), func.sum(t.c.words).label("words"),
                   func.avg(t.c.cefr_score).label("cefr_score"), func.avg(t.c.pronunciation).label("pronunciation"),
                   func.avg(t.c.words_per_minute).label("words_per_minute"),
                   func.avg(t.c.mean_pause).label("mean_pause"), func.avg(t.c.filler_rate).label("filler_rate"))
            .where(*_filters(t, t.c.at, query))
            .group_by(t.c.session_id, t.c.kind, t.c.scale)
            .order_by(func.min(t.c.at), t.c.session_id)
        )
        return (await self._session.execute(statement)).all()

    async def _error_counts(self, query: HistoryQuery) -> dict[tuple[str, str, str], dict[str, int]]:
        t = error_occurrences
        statement = (
            select(t.c.session_id, t.c.kind, t.c.scale, t.c.type, func.count().label("n"))
            .where(*_filters(t, t.c.at, query))
            .group_by(t.c.session_id, t.c.kind, t.c.scale, t.c.type)
        )
        counts: dict[tuple[str, str, str], dict[str, int]] = {}
        for row in (await self._session.execute(statement)).all():
            counts.setdefault((row.session_id, row.kind, row.scale), {})[row.type] = int(row.n)
        return counts

    async def _rules(self, query: HistoryQuery) -> tuple[RuleCount, ...]:
        t = error_occurrences
        statement = (select(t.c.type, t.c.rule, func.count().label("n")).where(*_filters(t, t.c.at, query))
                     .group_by(t.c.type, t.c.rule))
        return tuple(RuleCount(r.type, r.rule, int(r.n)) for r in (await self._session.execute(statement)).all())

    async def _examples(self, query: HistoryQuery) -> tuple[ErrorExample, ...]:
        t = error_occurrences
        rank = func.row_number().over(partition_by=t.c.type, order_by=(t.c.at.desc(), t.c.id.desc()))
        ranked = (select(t.c.type, t.c.rule, t.c.example, t.c.at, rank.label("rank"))
                  .where(*_filters(t, t.c.at, query)).subquery())
        statement = select(ranked.c.type, ranked.c.rule, ranked.c.example, ranked.c.at).where(
            ranked.c.rank <= EXAMPLES_PER_TYPE)
        rows = (await self._session.execute(statement)).all()
        return tuple(ErrorExample(r.type, r.rule, r.example, r.at) for r in rows)

    async def _known_before(self, query: HistoryQuery) -> int:
        if query.since is None:
            return 0
        t = vocabulary
        statement = select(func.count()).where(t.c.user_id == query.user_id, t.c.first_seen_at < query.since)
        return int((await self._session.execute(statement)).scalar_one())

    async def _new_lemmas(self, query: HistoryQuery) -> tuple[NewLemmas, ...]:
        t = vocabulary
        statement = (select(t.c.session_id, t.c.level, func.min(t.c.first_seen_at).label("at"), func.count().label("n"))
                     .where(*_filters(t, t.c.first_seen_at, query)).group_by(t.c.session_id, t.c.level))
        sessions: dict[str, tuple[Any, list[tuple[CefrLevel | None, int]]]] = {}
        for row in (await self._session.execute(statement)).all():
            at, levels = sessions.get(row.session_id, (row.at, []))
            levels.append((CefrLevel(row.level) if row.level else None, int(row.n)))
            sessions[row.session_id] = (min(at, row.at), levels)
        return tuple(sorted(
            (NewLemmas(s, at, tuple(sorted(levels, key=lambda x: x[0].rank if x[0] else 99)))
             for s, (at, levels) in sessions.items()), key=lambda n: (n.at, n.session_id)))

    async def _weakest_phonemes(self, query: HistoryQuery) -> tuple[PhonemeStat, ...]:
        t = phoneme_scores
        mean = func.avg(t.c.accuracy)
        statement = (select(t.c.phoneme, mean.label("accuracy"), func.count().label("n"))
                     .where(*_filters(t, t.c.at, query)).group_by(t.c.phoneme)
                     .order_by(mean, t.c.phoneme).limit(WEAKEST_PHONEMES))
        rows = (await self._session.execute(statement)).all()
        return tuple(PhonemeStat(r.phoneme, round(float(r.accuracy), 2), int(r.n)) for r in rows)

    async def _phoneme_sessions(
        self, query: HistoryQuery, phonemes: list[str]
    ) -> tuple[tuple[str, str, Any, float], ...]:
        if not phonemes:
            return ()
        t = phoneme_scores
        statement = (select(t.c.phoneme, t.c.session_id, func.min(t.c.at).label("at"),
                            func.avg(t.c.accuracy).label("accuracy"))
                     .where(*_filters(t, t.c.at, query), t.c.phoneme.in_(phonemes))
                     .group_by(t.c.phoneme, t.c.session_id))
        rows = (await self._session.execute(statement)).all()
        return tuple((r.phoneme, r.session_id, r.at, round(float(r.accuracy), 2)) for r in rows)


def _filters(table: Table, time: ColumnElement[Any], query: HistoryQuery) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = [table.c.user_id == query.user_id]
    if query.since is not None:
        out.append(time >= query.since)
    if query.until is not None:
        out.append(time < query.until)
    if query.session_ids is not None:
        out.append(table.c.session_id.in_(query.session_ids))
    return out


def _round(value: float | None) -> float | None:
    return round(float(value), 3) if value is not None else None


def _summary_row(entry: ProgressEntry) -> dict[str, Any]:
    pron, fluency = entry.pronunciation, entry.fluency
    return {
        "id": entry.result_id, "user_id": entry.user_id, "session_id": entry.session_id, "kind": entry.kind.value,
        "at": entry.at, "engine_version": entry.engine_version, "scoring_version": entry.scoring_version,
        "scale": entry.scale, "words": entry.words, "cefr_score": entry.cefr_score,
        "cefr_level": entry.cefr_level.value if entry.cefr_level else None,
        "pronunciation": pron.pronunciation if pron else None, "accuracy": pron.accuracy if pron else None,
        "fluency": pron.fluency if pron else None, "completeness": pron.completeness if pron else None,
        "prosody": pron.prosody if pron else None,
        "words_per_minute": fluency.words_per_minute if fluency else None,
        "pause_count": fluency.pause_count if fluency else None,
        "mean_pause": fluency.mean_pause if fluency else None,
        "filler_rate": fluency.filler_rate if fluency else None,
        "speaking_time": fluency.speaking_time if fluency else None,
    }
