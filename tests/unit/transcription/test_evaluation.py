import pytest

from application.transcription_evaluation import normalise_text, number_words, word_error_rate


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
