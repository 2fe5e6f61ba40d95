"""The mapping from detector categories to learner error types, severities and explanations."""

from __future__ import annotations

import pytest

from domain.analysis.analysis import HINT_BELOW, to_learner_error
from domain.analysis.errors import Detection, ErrorType, Severity, apply_detections, utf16_offset, without_overlaps
from domain.analysis.l1 import l1_note, language_code
from domain.analysis.taxonomy import ERRANT_TYPES, RULES, SEVERITY, explanation_of, learner_type, severity_of

T = ErrorType


@pytest.mark.parametrize(("code", "expected"), [
    ("M:DET", T.ARTICLE), ("U:DET", T.ARTICLE), ("R:PREP", T.PREPOSITION), ("R:VERB:TENSE", T.TENSE),
    ("R:VERB:SVA", T.AGREEMENT), ("R:SPELL", T.SPELLING), ("R:WO", T.WORD_ORDER), ("R:NOUN:NUM", T.GRAMMAR),
    ("R:VERB:INFL", T.WORD_FORM), ("R:MORPH", T.WORD_FORM), ("M:PUNCT", T.PUNCTUATION), ("R:NOUN", T.VOCABULARY),
    ("R:OTHER", T.FLUENCY), ("R:ADJ:FORM", T.GRAMMAR), ("R:VERB:FORM", T.GRAMMAR),
])
def test_errant_codes_map_to_learner_types(code: str, expected: ErrorType) -> None:
    assert learner_type("harper:Something", code, "x", "y") is expected


def test_orthography_is_capitalisation_when_only_the_case_changes() -> None:
    assert learner_type("harper:X", "R:ORTH", "london", "London") is T.CAPITALISATION
    assert learner_type("harper:X", "R:ORTH", "every one", "everyone") is T.SPELLING


def test_a_rule_we_know_wins_over_errant() -> None:
    assert learner_type("rules:verb_form.be_agree", "U:VERB:TENSE", "am agree", "agree") is T.GRAMMAR
    assert learner_type("rules:collocation.verb_noun", "R:VERB", "make", "do") is T.COLLOCATION


def test_without_a_code_or_a_known_rule_it_is_grammar() -> None:
    assert learner_type("llm:whatever", None, "a", "b") is T.GRAMMAR


def test_every_table_entry_is_complete() -> None:
    assert set(SEVERITY) == set(ErrorType)
    for rule, info in RULES.items():
        assert rule.split(":")[0] in ("rules", "harper")
        assert info.explanation.format(original="o", corrected="c", marker="m")
    assert all(isinstance(t, ErrorType) for t in ERRANT_TYPES.values())


def test_severity_follows_the_rule_then_the_code_then_the_type() -> None:
    assert severity_of("rules:tense.past_time_marker", "R:VERB:TENSE", T.TENSE) is Severity.MODERATE
    assert severity_of("harper:X", "M:VERB", T.VOCABULARY) is Severity.MAJOR
    assert severity_of("harper:X", "R:SPELL", T.SPELLING) is Severity.MINOR


def test_explanations_quote_the_correction_in_plain_words() -> None:
    text = explanation_of("rules:tense.past_time_marker", T.TENSE, "eat", "ate", marker="Yesterday")
    assert "Yesterday" in text and "'ate'" in text
    assert "(delete it)" in explanation_of("harper:X", T.GRAMMAR, "very", "")


def test_a_detection_becomes_a_learner_error_with_both_kinds_of_offsets() -> None:
    text = "🙂 Yesterday I eat rice."
    start = text.index("eat")
    detection = Detection(start, start + 3, "ate", "rules:tense.past_time_marker", "rules", 0.75, "R:VERB:TENSE",
                          message="Yesterday")
    error = to_learner_error(text, detection, native_language="zh")
    assert (error.type, error.severity, error.is_hint) == (T.TENSE, Severity.MODERATE, False)
    assert (error.start, error.start_utf16, error.end_utf16) == (start, start + 1, start + 4)
    assert error.original_text == "eat" and error.corrected_text == "ate"
    assert "does not change the verb" in error.explanation  # the Chinese-L1 note
    assert error.suggestion == "Write 'eat' → 'ate'."


def test_an_unsure_detection_is_a_minor_hint() -> None:
    detection = Detection(7, 12, "an apple", "rules:article.missing_before_object", "rules", HINT_BELOW - 0.05)
    error = to_learner_error("I like apple.", detection)
    assert error.is_hint and error.severity is Severity.MINOR and error.suggestion.startswith("Check this")


def test_utf16_offsets_count_astral_characters_twice() -> None:
    assert utf16_offset("a😀b", 0) == 0 and utf16_offset("a😀b", 2) == 3 and utf16_offset("abc", 3) == 3


def test_overlapping_detections_keep_the_surest() -> None:
    low = Detection(0, 5, "x", "a", "rules", 0.5)
    high = Detection(3, 8, "y", "b", "harper", 0.9)
    apart = Detection(10, 12, "z", "c", "rules", 0.4)
    assert without_overlaps([low, high, apart]) == [high, apart]


def test_detections_apply_from_the_end() -> None:
    text = "I am student and I eat rice."
    edits = [Detection(5, 12, "a student", "r", "rules", 1), Detection(19, 22, "ate", "r", "rules", 1)]
    assert apply_detections(text, edits) == "I am a student and I ate rice."


@pytest.mark.parametrize(("given", "code"), [("pl", "pl"), ("pl-PL", "pl"), ("Polish", "pl"), (" ", None),
                                             (None, None), ("zh_CN", "zh")])
def test_native_language_codes(given: str | None, code: str | None) -> None:
    assert language_code(given) == code


def test_l1_notes_only_where_the_error_is_typical() -> None:
    assert l1_note("Russian", T.ARTICLE) is not None
    assert l1_note("ja", T.TENSE) is not None
    assert l1_note("ru", T.SPELLING) is None
    assert l1_note("en", T.ARTICLE) is None
