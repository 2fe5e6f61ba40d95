from __future__ import annotations

import pytest

from domain.pronunciation.assessment import PhonemeScore, WordErrorKind, WordScore, completeness, overall
from domain.pronunciation.feedback import common_issues, improvement_tips, words_to_practise
from domain.pronunciation.phonemes import ARPABET, PHONEMES, articulation_tip, base_phone, to_ipa
from domain.pronunciation.text import reference_coverage, reference_problem, sentences_of, words_of


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
