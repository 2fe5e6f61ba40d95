"""CLI commands of the progress capability: `englivo bench progress`."""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import click

from adapters.persistence.database import Database
from adapters.persistence.tables import error_counts, error_occurrences, phoneme_scores, progress_results, vocabulary
from adapters.persistence.unit_of_work import unit_of_work_factory
from application.use_cases.progress import GetProgress, ProgressQuery
from domain.cefr.scale import LEVELS, CefrThresholds
from domain.progress.records import Granularity

BENCH_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/englivo_test"
ERROR_TYPES = ("article", "preposition", "tense", "agreement", "spelling", "word_order", "vocabulary", "grammar")
PHONEMES = ("TH", "DH", "R", "L", "V", "W", "IH", "IY", "AE", "AH", "NG", "Z")
CHUNK = 10_000


@click.command("progress")
@click.option("--url", default=BENCH_URL, show_default=True, help="PostgreSQL (or SQLite) URL to seed.")
@click.option("--sessions", default=1000, show_default=True)
@click.option("--errors", "error_count", default=100_000, show_default=True)
@click.option("--runs", default=20, show_default=True, help="Timed runs after two warm-up runs.")
@click.option("--granularity", type=click.Choice([g.name for g in Granularity]), default="SESSION")
@click.option("--keep", is_flag=True, help="Keep the seeded schema instead of dropping it.")
def bench_progress(url: str, sessions: int, error_count: int, runs: int, granularity: str, keep: bool) -> None:
    """Seeds one learner with SESSIONS sessions and ERRORS error occurrences in a fresh schema, then times
    the whole progress use case (SQL and aggregation); prints the median and p95 as JSON. Also times the
    `progress` GraphQL query executed on the schema (no HTTP), with the series as points and as columns."""
    from adapters.persistence.migrate import upgrade

    schema = f"englivo_bench_{uuid.uuid4().hex[:8]}"
    upgrade(url, schema)
    summary = asyncio.run(_bench(url, schema, sessions, error_count, runs, Granularity[granularity], keep))
    click.echo(json.dumps(summary))


async def _bench(
    url: str, schema: str, sessions: int, error_count: int, runs: int, granularity: Granularity, keep: bool
) -> dict[str, Any]:
    database = Database(url, schema)
    try:
        started = time.perf_counter()
        await _seed(database, "bench-learner", sessions, error_count)
        seeded = time.perf_counter() - started
        use_case = GetProgress(unit_of_work_factory(database), CefrThresholds())
        query = ProgressQuery("bench-learner", granularity=granularity)
        statements: list[str] = []
        _count_statements(database, statements)
        for _ in range(2):
            progress = await use_case.execute(query)
        per_query = len(statements) // 2
        timings = []
        for _ in range(runs):
            begun = time.perf_counter()
            progress = await use_case.execute(query)
            timings.append((time.perf_counter() - begun) * 1000)
        timings.sort()
        graphql = {f"graphql_{form}_median_ms": await _time_graphql(use_case, form, max(runs // 2, 3))
                   for form in GRAPHQL_SERIES}
        return {
            "database": database.dialect, "sessions": progress.sessions, "errors": error_count,
            "granularity": granularity.name, "runs": runs, "statements_per_query": per_query,
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
            "series": len(progress.series), "points": sum(len(s.points) for s in progress.series),
            **graphql, "seed_seconds": round(seeded, 1),
        }
    finally:
        if not keep and database.dialect == "postgresql":
            async with database.engine.begin() as conn:
                await conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await database.dispose()


GRAPHQL_SERIES = {"points": "points { at value label }", "columns": "times values labels"}


async def _time_graphql(use_case: GetProgress, form: str, runs: int) -> float:
    """Median milliseconds of the whole query through Strawberry: resolvers and serialisation included."""
    import strawberry
    from strawberry.schema.config import StrawberryConfig

    from entrypoints.graphql.progress import COLUMN_SCALARS
    from entrypoints.graphql.schema import Query

    async def allowed(user_id: str) -> None:
        return None

    context = SimpleNamespace(services=SimpleNamespace(get_progress=use_case), check_user_rate=allowed)
    schema = strawberry.Schema(query=Query, config=StrawberryConfig(scalar_map=COLUMN_SCALARS))
    query = ('{ progress(userId: "bench-learner") { sessions currentLevel improvementPerWeek '
             f"series {{ name scale {GRAPHQL_SERIES[form]} }} errorPatterns {{ type count direction examples }} "
             "levelShift { level early recent } weakestPhonemes { phoneme accuracy } recommendations { title } } }")
    timings = []
    for _ in range(runs + 1):
        begun = time.perf_counter()
        result = await schema.execute(query, context_value=context)
        timings.append((time.perf_counter() - begun) * 1000)
        if result.errors:
            raise click.ClickException(str(result.errors[0]))
    return round(statistics.median(timings[1:]), 1)


def _count_statements(database: Database, into: list[str]) -> None:
    from sqlalchemy import event

    @event.listens_for(database.engine.sync_engine, "before_cursor_execute")
    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        into.append(statement)


async def _seed(database: Database, user: str, sessions: int, error_count: int) -> None:
    """A learner over about three years of sessions whose error rates fall and scores rise, with noise."""
    rng = random.Random(8)
    start = datetime(2023, 1, 2, 9, tzinfo=UTC)
    summaries: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    phonemes: list[dict[str, Any]] = []
    lemmas: list[dict[str, Any]] = []
    per_session = error_count // sessions
    for i in range(sessions):
        at = start + timedelta(days=i, hours=rng.randint(0, 10))
        session, result = f"s{i:05d}", f"r{i:05d}"
        version = "analysis-1" if i < sessions // 2 else "analysis-2"  # a new engine half way through
        kind = "pronunciation" if i % 5 == 4 else "text_analysis"
        summaries.append({
            "id": result, "user_id": user, "session_id": session, "kind": kind, "at": at,
            "engine_version": version, "scoring_version": "", "scale": version, "words": rng.randint(150, 400),
            "cefr_score": min(95.0, 35 + 40 * i / sessions + rng.gauss(0, 4)) if kind == "text_analysis" else None,
            "cefr_level": None, "pronunciation": 60 + 20 * i / sessions + rng.gauss(0, 5) if kind != "text_analysis"
            else None, "accuracy": None, "fluency": None, "completeness": None, "prosody": None,
            "words_per_minute": 90 + 40 * i / sessions + rng.gauss(0, 8), "pause_count": rng.randint(2, 20),
            "mean_pause": rng.uniform(0.3, 1.5), "filler_rate": rng.uniform(1, 8), "speaking_time": 60.0,
        })
        for j in range(per_session):
            error_type = ERROR_TYPES[min(int(rng.expovariate(0.5)), len(ERROR_TYPES) - 1)]
            errors.append({"user_id": user, "session_id": session, "result_id": result, "kind": "text_analysis",
                           "scale": version, "at": at, "type": error_type, "rule": f"rules:{error_type}.{j % 3}",
                           "example": f"example {i}.{j}"})
        if kind == "pronunciation":
            phonemes += [{"user_id": user, "session_id": session, "result_id": result, "at": at,
                          "phoneme": p, "accuracy": rng.uniform(40, 95)} for p in PHONEMES]
        lemmas += [{"user_id": user, "lemma": f"lemma{len(lemmas) + k}", "level": rng.choice(LEVELS).value,
                    "first_seen_at": at, "session_id": session} for k in range(rng.randint(0, 12))]
    # counted as RecordProgress counts them (adapters/persistence/progress.py count_rows)
    counted: dict[tuple[str, str, str], dict[str, Any]] = {}
    for e in errors:
        key = (e["result_id"], e["type"], e["rule"])
        row = counted.setdefault(key, {**{k: e[k] for k in ("result_id", "type", "rule", "user_id", "session_id",
                                                             "kind", "scale", "at")}, "count": 0})
        row["count"] += 1
    async with database.engine.begin() as conn:
        for table, rows in ((progress_results, summaries), (error_occurrences, errors),
                            (error_counts, list(counted.values())),
                            (phoneme_scores, phonemes), (vocabulary, lemmas)):
            for offset in range(0, len(rows), CHUNK):
                await conn.execute(table.insert(), rows[offset:offset + CHUNK])
    async with database.engine.connect() as conn:
        if database.dialect == "postgresql":
            await conn.exec_driver_sql("ANALYZE")
            await conn.commit()


COMMANDS = {
    "bench": [bench_progress],
}
