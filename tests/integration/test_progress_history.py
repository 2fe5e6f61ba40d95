"""History lists against real SQLite and PostgreSQL: keyset pages newest first, a kind filter, and error
counts for a whole page of sessions or results in one statement."""

from __future__ import annotations

import pytest

from adapters.persistence.database import Database
from adapters.persistence.unit_of_work import unit_of_work_factory
from application.ports.progress import ErrorGrouping
from application.use_cases.progress import RecordProgress
from application.use_cases.progress_history import (
    CountErrors,
    CountNewLemmas,
    ErrorCountsQuery,
    ListProgressResults,
    ListSessions,
    NewLemmasQuery,
    ResultsQuery,
    SessionsQuery,
)
from domain.errors import InvalidInput
from domain.results import ResultKind
from tests.support.progress import counted_statements, speech_entry, text_entry

pytestmark = pytest.mark.integration


async def record_sessions(database: Database, user: str, sessions: int) -> None:
    record = RecordProgress(unit_of_work_factory(database))
    for i in range(sessions):
        await record.execute(text_entry(user, i, articles=i, score=40 + i))
    await record.execute(speech_entry(user, sessions - 1))  # the last session has two results


async def test_sessions_page_newest_first_to_the_end(database: Database) -> None:
    await record_sessions(database, "ana", 5)
    await record_sessions(database, "other", 2)
    sessions = ListSessions(unit_of_work_factory(database))
    seen, after, pages = [], None, 0
    while True:
        page = await sessions.execute(SessionsQuery("ana", first=2, after=after))
        seen += page.items
        pages += 1
        if not page.has_next:
            break
        after = page.items[-1].cursor
    assert [s.session_id for s in seen] == [f"session-{i}" for i in (4, 3, 2, 1, 0)] and pages == 3
    latest = seen[0]
    assert latest.results == 2 and set(latest.kinds) == {ResultKind.TEXT_ANALYSIS, ResultKind.PRONUNCIATION}
    assert latest.cefr_score == 44 and latest.words_per_minute == 114 and latest.words == 100 + 20
    assert latest.first_at < latest.last_at
    with pytest.raises(InvalidInput):
        await sessions.execute(SessionsQuery("ana", first=0))


async def test_results_page_by_kind_and_after_a_cursor(database: Database) -> None:
    await record_sessions(database, "bo", 3)
    results = ListProgressResults(unit_of_work_factory(database))
    everything = await results.execute(ResultsQuery("bo", first=10))
    assert [r.kind for r in everything.items][:2] == [ResultKind.PRONUNCIATION, ResultKind.TEXT_ANALYSIS]
    assert len(everything.items) == 4 and not everything.has_next
    rest = await results.execute(ResultsQuery("bo", first=10, after=everything.items[1].cursor))
    assert [r.result_id for r in rest.items] == ["bo-text-1", "bo-text-0"]
    spoken = await results.execute(ResultsQuery("bo", kind=ResultKind.PRONUNCIATION))
    [speech] = spoken.items
    assert speech.pronunciation == 72 and speech.accuracy == 70 and speech.filler_rate == 2.0


async def test_error_counts_of_a_page_in_one_statement(database: Database) -> None:
    await record_sessions(database, "cy", 4)
    count = CountErrors(unit_of_work_factory(database))
    ids = tuple(f"session-{i}" for i in range(4))
    with counted_statements(database) as statements:
        counts = await count.execute(ErrorCountsQuery("cy", ErrorGrouping.SESSION, (*ids, "unknown")))
    assert len(statements) == 1
    assert counts["session-3"] == (("article", 3), ("tense", 1)) and counts["session-0"] == (("tense", 1),)
    assert "unknown" not in counts
    by_result = await count.execute(ErrorCountsQuery("cy", ErrorGrouping.RESULT, ("cy-text-2", "cy-speech-3")))
    assert by_result == {"cy-text-2": (("article", 2), ("tense", 1))}


async def test_new_words_of_a_page_of_sessions(database: Database) -> None:
    record = RecordProgress(unit_of_work_factory(database))
    for i, lemmas in enumerate((("cat", "dog"), ("cat", "bird", "fish"), ("dog",))):
        await record.execute(text_entry("di", i, articles=0, lemmas=lemmas))
    count = CountNewLemmas(unit_of_work_factory(database))
    ids = ("session-0", "session-1", "session-2")
    assert await count.execute(NewLemmasQuery("di", ids)) == {"session-0": 2, "session-1": 2}
    assert await count.execute(NewLemmasQuery("someone-else", ids)) == {}
