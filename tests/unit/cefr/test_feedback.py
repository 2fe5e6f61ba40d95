from __future__ import annotations

from domain.cefr.assessment import TextKind
from domain.cefr.feedback import (
    explain,
    grammar_feedback,
    metric_feedback,
    vocabulary_feedback,
    vocabulary_level,
)
from domain.cefr.profile import Direction, LevelNorms, Metric, Norm, Structure, StructureUse, TextProfile
from domain.cefr.scale import CefrLevel as L

PAST_SIMPLE = Structure("TA.PAST.do.AFF", "past simple", L.A1)
PAST_CONT = Structure("TA.PASTPRG.AFF", "past continuous", L.A2)
RELATIVE = Structure("PREL.NR", "non-defining relative clauses", L.B1)
SECOND_COND = Structure("SUBJ.PAST.AFF", "second conditional", L.B1)
THIRD_COND = Structure("SUBJ.PASTPF.AFF", "third conditional", L.C1)
CATALOGUE = (PAST_SIMPLE, PAST_CONT, RELATIVE, SECOND_COND, THIRD_COND)
SENTENCE_LENGTH = Metric("mean_sentence_length", "sentence length", "words per sentence", Direction.HIGHER_IS_BETTER)
SPELLING = Metric("spelling_errors_per_100", "spelling", "errors per 100 words", Direction.LOWER_IS_BETTER)
FILLERS = Metric("fillers_per_100", "fillers", "per 100 words", Direction.LOWER_IS_BETTER, spoken_only=True)
NORMS = (
    LevelNorms(
        SENTENCE_LENGTH,
        {L.A2: Norm(8, 10, 12), L.B1: Norm(11, 14, 17), L.C1: Norm(15, 19, 23), L.C2: Norm(17, 21, 25)},
    ),
    LevelNorms(SPELLING, {L.A2: Norm(1, 3, 5), L.B1: Norm(0.5, 2, 3), L.C1: Norm(0, 0.5, 1), L.C2: Norm(0, 0, 1)}),
    LevelNorms(FILLERS, {L.A2: Norm(5, 8, 12), L.B1: Norm(3, 6, 9)}),
)


def profile(**overrides: object) -> TextProfile:
    base: dict[str, object] = {
        "kind": TextKind.WRITTEN,
        "word_count": 80,
        "sentence_count": 8,
        "vocabulary_share": {L.A1: 0.7, L.A2: 0.3},
        "words_by_level": {L.A1: ("like", "go", "good"), L.A2: ("holiday", "beach")},
        "structures": (StructureUse(PAST_SIMPLE, ("went",)),),
        "metrics": {"mean_sentence_length": 7.0, "spelling_errors_per_100": 6.0, "fillers_per_100": 20.0},
        "examples": {"spelling_errors_per_100": ("beatiful",), "simple_sentences": ("I like it.",)},
    }
    base.update(overrides)
    return TextProfile(**base)  # type: ignore[arg-type]


def test_vocabulary_level_is_the_highest_level_with_a_noticeable_share() -> None:
    assert vocabulary_level(profile()) is L.A2
    assert vocabulary_level(profile(vocabulary_share={L.A1: 0.97, L.B2: 0.03})) is L.A1


def test_mostly_basic_vocabulary_is_a_weakness_that_quotes_the_words() -> None:
    fb = vocabulary_feedback(profile(), L.B1)
    assert fb.weaknesses[0].detail.startswith("Uses mostly A2 vocabulary")
    assert "holiday" in fb.weaknesses[0].examples
    assert fb.next_level_requirements[0].label == "B2 vocabulary"


def test_vocabulary_at_or_above_the_level_is_a_strength_with_the_advanced_words() -> None:
    p = profile(
        vocabulary_share={L.A1: 0.6, L.B2: 0.25, L.C1: 0.15},
        words_by_level={L.A1: ("go",), L.B2: ("reluctant",), L.C1: ("ubiquitous",)},
    )
    fb = vocabulary_feedback(p, L.B2)
    assert fb.strengths and fb.strengths[0].examples == ("ubiquitous", "reluctant")


def test_next_level_grammar_names_missing_structures_and_quotes_simple_sentences() -> None:
    fb = grammar_feedback(profile(), L.A2, CATALOGUE)
    need = fb.next_level_requirements[0]
    assert need.label == "B1 grammar"
    assert "non-defining relative clauses" in need.detail and "past continuous" in need.detail
    assert need.examples == ("I like it.",)


def test_structures_at_the_level_are_strengths_with_the_learners_examples() -> None:
    uses = (StructureUse(THIRD_COND, ("If I had known",)), StructureUse(PAST_SIMPLE, ("went",)))
    fb = grammar_feedback(profile(structures=uses), L.C1, CATALOGUE)
    assert fb.strengths[0].label == "third conditional"
    assert fb.strengths[0].examples == ("If I had known",)


def test_metrics_compare_against_the_level_and_the_next_level() -> None:
    fb = metric_feedback(profile(), L.A2, NORMS)
    labels = {e.label for e in fb.weaknesses}
    assert labels == {"sentence length", "spelling"}
    spelling = next(e for e in fb.weaknesses if e.label == "spelling")
    assert spelling.examples == ("beatiful",)
    assert {e.label for e in fb.next_level_requirements} == {"sentence length", "spelling"}


def test_spoken_only_metrics_are_ignored_for_writing_and_used_for_speech() -> None:
    written = metric_feedback(profile(), L.A2, NORMS)
    spoken = metric_feedback(profile(kind=TextKind.SPOKEN), L.A2, NORMS)
    assert "fillers" not in {e.label for e in written.weaknesses}
    assert "fillers" in {e.label for e in spoken.weaknesses}


def test_a_better_than_typical_metric_is_a_strength() -> None:
    p = profile(metrics={"mean_sentence_length": 16.0, "spelling_errors_per_100": 0.0})
    fb = metric_feedback(p, L.A2, NORMS)
    assert {e.label for e in fb.strengths} == {"sentence length", "spelling"}


def test_short_texts_get_no_metric_feedback() -> None:
    assert metric_feedback(profile(word_count=6), L.A1, NORMS).weaknesses == ()


def test_top_level_has_no_next_level_requirements() -> None:
    fb = explain(profile(), L.C2, NORMS, CATALOGUE)
    assert fb.next_level_requirements == ()
