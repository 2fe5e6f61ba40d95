import pytest

from application.transcription_evaluation import (
    boundary_differences,
    normalise_text,
    number_words,
    separation,
    spell_out_numbers,
    word_error_rate,
    words_heard_right,
)


def test_normalisation_of_case_punctuation_and_numbers() -> None:
    assert normalise_text("It's 3 o'clock, isn't it?") == "it's three o'clock isn't it"
    assert normalise_text("ZERO THREE FIVE ONE") == normalise_text("0 3 5 1")
    assert normalise_text("A well-known 'quote' of 10%.") == "a well known quote of ten percent"
    assert normalise_text("1,250 and 2.5") == "one thousand two hundred fifty and two point five"


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (21, "twenty one"),
        (300, "three hundred"),
        (1999, "one thousand nine hundred ninety nine"),
    ],
)
def test_number_words(n: int, words: str) -> None:
    assert number_words(n) == words


def test_wer_is_pooled_over_pairs_after_normalisation() -> None:
    assert word_error_rate(["WE CALL IT BEAR"], ["We call it bear."]) == 0.0
    assert word_error_rate(["a b c d", "e f"], ["a b x d", "e f g"]) == pytest.approx(2 / 6)


def test_spelled_out_numbers_keep_the_case_of_the_rest() -> None:
    assert spell_out_numbers("My sister is 12, and 10% of 1,200") == (
        "My sister is twelve and ten percent of one thousand two hundred")


def test_a_number_with_a_leading_zero_is_spelled_digit_by_digit() -> None:
    """A reading of "zero eight three one" that the recogniser wrote as "0831" (speechocean762)."""
    assert spell_out_numbers("0831") == "zero eight three one"
    assert spell_out_numbers("831 and 0") == "eight hundred thirty one and zero"


def test_boundary_differences_compare_the_words_both_hold() -> None:
    reference = [("our", 0.5, 0.7), ("wish", 0.7, 1.1), ("is", 1.1, 1.2)]
    hypothesis = [("I", 0.5, 0.6), ("wish", 0.8, 1.0), ("is.", 1.1, 1.25)]
    assert boundary_differences(reference, hypothesis) == pytest.approx([0.1, 0.1, 0.0, 0.05])


def test_words_heard_right_follow_an_alignment_to_the_reference() -> None:
    assert words_heard_right("OUR WISH IS TO LIVE", ["I", "wish", "I", "still", "live."]) == [
        False, True, False, False, True]
    assert words_heard_right("I AM TWELVE", ["I", "am", "12"]) == [True, True, True]


def test_separation_is_the_chance_a_right_word_outranks_a_wrong_one() -> None:
    assert separation([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert separation([0.1, 0.2], [0.9, 0.8]) == 0.0
    assert separation([0.5, 0.5], [0.5]) == 0.5
    assert separation([0.9, 0.3], [0.5]) == 0.5
    assert separation([0.9], []) is None
