from __future__ import annotations

import pytest

from domain.pronunciation.assessment import PhonemeScore, WordErrorKind, WordScore, completeness, overall
from domain.pronunciation.feedback import common_issues, improvement_tips, words_to_practise
from domain.pronunciation.phonemes import ARPABET, PHONEMES, articulation_tip, base_phone, to_ipa
from domain.pronunciation.text import (
    heard_words,
    reading_similarity,
    reference_coverage,
    reference_problem,
    sentences_of,
    words_of,
)


def phone(expected: str, heard: str, flagged: bool) -> PhonemeScore:
    return PhonemeScore(expected, to_ipa(expected), heard, 20.0 if flagged else 95.0, 0.0, 0.1, 0.9, flagged)


def test_every_phoneme_has_ipa_and_a_tip() -> None:
    assert len(ARPABET) == 39
    assert all(p.ipa and p.tip for p in PHONEMES.values())
    assert (to_ipa("TH"), to_ipa("IH1"), base_phone("ao0")) == ("θ", "ɪ", "AO")
    assert "between the teeth" in (articulation_tip("TH") or "")


def test_feedback_names_the_substitution_tips_and_words() -> None:
    words = (
        WordScore("think", 40.0, WordErrorKind.MISPRONUNCIATION, (phone("TH", "S", True), phone("IH", "IH", False))),
        WordScore("three", 45.0, WordErrorKind.MISPRONUNCIATION, (phone("TH", "S", True),)),
        WordScore("is", 0.0, WordErrorKind.OMISSION),
        WordScore("good", 95.0, WordErrorKind.NONE, (phone("G", "G", False),)),
    )
    assert common_issues(words)[0] == "/θ/ said as /s/ (2 times)"
    assert common_issues(words)[-1] == "words left out: is"
    assert improvement_tips(words)[0].startswith("/θ/ as in 'think'")
    assert words_to_practise(words) == ["is", "think", "three"]


def test_completeness_ignores_insertions_and_overall_follows_azure_weights() -> None:
    words = (WordScore("a", 90, WordErrorKind.NONE), WordScore("b", 0, WordErrorKind.OMISSION),
             WordScore("x", 0, WordErrorKind.INSERTION))
    assert completeness(words) == 50.0
    assert overall(80, 70, 100, 60) == pytest.approx(78.0)
    assert overall(80, 70, 100, None) == pytest.approx(82.5)


def test_reference_text_rules() -> None:
    assert words_of("It’s 5 o'clock, Tom!") == ["It's", "o'clock", "Tom"]
    assert sentences_of("One here. Two there! 3.") == ["One here.", "Two there!"]
    assert reference_problem("  ") == "reference text is empty"
    assert reference_problem("123") is not None
    assert reference_problem("x" * 6000) is not None
    assert reference_problem("Hello there") is None


def test_reference_coverage_tells_a_misrecognised_reading_from_another_text() -> None:
    reference = "No one wants to talk to me tonight."
    assert reference_coverage(reference, "no one wants to talk to me tonight") == 1.0
    assert reference_coverage(reference, "No one once to talk to me to night.") >= 0.6  # recognition errors
    assert reference_coverage(reference, "Mark is going to see the elephant.") <= 0.15
    assert reference_coverage(reference, "") == 0.0


def test_letters_tell_a_badly_misrecognised_reading_from_another_text_where_words_cannot() -> None:
    """Readings of speechocean762 held-out speakers (human accuracy 7, 7 and 9 of 10) and what Moonshine heard."""
    for reference, heard in (("ANN LIKES HULK", "I like truck."), ("AM I YOUR BIRD", "Emma, are you a burnt up?"),
                             ("GLAD YOU LIKE THE SONG", "Can I add your leg up to the saw?")):
        assert reference_coverage(reference, heard) <= 0.2
        assert reading_similarity(reference, heard) >= 0.4
    reference = "No one wants to talk to me tonight."
    assert reading_similarity(reference, "The quick brown fox jumps over the lazy dog") < 0.4
    assert reading_similarity(reference, "no one wants to talk to me tonight") == 1.0


def test_each_reference_word_is_heard_when_the_recogniser_wrote_it_in_order() -> None:
    reference = "No one wants to talk to me tonight."
    assert heard_words(reference, "no one wants to talk to me tonight") == [True] * 8
    assert heard_words(reference, "No one once to talk to me.") == [True, True, False, True, True, True, True, False]
    assert heard_words(reference, "tonight me to talk") == [False, False, False, True, True, False, False, False]
    assert heard_words("", "anything") == []
