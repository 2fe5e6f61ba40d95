"""Progress against real SQLite and PostgreSQL: recording, grouping in SQL, and a bounded statement count."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.persistence.database import Database
from adapters.persistence.unit_of_work import unit_of_work_factory
from application.use_cases.progress import (
    AnalyzeSessions,
    AnalyzeSessionsCommand,
    GetProgress,
    ProgressQuery,
    RecordProgress,
    SessionReport,
    SessionReportQuery,
)
from domain.cefr.scale import CefrLevel, CefrThresholds
from domain.errors import InvalidInput
from domain.progress.patterns import Direction
from domain.progress.records import Granularity
from tests.support.progress import START, counted_statements, speech_entry, text_entry

pytestmark = pytest.mark.integration


async def record_falling_articles(database: Database, user: str, sessions: int = 5) -> None:
    record = RecordProgress(unit_of_work_factory(database))
    for i in range(sessions):
        await record.execute(text_entry(user, i, articles=max(8 - 2 * i, 0), score=40 + 3 * i,
                                        lemmas=tuple(f"word{j}" for j in range(3 * i, 3 * i + 5))))


async def test_falling_article_errors_show_as_improving(database: Database) -> None:
    await record_falling_articles(database, "ana")
    progress = await GetProgress(unit_of_work_factory(database), CefrThresholds()).execute(ProgressQuery("ana"))
    assert progress.sessions == 5 and not progress.mixed_engine_versions
    article = next(p for p in progress.error_patterns if p.type == "article")
    assert article.count == 8 + 6 + 4 + 2 and article.sessions == 4
    assert article.direction is Direction.IMPROVING and article.rule == "rules:article.a_an"
    assert article.examples[0].startswith("I saw a elephant (3.")
    assert progress.improvement is not None and progress.improvement.per_week == pytest.approx(3.0)
    assert progress.vocabulary_size == 5 + 4 * 3 and progress.current_level is CefrLevel.B1
    [size] = [s for s in progress.series if s.name == "vocabulary_size"]
    assert [p.value for p in size.points] == [5, 8, 11, 14, 17]
    assert all(p.at.tzinfo is not None for s in progress.series for p in s.points)


async def test_recording_a_result_twice_counts_it_once(database: Database) -> None:
    record = RecordProgress(unit_of_work_factory(database))
    entry = text_entry("bo", 0, articles=2, lemmas=("cat",))
    assert await record.execute(entry) and not await record.execute(entry)
    progress = await GetProgress(unit_of_work_factory(database), CefrThresholds()).execute(ProgressQuery("bo"))
    assert sum(p.count for p in progress.error_patterns) == 3


async def test_a_lemma_first_seen_out_of_order_moves_earlier(database: Database) -> None:
    record = RecordProgress(unit_of_work_factory(database))
    await record.execute(text_entry("cy", 2, articles=0, lemmas=("cat", "dog")))
    await record.execute(text_entry("cy", 1, articles=0, lemmas=("cat",)))
    progress = await GetProgress(unit_of_work_factory(database), CefrThresholds()).execute(ProgressQuery("cy"))
    [new] = [s for s in progress.series if s.name == "vocabulary_new"]
    assert [(p.label, p.value) for p in new.points] == [("session-1", 1), ("session-2", 1)]


async def test_time_range_and_weekly_buckets(database: Database) -> None:
    await record_falling_articles(database, "di")
    uow = unit_of_work_factory(database)
    query = ProgressQuery("di", since=START + timedelta(days=7), until=START + timedelta(days=28),
                          granularity=Granularity.WEEK)
    progress = await GetProgress(uow, CefrThresholds()).execute(query)
    assert progress.sessions == 3 and progress.vocabulary_size == 5 + 3 * 3
    with pytest.raises(InvalidInput):
        await GetProgress(uow, CefrThresholds()).execute(ProgressQuery("di", since=START, until=START))


async def test_session_report_and_chosen_sessions(database: Database) -> None:
    await record_falling_articles(database, "ed")
    await RecordProgress(unit_of_work_factory(database)).execute(
        speech_entry("ed", 4, phonemes=(("TH", 40.0), ("TH", 50.0), ("R", 90.0))))
    uow = unit_of_work_factory(database)
    report = await SessionReport(uow, CefrThresholds()).execute(SessionReportQuery("ed", "session-4"))
    assert report is not None and report.sessions == 1 and report.improvement is None
    assert report.weakest_phonemes[0].phoneme == "TH" and report.weakest_phonemes[0].accuracy == 45
    assert {s.name for s in report.series} >= {"pronunciation", "words_per_minute", "phoneme:TH"}
    assert await SessionReport(uow, CefrThresholds()).execute(SessionReportQuery("ed", "nope")) is None
    chosen = await AnalyzeSessions(uow, CefrThresholds()).execute(
        AnalyzeSessionsCommand("ed", ("session-0", "session-2", "session-4")))
    assert chosen.sessions == 3 and chosen.error_patterns[0].count == 8 + 4
    with pytest.raises(InvalidInput):
        await AnalyzeSessions(uow, CefrThresholds()).execute(AnalyzeSessionsCommand("ed", ()))


async def test_progress_issues_a_bounded_number_of_statements(database: Database) -> None:
    uow = unit_of_work_factory(database)
    counts = []
    for user, sessions in (("few", 2), ("many", 30)):
        await record_falling_articles(database, user, sessions)
        await RecordProgress(uow).execute(speech_entry(user, 1, phonemes=(("TH", 40.0),)))
        with counted_statements(database) as statements:
            progress = await GetProgress(uow, CefrThresholds()).execute(ProgressQuery(user))
        assert progress.sessions == sessions
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 10, counts
