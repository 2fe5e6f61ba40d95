"""LanguageTool's English rules (lingotweaker, the real engine) as a grammar detector: what it finds in a
learner's paragraph, which of its suggestions it picks, where its offsets point in non-ASCII text, and how the
checker composes it with the other detectors."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest

from adapters.analysis.checker import CheckerOptions, LocalGrammarChecker, ParsedTexts
from adapters.analysis.languagetool import (
    KEEP_PRECISION,
    MIN_SUPPORT,
    LanguageToolDetector,
    LanguageToolOptions,
    load_rule_precision,
)
from adapters.analysis.models import ModelManager
from adapters.inference.scheduler import InferenceScheduler
from domain.analysis.analysis import HINT_BELOW, to_learner_error
from tests.api.test_feedback_claims import ISSUE_PARAGRAPH


@pytest.fixture(scope="module")
def models() -> ModelManager:
    return ModelManager()


# Learner sentences written for these tests, with errors of kinds the kept rules correct.
LEARNER_TEXT = "He can swims very well , and I enjoy to read books. I recived your letter."


@pytest.fixture(scope="module")
def detector() -> LanguageToolDetector:
    """As the service runs it: only the rules kept by the calibration, at their measured precision."""
    return LanguageToolDetector(LanguageToolOptions(deadline_seconds=60))


@pytest.fixture(scope="module")
def every_rule() -> LanguageToolDetector:
    """Every rule, as the calibration measures them (`--detectors languagetool-all`)."""
    return LanguageToolDetector(LanguageToolOptions(calibrated=False, deadline_seconds=60))


def found(detector: LanguageToolDetector, models: ModelManager, text: str) -> dict[str, tuple[str, str]]:
    detections, in_time = detector.detect(models.get().nlp(text))
    assert in_time
    return {d.rule: (text[d.start:d.end], d.replacement) for d in detections}


def test_its_rules_find_the_issue_paragraph_errors_with_the_form_the_learner_meant(
        every_rule: LanguageToolDetector, models: ModelManager) -> None:
    by_rule = found(every_rule, models, ISSUE_PARAGRAPH)
    # LanguageTool suggests "are" first; "was" is past, so the past "were" is what the learner meant.
    assert by_rule["languagetool:PERS_PRONOUN_AGREEMENT"] == ("was", "were")
    assert by_rule["languagetool:I_AM_VB"] == ("am agree", "agree")


def test_the_kept_rules_correct_a_learner_text(detector: LanguageToolDetector, models: ModelManager) -> None:
    corrections = set(found(detector, models, LEARNER_TEXT).values())
    assert {("swims", "swim"), ("enjoy to read", "enjoy reading"), ("recived", "received")} <= corrections


def test_rules_measured_imprecise_stay_off(detector: LanguageToolDetector, models: ModelManager) -> None:
    """PERS_PRONOUN_AGREEMENT ("they was") proposed 2 edits on the development essays, none right there:
    too few and too wrong to be kept, though its suggestion here is right."""
    assert "PERS_PRONOUN_AGREEMENT" not in detector.rules
    assert "languagetool:PERS_PRONOUN_AGREEMENT" not in found(detector, models, ISSUE_PARAGRAPH)


def test_a_present_verb_keeps_its_tense(every_rule: LanguageToolDetector, models: ModelManager) -> None:
    text = "My sister is a nurse. She have two children and she live in Leeds."
    corrections = set(found(every_rule, models, text).values())
    assert ("have", "has") in corrections  # not "had", LanguageTool's other suggestion


def test_offsets_are_code_points_in_non_ascii_text(detector: LanguageToolDetector, models: ModelManager) -> None:
    # lt_py counts UTF-8 bytes: "é" is two, the emoji four; the engine's offsets count code points.
    text = "Café 😀 is nice. Naïve Zoë can swims and she enjoy to read in the café."
    detections, _ = detector.detect(models.get().nlp(text))
    places = {(text[d.start:d.end], d.replacement) for d in detections}
    assert ("swims", "swim") in places, places


def test_each_rule_kept_was_measured_precise_enough_and_its_precision_is_the_confidence(
        detector: LanguageToolDetector) -> None:
    measured = load_rule_precision()
    assert measured, "adapters/analysis/data/languagetool_rules.json is missing"
    assert detector.rules
    for rule, confidence in detector.rules.items():
        assert measured[rule].proposed >= MIN_SUPPORT and measured[rule].precision >= KEEP_PRECISION
        assert confidence == round(measured[rule].precision, 3)
    off = [r for r, m in measured.items() if m.precision < KEEP_PRECISION and m.proposed >= MIN_SUPPORT]
    assert off and not set(off) & set(detector.rules)


def test_rules_measured_below_one_half_reach_the_learner_as_hints(detector: LanguageToolDetector,
                                                                  models: ModelManager) -> None:
    detections = detector.detect(models.get().nlp(LEARNER_TEXT))[0]
    assert {d.confidence < HINT_BELOW for d in detections} == {True, False}  # " ," is a hint (0.40)
    for detection in detections:
        error = to_learner_error(LEARNER_TEXT, detection)
        assert error.is_hint == (detection.confidence < HINT_BELOW)
        assert error.detector == "languagetool" and error.confidence == round(detection.confidence, 2)


def test_past_the_deadline_the_rest_of_the_text_goes_unchecked(models: ModelManager) -> None:
    late = LanguageToolDetector(LanguageToolOptions(deadline_seconds=0.0))
    detections, in_time = late.detect(models.get().nlp("They was happy. " * 200))
    assert not in_time and len(detections) < 200


@pytest.fixture(scope="module")
def scheduler() -> Iterator[InferenceScheduler]:
    scheduler = InferenceScheduler(1, 120)
    yield scheduler
    scheduler.close()


def checker_of(models: ModelManager, scheduler: InferenceScheduler, combination: str) -> LocalGrammarChecker:
    options = CheckerOptions.named(combination)
    from dataclasses import replace

    return LocalGrammarChecker(models, ParsedTexts(models), scheduler,
                               replace(options, harper_deadline_seconds=60, languagetool_deadline_seconds=60))


def test_the_checker_composes_it_typed_and_explained(models: ModelManager, scheduler: InferenceScheduler) -> None:
    checker = checker_of(models, scheduler, "languagetool")
    try:
        report = checker.check_sync(LEARNER_TEXT)
    finally:
        checker.close()
    assert checker.engine.model.endswith("+languagetool") and "+0.2.8+0.1.6" in checker.engine.version
    swims = [d for d in report.detections if LEARNER_TEXT[d.start:d.end] == "swims"]
    assert [(d.detector, d.replacement, d.errant_code) for d in swims] == [("languagetool", "swim", "R:VERB:FORM")]


def test_with_harper_and_the_rules_one_edit_per_place(models: ModelManager, scheduler: InferenceScheduler) -> None:
    """LanguageTool and Harper both flag "recived" (and the rules and LanguageTool "can swims"): the checker
    keeps the more confident of each, once."""
    checker = checker_of(models, scheduler, "harper+rules+languagetool")
    try:
        detections = checker.check_sync(LEARNER_TEXT).detections
    finally:
        checker.close()
    spans = [(d.start, d.end) for d in detections]
    assert len(spans) == len(set(spans))
    ordered = sorted(detections, key=lambda d: d.start)
    assert all(a.end <= b.start for a, b in pairwise(ordered))
    recived = [d for d in detections if LEARNER_TEXT[d.start:d.end] == "recived"]
    assert [d.replacement for d in recived] == ["received"]


def test_every_named_combination_with_languagetool_builds(models: ModelManager,
                                                          scheduler: InferenceScheduler) -> None:
    for combination in ("languagetool", "languagetool-all", "harper+rules+languagetool",
                        "harper+rules+tagger+languagetool"):
        options: Any = CheckerOptions.named(combination)
        assert options.languagetool
    assert not CheckerOptions.named("harper+rules+tagger").languagetool
    assert not CheckerOptions.named("languagetool-all").languagetool_calibrated
