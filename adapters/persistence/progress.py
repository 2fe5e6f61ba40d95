"""Progress in SQL: recording writes narrow rows; reading groups them per session in the database, in a
fixed number of statements however long the history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, func, insert, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.persistence.tables import error_counts, error_occurrences, phoneme_scores, progress_results, vocabulary
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
TOP_TYPES = 5  # as many as the error patterns shown
WEAKEST_PHONEMES = 5
PHONEME_SERIES = 3

ErrorCounts = dict[tuple[str, str, str], dict[str, int]]


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
            await self._session.execute(insert(error_counts), count_rows(entry))
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
        errors, rules = await self._error_counts(query)
        totals: dict[str, int] = {}
        for rule in rules:
            totals[rule.type] = totals.get(rule.type, 0) + rule.count
        top_types = sorted(totals, key=lambda k: (-totals[k], k))[:TOP_TYPES]
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
            user_id=query.user_id, records=records, rules=rules,
            examples=await self._examples(query, top_types), known_lemmas_before=await self._known_before(query),
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

    async def _error_counts(self, query: HistoryQuery) -> tuple[ErrorCounts, tuple[RuleCount, ...]]:
        """Per session (kind, scale) and type, and per type and rule, grouped in the database."""
        t = error_counts
        where = _filters(t, t.c.at, query)
        per_session = (select(t.c.session_id, t.c.kind, t.c.scale, t.c.type, func.sum(t.c.count)).where(*where)
                       .group_by(t.c.session_id, t.c.kind, t.c.scale, t.c.type))
        counts: ErrorCounts = {}
        # positional tuples: attribute access per row costs more than the query on long histories
        for session_id, kind, scale, error_type, n in (await self._session.execute(per_session)).all():
            counts.setdefault((session_id, kind, scale), {})[error_type] = int(n)
        per_rule = select(t.c.type, t.c.rule, func.sum(t.c.count)).where(*where).group_by(t.c.type, t.c.rule)
        rows = (await self._session.execute(per_rule)).all()
        return counts, tuple(RuleCount(error_type, rule or None, int(n)) for error_type, rule, n in rows)

    async def _examples(self, query: HistoryQuery, types: list[str]) -> tuple[ErrorExample, ...]:
        """The latest few of each given type: one indexed, limited read per type, in one statement."""
        if not types:
            return ()
        t = error_occurrences
        parts = [
            select(t.c.type, t.c.rule, t.c.example, t.c.at)
            .where(*_filters(t, t.c.at, query), t.c.type == error_type)
            .order_by(t.c.at.desc(), t.c.id.desc()).limit(EXAMPLES_PER_TYPE).subquery()
            for error_type in types
        ]
        statement = union_all(*(select(p.c.type, p.c.rule, p.c.example, p.c.at) for p in parts))
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


def count_rows(entry: ProgressEntry) -> list[dict[str, Any]]:
    """The `error_counts` rows of an entry: its occurrences counted per type and rule."""
    counts: dict[tuple[str, str], int] = {}
    for error in entry.errors:
        key = (error.type, error.rule or "")
        counts[key] = counts.get(key, 0) + 1
    return [
        {"result_id": entry.result_id, "type": error_type, "rule": rule, "user_id": entry.user_id,
         "session_id": entry.session_id, "kind": entry.kind.value, "scale": entry.scale, "at": entry.at, "count": n}
        for (error_type, rule), n in counts.items()
    ]


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
