"""A recording of another text keeps the scores of the words the recogniser heard and omits the rest."""

from __future__ import annotations

from domain.engines import EngineInfo
from domain.pronunciation.assessment import (
    PhonemeScore,
    PronunciationAssessment,
    PronunciationScores,
    SpeechMetrics,
    WordErrorKind,
    WordScore,
)
from domain.pronunciation.mismatch import unheard_as_omitted

ENGINE = EngineInfo("pronunciation", "local", "test", "1")


def word(text: str, accuracy: float, error: WordErrorKind = WordErrorKind.NONE) -> WordScore:
    phone = PhonemeScore("AH", "ʌ", None, 40.0, 0.0, 0.1, 0.9, mispronounced=True)
    return WordScore(text, accuracy, error, phonemes=(phone,), start=0.0, end=0.1)


def assessment(*words: WordScore) -> PronunciationAssessment:
    return PronunciationAssessment(
        "The quick brown fox", PronunciationScores(10.0, 80.0, 25.0, 70.0, 30.0), words,
        SpeechMetrics(3.0, 2.0, 96.0, 4.0, 2, 0.4, 0.5, 6.0, 10.0), ENGINE,
        words_to_practise=("quick", "brown"),
    )


def test_words_not_heard_become_omissions_and_leave_the_feedback() -> None:
    before = assessment(word("The", 91.0), word("Quick", 92.0), word("um", 50.0, WordErrorKind.INSERTION),
                        word("brown", 30.0, WordErrorKind.MISPRONUNCIATION), word("fox.", 94.0))

    after = unheard_as_omitted(before, "the fox is mine")

    assert [(w.text, w.error, w.accuracy) for w in after.words] == [
        ("The", WordErrorKind.NONE, 91.0),
        ("Quick", WordErrorKind.OMISSION, 0.0),
        ("um", WordErrorKind.INSERTION, 50.0),
        ("brown", WordErrorKind.OMISSION, 0.0),
        ("fox.", WordErrorKind.NONE, 94.0),
    ]
    assert after.words[1].phonemes == () and after.words[0].phonemes == before.words[0].phonemes
    assert after.words_to_practise == ("quick", "brown")
    assert after.common_issues[-1] == "words left out: Quick, brown"


def test_nothing_heard_omits_every_reference_word() -> None:
    after = unheard_as_omitted(assessment(word("The", 91.0), word("quick", 92.0)), "")

    assert {(w.error, w.accuracy) for w in after.words} == {(WordErrorKind.OMISSION, 0.0)}
