import pytest

from domain.transcription.syllables import count_syllables, count_text_syllables


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("cat", 1),
        ("the", 1),
        ("make", 1),
        ("home", 1),
        ("table", 2),
        ("whale", 1),
        ("walked", 1),
        ("wanted", 2),
        ("played", 1),
        ("makes", 1),
        ("boxes", 2),
        ("pages", 2),
        ("elephant", 3),
        ("beautiful", 3),
        ("unfortunately", 5),
        ("yesterday", 3),
        ("Hello,", 2),
        ("I'm", 1),
        ("42", 2),
        ("seven", 2),
        ("", 0),
        ("...", 0),
    ],
)
def test_count_syllables(word: str, expected: int) -> None:
    assert count_syllables(word) == expected


def test_text_syllables_add_up() -> None:
    assert count_text_syllables("we call it bear") == 4
