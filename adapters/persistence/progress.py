"""Progress in SQL: recording writes narrow rows; reading groups them per session in the database, in a
fixed number of statements however long the history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Table, and_, case, func, insert, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.persistence.progress_history import SqlProgressHistory
from adapters.persistence.tables import error_counts, error_occurrences, phoneme_scores, progress_results, vocabulary
from application.ports.progress import HistoryQuery
from domain.cefr.scale import LEVELS, CefrLevel
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
_KINDS = {kind.value: kind for kind in ResultKind}


class SqlProgressRepository(SqlProgressHistory):
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
            # In lemma order: two of a learner's results stored at once then lock the shared rows in the same
            # order, where the text's order made PostgreSQL abort one of them as a deadlock.
            uses = {u.lemma: u for u in entry.lemmas}
            await self._session.execute(self._first_use(), [
                {"user_id": entry.user_id, "lemma": u.lemma, "level": u.level.value if u.level else None,
                 "first_seen_at": entry.at, "session_id": entry.session_id}
                for u in (uses[lemma] for lemma in sorted(uses))
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
        rules = await self._rules(query)
        totals: dict[str, int] = {}
        for rule in rules:
            totals[rule.type] = totals.get(rule.type, 0) + rule.count
        top_types = sorted(totals, key=lambda k: (-totals[k], k))[:TOP_TYPES]
        phonemes = await self._weakest_phonemes(query)
        return LearnerHistory(
            user_id=query.user_id, records=await self._records(query, top_types), rules=rules,
            examples=await self._examples(query, top_types), known_lemmas_before=await self._known_before(query),
            new_lemmas=await self._new_lemmas(query), phonemes=phonemes,
            phoneme_sessions=await self._phoneme_sessions(query, [p.phoneme for p in phonemes[:PHONEME_SERIES]]),
        )

    async def _rules(self, query: HistoryQuery) -> tuple[RuleCount, ...]:
        t = error_counts
        statement = (select(t.c.type, t.c.rule, func.sum(t.c.count)).where(*_filters(t, t.c.at, query))
                     .group_by(t.c.type, t.c.rule))
        rows = (await self._session.execute(statement)).all()
        return tuple(RuleCount(error_type, rule or None, int(n)) for error_type, rule, n in rows)

    async def _records(self, query: HistoryQuery, top_types: list[str]) -> tuple[SessionRecord, ...]:
        """Per session, kind and scale: the summaries, joined in the database with the counts of the top
        error types pivoted into columns, so one row per session comes back instead of one per type."""
        t, e = progress_results, error_counts
        summaries = (
            select(t.c.session_id, t.c.kind, t.c.scale, func.min(t.c.at).label("at"),
                   func.count().label("results"), func.sum(t.c.words).label("words"),
                   func.avg(t.c.cefr_score).label("cefr_score"), func.avg(t.c.pronunciation).label("pronunciation"),
                   func.avg(t.c.words_per_minute).label("words_per_minute"),
                   func.avg(t.c.mean_pause).label("mean_pause"), func.avg(t.c.filler_rate).label("filler_rate"))
            .where(*_filters(t, t.c.at, query))
            .group_by(t.c.session_id, t.c.kind, t.c.scale)
            .subquery()
        )
        columns: list[Any] = [summaries]
        joined: Any = summaries
        if top_types:
            pivot = (
                select(e.c.session_id, e.c.kind, e.c.scale,
                       *(func.sum(case((e.c.type == error_type, e.c.count), else_=0)).label(f"e{i}")
                         for i, error_type in enumerate(top_types)))
                .where(*_filters(e, e.c.at, query), e.c.type.in_(top_types))
                .group_by(e.c.session_id, e.c.kind, e.c.scale)
                .subquery()
            )
            joined = summaries.outerjoin(pivot, and_(pivot.c.session_id == summaries.c.session_id,
                                                      pivot.c.kind == summaries.c.kind,
                                                      pivot.c.scale == summaries.c.scale))
            columns += [pivot.c[f"e{i}"] for i in range(len(top_types))]
        statement = (select(*columns).select_from(joined)
                     .order_by(summaries.c.at, summaries.c.session_id))
        records = []
        # positional tuples: attribute access per row costs more than the query on long histories
        for row in (await self._session.execute(statement)).all():
            session_id, kind, scale, at, results, words, cefr, pron, wpm, pause, fillers = row[:11]
            counts = tuple(sorted((error_type, int(n)) for error_type, n in zip(top_types, row[11:], strict=True)
                                  if n))
            records.append(SessionRecord(
                session_id=session_id, kind=_KINDS[kind], scale=scale, at=at, results=results,
                words=int(words or 0), cefr_score=_round(cefr), pronunciation=_round(pron),
                words_per_minute=_round(wpm), mean_pause=_round(pause), filler_rate=_round(fillers),
                error_counts=counts,
            ))
        return tuple(records)

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
        """New lemmas per session with their levels pivoted into columns: one row per session."""
        t = vocabulary
        per_level = [func.sum(case((t.c.level == level.value, 1), else_=0)) for level in LEVELS]
        statement = (select(t.c.session_id, func.min(t.c.first_seen_at).label("at"), func.count(), *per_level)
                     .where(*_filters(t, t.c.first_seen_at, query)).group_by(t.c.session_id)
                     .order_by(func.min(t.c.first_seen_at), t.c.session_id))
        out = []
        for session_id, at, total, *counts in (await self._session.execute(statement)).all():
            by_level: list[tuple[CefrLevel | None, int]] = [
                (level, int(n)) for level, n in zip(LEVELS, counts, strict=True) if n]
            unlisted = int(total) - sum(n for _, n in by_level)
            if unlisted:
                by_level.append((None, unlisted))
            out.append(NewLemmas(session_id, at, tuple(by_level)))
        return tuple(out)

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
