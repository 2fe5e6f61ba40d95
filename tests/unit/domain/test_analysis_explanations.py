"""Explanations keyed by ERRANT code, naming the evidence the parse gave (domain.analysis.explanations)."""

from __future__ import annotations

from dataclasses import fields

import pytest

from domain.analysis.analysis import to_learner_error
from domain.analysis.errors import Detection, ErrorType, Evidence
from domain.analysis.explanations import CODE_TEMPLATES, code_explanation, fields_of
from domain.analysis.taxonomy import explanation_of

T = ErrorType
EVIDENCE_FIELDS = {f.name for f in fields(Evidence)}


def test_every_template_names_only_known_fields() -> None:
    for key, templates in CODE_TEMPLATES.items():
        assert templates, key
        for template in templates:
            assert fields_of(template) <= EVIDENCE_FIELDS | {"original", "corrected"}, (key, template)


@pytest.mark.parametrize(("code", "original", "corrected", "evidence", "expected"), [
    ("R:VERB:SVA", "have", "has", Evidence(subject="She", number="singular"),
     "'She' is one person, so the verb is 'has'."),
    ("R:VERB:SVA", "are", "is", Evidence(subject="My sister", number="singular"),
     "'My sister' is one person or thing, so the verb is 'is'."),
    ("R:VERB:SVA", "was", "were", Evidence(subject="they", number="plural"),
     "'they' is more than one, so the verb is 'were'."),
    ("R:VERB:SVA", "am", "is", Evidence(subject="Everything"),
     "The verb agrees with its subject 'Everything': use 'is', not 'am'."),
    ("R:VERB:TENSE", "visit", "visited", Evidence(marker="Last week", time="past"),
     "'Last week' marks the past: use 'visited'."),
    ("U:VERB:TENSE", "have", "", Evidence(marker="Last week", time="past"),
     "'Last week' marks a finished time in the past: use the past simple, without 'have'."),
    ("R:VERB:TENSE", "see", "will see", Evidence(marker="next week", time="future"),
     "'next week' is in the future: use 'will see'."),
    ("R:VERB:FORM", "went", "go", Evidence(trigger="didn't", form="base"), "After 'didn't' use the base form 'go'."),
    ("R:VERB:FORM", "to swim", "swimming", Evidence(trigger="enjoy", form="ing"),
     "After 'enjoy' use the -ing form 'swimming'."),
    ("M:DET", "", "a", Evidence(noun="village", number="singular"),
     "'village' is a singular countable noun: it needs 'a'."),
    ("M:DET", "apple", "an apple", Evidence(noun="apple"), "'apple' is a singular countable noun: it needs 'an'."),
    ("M:DET", "", "the", Evidence(noun="internet"),
     "'internet' is a particular one here, known to the reader: it needs 'the'."),
    ("U:DET", "the", "", Evidence(noun="dogs", number="plural"),
     "'dogs' is plural and means things in general here: it takes no 'the'."),
    ("R:PREP", "on", "in", Evidence(head="interested"), "With 'interested', English uses 'in', not 'on'."),
    ("M:PREP", "", "to", Evidence(head="listen", noun="music"), "'listen' needs 'to' before 'music'."),
    ("U:PREP", "about", "", Evidence(head="discussed", noun="problem"),
     "'discussed' takes 'problem' directly, without 'about'."),
    ("R:NOUN:NUM", "book", "books", Evidence(quantifier="many", number="plural"),
     "After 'many' the noun is plural: 'books'."),
    ("R:ORTH", "english", "English", Evidence(), "'English' is written with a capital letter here."),
    ("R:ORTH", "every one", "everyone", Evidence(), "Write it as 'everyone': check the spaces and hyphens."),
])
def test_templates_name_the_evidence(code: str, original: str, corrected: str, evidence: Evidence,
                                     expected: str) -> None:
    assert code_explanation(code, original, corrected, evidence) == expected


@pytest.mark.parametrize(("code", "expected"), [
    ("R:VERB:SVA", "The verb must agree with its subject: use 'has', not 'have'."),
    ("R:VERB:TENSE", "Use another tense here: 'has', not 'have'."),
    ("R:VERB:FORM", "This verb needs another form here: 'has', not 'have'."),
    ("M:DET", "Add 'has' here."),
    ("R:PREP", "This needs a different preposition: 'has', not 'have'."),
])
def test_without_evidence_a_plainer_template_is_used(code: str, expected: str) -> None:
    assert code_explanation(code, "have", "has", Evidence()) == expected


def test_a_marker_that_the_correction_does_not_fit_is_not_claimed() -> None:
    # a past marker, but the correction is not a past form: the evidence has no `time`
    assert code_explanation("R:VERB:TENSE", "go", "going", Evidence(marker="Yesterday")) == \
        "Use another tense here: 'going', not 'go'."


def test_unknown_codes_fall_back_to_the_learner_type() -> None:
    assert code_explanation("R:CONJ", "and", "but", Evidence()) is None
    assert explanation_of("tagger:replace", T.GRAMMAR, "and", "but", "R:CONJ") == \
        "This part of the sentence is not grammatical. Write 'but' instead of 'and'."


def test_a_rule_with_its_own_explanation_keeps_it() -> None:
    evidence = Evidence(noun="student", number="singular")
    assert explanation_of("rules:article.missing_after_be", T.ARTICLE, "student", "a student", "M:DET", evidence) \
        .startswith("A singular job or thing after 'am/is/are'")


def test_a_general_rule_explanation_gives_way_to_evidence_only() -> None:
    rule = "rules:agreement.third_person"
    named = explanation_of(rule, T.AGREEMENT, "go", "goes", "R:VERB:SVA", Evidence(subject="He", number="singular"))
    assert named == "'He' is one person, so the verb is 'goes'."
    # no evidence: the rule's own teaching (-s), not the code's plainer sentence
    assert explanation_of(rule, T.AGREEMENT, "go", "goes", "R:VERB:SVA").startswith("With he, she, it")


def test_a_tagger_detection_is_explained_from_its_code_and_evidence() -> None:
    text = "She live in a small village."
    detection = Detection(4, 8, "lives", "tagger:inflect_vbz", "tagger", 0.9, "R:VERB:SVA",
                          evidence=Evidence(subject="She", number="singular"))
    error = to_learner_error(text, detection)
    assert error.type is T.AGREEMENT and error.explanation == "'She' is one person, so the verb is 'lives'."
    assert to_learner_error(text, detection.with_evidence(Evidence())).explanation == \
        "The verb must agree with its subject: use 'lives', not 'live'."
