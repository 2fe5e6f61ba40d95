"""The evidence the parse gives for an edit (adapters.analysis.evidence), found on real spaCy parses, and the
explanations that name it, through the real checker (Harper and the spaCy rules; the tagger model is not
shipped yet)."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.analysis.evidence import with_evidence
from domain.analysis.analysis import to_learner_error
from domain.analysis.errors import Detection, Evidence

# (sentence, the learner's words, the correction, the explanation the learner reads)
EXPLAINED = [
    ("She have two cats.", "have", "has", "'She' is one person, so the verb is 'has'."),
    ("My sister are a teacher.", "are", "is", "'My sister' is one person or thing, so the verb is 'is'."),
    ("They was very happy.", "was", "were", "'They' is more than one, so the verb is 'were'."),
    ("I didn't went to school.", "went", "go", "After 'didn't' use the base form 'go'."),
    ("He can swims.", "swims", "swim", "After 'can' use the base form 'swim'."),
    ("We buyed many things.", "buyed", "bought",
     "'buyed' is not an English word: this verb is irregular. Write 'bought'."),
    ("She has two childs.", "childs", "children", "This noun has an irregular plural: 'children', with no -s."),
]


@pytest.mark.parametrize(("sentence", "wrong", "corrected", "explanation"), EXPLAINED)
def test_the_checker_explains_with_the_evidence_of_the_parse(
        analysis_engine: Any, sentence: str, wrong: str, corrected: str, explanation: str) -> None:
    report = analysis_engine.checker.check_sync(sentence)
    errors = [to_learner_error(sentence, d) for d in report.detections]
    assert [(e.original_text, e.corrected_text, e.explanation) for e in errors] == [(wrong, corrected, explanation)]


def _evidence(engine: Any, text: str, wrong: str, replacement: str, code: str, at: str | None = None) -> Evidence:
    start = text.index(at if at is not None else wrong)
    end = start if at is not None else start + len(wrong)
    doc = engine.models.get().nlp(text)
    (found,) = with_evidence(doc, [Detection(start, end, replacement, "tagger:x", "tagger", 0.9, code)])
    return found.evidence


@pytest.mark.parametrize(("text", "wrong", "replacement", "code", "at", "expected"), [
    ("Last week I visit my grandmother.", "visit", "visited", "R:VERB:TENSE", None,
     Evidence(marker="Last week", time="past")),
    ("Two days ago I see him in the park.", "see", "saw", "R:VERB:TENSE", None,
     Evidence(marker="Two days ago", time="past")),
    ("Last week I have visited my grandmother.", "have ", "", "U:VERB:TENSE", None,
     Evidence(marker="Last week", time="past")),
    ("She lives in small village near the river.", "", "a ", "M:DET", "small",
     Evidence(noun="village", number="singular")),
    ("I listen music every day.", "", "to ", "M:PREP", "music", Evidence(head="listen", noun="music")),
    ("She is interested on art.", "on", "in", "R:PREP", None, Evidence(head="interested", noun="art")),
    ("I bought many book yesterday.", "book", "books", "R:NOUN:NUM", None,
     Evidence(noun="book", quantifier="many", number="plural")),
    ("He have a car.", "have", "has", "R:VERB:SVA", None, Evidence(subject="He", number="singular")),
    ("I did not went home.", "went", "go", "R:VERB:FORM", None, Evidence(trigger="did not", form="base")),
])
def test_the_evidence_is_found_in_the_parse(analysis_engine: Any, text: str, wrong: str, replacement: str,
                                            code: str, at: str | None, expected: Evidence) -> None:
    assert _evidence(analysis_engine, text, wrong, replacement, code, at) == expected


def test_no_evidence_is_claimed_where_the_parse_has_none(analysis_engine: Any) -> None:
    # no time marker in the sentence; no subject for an imperative
    assert _evidence(analysis_engine, "I visit my grandmother.", "visit", "visited", "R:VERB:TENSE") == Evidence()
    assert _evidence(analysis_engine, "Go home now.", "Go", "Goes", "R:VERB:SVA") == Evidence()
    assert _evidence(analysis_engine, "I visit her.", "visit", "visited", "R:SPELL") == Evidence()
