"""The decoder-loop collapse that Moonshine's transcripts pass through (adapters/speech/moonshine_decoding)."""

from __future__ import annotations

from adapters.speech.moonshine_decoding import without_loops


def _tokens(ids: list[int]) -> list[tuple[int, float]]:
    return [(t, -0.1 * i) for i, t in enumerate(ids)]


def test_a_phrase_repeated_until_the_cap_is_kept_once() -> None:
    # "he is the author of | the book of | the book of | the book of | the book of" (one id a token)
    looped = _tokens([10, 11, 12, 13, 14] + [20, 21, 14] * 4 + [30])
    kept = without_loops(looped)
    assert [t for t, _ in kept] == [10, 11, 12, 13, 14, 20, 21, 14, 30]
    assert kept[5] == looped[5]  # the first copy keeps its own log-probabilities


def test_words_said_twice_or_a_short_no_no_no_stay() -> None:
    said = [5, 6, 5, 6, 7, 8, 8, 8, 9]  # "very good very good", "no no no"
    assert without_loops(_tokens(said)) == _tokens(said)


def test_one_token_repeated_six_times_is_a_loop() -> None:
    assert [t for t, _ in without_loops(_tokens([1, 2, 2, 2, 2, 2, 2, 3]))] == [1, 2, 3]
