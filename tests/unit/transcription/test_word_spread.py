"""Word times when forced alignment finds no path: the words share the voiced time by length."""

from __future__ import annotations

import pytest

from adapters.speech.alignment import spread


def test_words_share_the_voiced_time_in_order_and_skip_the_pause() -> None:
    times = spread(["a", "bbb", "cccc"], [(1.0, 2.0), (3.0, 4.0)])  # 8 letters over 2 s of voice
    assert [t for pair in times for t in pair] == pytest.approx([1.0, 1.25, 1.25, 2.0, 3.0, 4.0])
    assert all(start < end for start, end in times)


def test_a_word_never_ends_where_it_starts() -> None:
    times = spread(["x", "y"], [(0.5, 0.5)])
    assert all(end - start >= 0.02 for start, end in times)
