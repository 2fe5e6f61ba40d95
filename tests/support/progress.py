"""Progress entries as the capabilities would record them, for integration, API and Gherkin tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event

from adapters.persistence.database import Database
from domain.cefr.scale import CefrLevel
from domain.progress.records import ErrorOccurrence, FluencyMeasures, LemmaUse, ProgressEntry, PronunciationScores
from domain.results import ResultKind

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def text_entry(
    user: str, session: int, *, articles: int, words: int = 100, score: float = 50.0, version: str = "analysis-1",
    days_apart: int = 7, lemmas: tuple[str, ...] = (),
) -> ProgressEntry:
    at = START + timedelta(days=days_apart * session)
    errors = tuple(ErrorOccurrence("article", "rules:article.a_an", f"I saw a elephant ({session}.{i})")
                   for i in range(articles))
    return ProgressEntry(
        result_id=f"{user}-text-{session}", user_id=user, session_id=f"session-{session}",
        kind=ResultKind.TEXT_ANALYSIS, at=at, engine_version=version, words=words, cefr_score=score,
        cefr_level=CefrLevel.B1, errors=(*errors, ErrorOccurrence("tense", None, "I go yesterday")),
        lemmas=tuple(LemmaUse(lemma, CefrLevel.A2) for lemma in lemmas),
    )


def speech_entry(user: str, session: int, *, phonemes: tuple[tuple[str, float], ...] = ()) -> ProgressEntry:
    return ProgressEntry(
        result_id=f"{user}-speech-{session}", user_id=user, session_id=f"session-{session}",
        kind=ResultKind.PRONUNCIATION, at=START + timedelta(days=7 * session, minutes=5),
        engine_version="gop-1", words=20,
        pronunciation=PronunciationScores(70 + session, 70, 80, 90, 60, phonemes),
        fluency=FluencyMeasures(words_per_minute=110 + session, pause_count=3, mean_pause=0.6, filler_rate=2.0,
                                speaking_time=12.0),
    )


@contextmanager
def counted_statements(database: Database) -> Iterator[list[str]]:
    """The SQL statements the database is sent inside the block, except the job tables': an app's job
    maintenance runs in the background on the same engine (at start-up, then now and then), and on a busy
    machine its first pass can land inside the block."""
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not re.search(r"\b(jobs|blobs)\b", statement):
            statements.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", count)
