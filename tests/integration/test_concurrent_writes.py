"""Many learners' results stored at once, as under load: none fails and every row is there (issue 17.2).

Each write is what `AnalyzeText` stores for a text: the result and its progress entry in one unit of work.
While they run, a thread keeps the interpreter busy the way inference does (Python code holding the GIL
in worker threads), which stretches every event-loop round trip of a write transaction: before the write
gate, SQLite writers polled the file lock past its busy timeout and failed with `database is locked`."""

from __future__ import annotations

import asyncio
import random
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from adapters.persistence.database import Database
from adapters.persistence.migrate import upgrade
from adapters.persistence.tables import analysis_results, error_counts, progress_results, vocabulary
from adapters.persistence.unit_of_work import unit_of_work_factory
from adapters.persistence.write_gate import WriterTimeout
from domain.cefr.scale import CefrLevel
from domain.progress.records import ErrorOccurrence, LemmaUse, ProgressEntry
from domain.results import ResultKind, StoredResult

pytestmark = pytest.mark.integration

CONCURRENCY = 32
WRITES = 160
LEMMAS = [f"lemma{i}" for i in range(60)]


@pytest.fixture
def busy_interpreter() -> Iterator[None]:
    """A thread running Python code, as an analysis's rules do, until the test ends (at most 5 minutes)."""
    stop = threading.Event()

    def spin() -> None:
        deadline = time.monotonic() + 300
        while not stop.is_set() and time.monotonic() < deadline:
            sum(i * i for i in range(20_000))  # a few ms holding the GIL, like a rule pass over a text

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=10)


def a_text_result(user_id: str, order: random.Random) -> tuple[StoredResult, ProgressEntry]:
    result_id = uuid.uuid4().hex
    now = datetime.now(UTC)
    result = StoredResult(
        id=result_id, user_id=user_id, kind=ResultKind.TEXT_ANALYSIS, created_at=now, engine_version="local-1",
        payload={"errors": [{"type": "article"}] * 5, "text": "x" * 1_500}, session_id=None, score=None,
        input_hash=result_id,
    )
    lemmas = order.sample(LEMMAS, len(LEMMAS))  # each text meets the words in its own order
    entry = ProgressEntry(
        result_id=result_id, user_id=user_id, session_id=result_id, kind=ResultKind.TEXT_ANALYSIS, at=now,
        engine_version="local-1", scoring_version="errors-1", words=100, cefr_score=52.0,
        cefr_level=CefrLevel.B1,
        errors=tuple(ErrorOccurrence("article", f"rule-{i % 3}", "a apple → an apple") for i in range(5)),
        lemmas=tuple(LemmaUse(lemma, CefrLevel.A2) for lemma in lemmas),
    )
    return result, entry


async def store_all(database: Database, users: list[str]) -> list[BaseException | None]:
    """Stores one text result per entry of `users`, CONCURRENCY at a time, as AnalyzeText does."""
    uow = unit_of_work_factory(database)
    slots = asyncio.Semaphore(CONCURRENCY)
    order = random.Random(17)

    async def store(user_id: str) -> None:
        result, entry = a_text_result(user_id, order)
        async with slots, uow() as work:
            await work.results.add(result)
            await work.progress.record(entry)
            await work.commit()

    return await asyncio.gather(*(store(user) for user in users), return_exceptions=True)


async def count(database: Database, table: object) -> int:
    async with database.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(table))).scalar_one())  # type: ignore[arg-type]


@pytest.mark.usefixtures("busy_interpreter")
async def test_concurrent_writes_of_distinct_learners_all_succeed_and_are_stored(database: Database) -> None:
    outcomes = await store_all(database, [f"learner-{n}" for n in range(WRITES)])

    failures = [repr(o) for o in outcomes if o is not None]
    assert failures == [], f"{len(failures)} of {WRITES} writes failed, e.g. {failures[:1]}"
    assert await count(database, analysis_results) == WRITES
    assert await count(database, progress_results) == WRITES
    assert await count(database, error_counts) == WRITES * 3
    assert await count(database, vocabulary) == WRITES * len(LEMMAS)


async def test_one_learners_results_stored_at_once_share_the_vocabulary_without_deadlock(
    database: Database,
) -> None:
    # The same words reach the learner's vocabulary from texts that list them in different orders: on
    # PostgreSQL, two transactions upserting the same keys in different orders wait on each other.
    outcomes = await store_all(database, ["learner-1"] * 24)

    assert [repr(o) for o in outcomes if o is not None] == []
    assert await count(database, analysis_results) == 24
    assert await count(database, vocabulary) == len(LEMMAS)


async def test_sqlite_waits_for_other_processes_writers_and_reads_never_wait_for_a_writer(sqlite_url: str) -> None:
    await asyncio.to_thread(upgrade, sqlite_url, "englivo")
    database = Database(sqlite_url)
    uow = unit_of_work_factory(database)
    try:
        async with database.engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA busy_timeout"))).scalar() == 60_000
        result, _ = a_text_result("learner-1", random.Random(1))
        async with uow() as writer:
            await writer.results.add(result)  # holds the writer's turn until the commit
            async with uow() as reader:
                assert await reader.results.get(result.id) is None  # not committed yet, and not blocked
            await writer.commit()
        async with uow() as reader:
            assert await reader.results.get(result.id) == result
    finally:
        await database.dispose()


async def test_a_sqlite_writer_that_waits_past_the_limit_gets_a_clear_error(sqlite_url: str) -> None:
    await asyncio.to_thread(upgrade, sqlite_url, "englivo")
    database = Database(sqlite_url, sqlite_write_wait_s=0.2)
    uow = unit_of_work_factory(database)
    try:
        async with uow() as first:
            await first.results.add(a_text_result("learner-1", random.Random(1))[0])
            with pytest.raises(WriterTimeout, match=r"waited 0\.2 s for the SQLite writer's turn"):
                async with uow() as second:
                    await second.results.add(a_text_result("learner-2", random.Random(2))[0])
            await first.commit()
        async with uow() as third:  # the turn was given back: the next writer goes ahead
            await third.results.add(a_text_result("learner-3", random.Random(3))[0])
            await third.commit()
        assert await count(database, analysis_results) == 2
    finally:
        await database.dispose()
