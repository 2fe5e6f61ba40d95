"""Pages and cursors of the history lists, and fluency advice when some engines count no fillers."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from domain.errors import InvalidInput
from domain.progress.history import Cursor, page_of
from domain.progress.patterns import recommendations
from domain.progress.records import SessionRecord
from domain.results import ResultKind
from entrypoints.graphql.progress_history import decode_cursor, encode_cursor
from tests.unit.progress.histories import START, history


def test_a_page_reads_one_more_row_to_know_whether_another_follows() -> None:
    assert page_of([1, 2, 3], 2).items == (1, 2) and page_of([1, 2, 3], 2).has_next
    assert page_of([1, 2], 2).items == (1, 2) and not page_of([1, 2], 2).has_next
    assert page_of([], 5).items == () and not page_of([], 5).has_next


def test_a_cursor_survives_its_round_trip_and_a_forged_one_is_refused() -> None:
    cursor = Cursor(datetime(2026, 5, 1, 8, 30, 1, 5, tzinfo=UTC), "session|with|bars")
    assert decode_cursor(encode_cursor(cursor)) == cursor
    assert decode_cursor(None) is None
    naive = base64.urlsafe_b64encode(b"2026-05-01T08:30:00|s1").decode()
    for bad in ("not base64!", base64.urlsafe_b64encode(b"yesterday|s1").decode(), naive):
        with pytest.raises(InvalidInput) as refused:
            decode_cursor(bad)
        assert refused.value.field == "after"


def spoken(index: int, filler_rate: float | None, kind: ResultKind) -> SessionRecord:
    return SessionRecord(f"s{index}", kind, "v1", START.replace(day=5 + index), 1, 50, words_per_minute=130.0,
                         filler_rate=filler_rate)


def test_filler_advice_averages_only_results_that_counted_fillers() -> None:
    records = (spoken(0, 8.0, ResultKind.TRANSCRIPTION), spoken(1, None, ResultKind.PRONUNCIATION),
               spoken(2, None, ResultKind.PRONUNCIATION))
    [advice] = recommendations(history(*records), [])
    assert advice.area == "fluency:fillers" and "8.0 fillers" in advice.why
