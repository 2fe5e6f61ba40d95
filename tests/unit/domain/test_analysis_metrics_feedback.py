"""Metrics, feedback, practice tasks, the M2 scorer and the analysis codec: pure functions."""

from __future__ import annotations

import json

from domain.analysis.analysis import TextAnalysis, to_learner_error
from domain.analysis.codec import analysis_from_dict
from domain.analysis.errors import Detection, ErrorType
from domain.analysis.feedback import build_feedback, error_counts
from domain.analysis.m2 import Counts, M2Edit, correction_counts, detection_counts, parse_m2
from domain.analysis.metrics import TextProfile, compute_metrics, flesch_reading_ease, mtld, syllables
from domain.analysis.recall import MeasuredRecall
from domain.analysis.tasks import CATALOGUE, recommend
from domain.cefr.assessment import CefrAssessment, Evidence, FeatureValue, LevelProbability, TextKind
from domain.cefr.scale import LEVELS, CefrLevel
from domain.engines import EngineInfo

L = CefrLevel


def profile(words: str, sentences: int = 1) -> TextProfile:
    tokens = tuple(words.split())
    return TextProfile(tokens, sentences, tuple(L.A1 if len(w) < 6 else L.B2 for w in tokens), rare_words=1)


def test_mtld_is_low_for_repetition_and_high_for_variety() -> None:
    repeated = ["the", "cat"] * 50
    varied = [f"word{i}" for i in range(100)]
    assert mtld(repeated) < 5 < 50 < mtld(varied)
    assert mtld([]) == 0.0


def test_syllables_and_readability() -> None:
    assert [syllables(w) for w in ("cat", "water", "beautiful", "make")] == [1, 2, 3, 1]
    easy = flesch_reading_ease(["The", "cat", "sat", "on", "the", "mat"], 1)
    hard = flesch_reading_ease(["Institutional", "considerations", "necessitate", "comprehensive", "reevaluation"], 1)
    assert easy > 90 > 0 > hard


def test_metrics_count_words_levels_and_errors_per_hundred_words() -> None:
    text = "Yesterday I eat rice and beautiful vegetables"
    error = to_learner_error(text, Detection(12, 15, "ate", "rules:tense.past_time_marker", "rules", 0.8))
    hint = to_learner_error(text, Detection(16, 20, "some rice", "rules:article.missing_before_object", "rules", 0.4))
    metrics = compute_metrics(profile(text), [error, hint])
    assert (metrics.words, metrics.sentences, metrics.mean_sentence_length) == (7, 1, 7.0)
    assert metrics.errors_per_100_words == round(100 / 7, 2)  # the hint does not count
    assert metrics.errors_per_100_words_by_type == ((ErrorType.TENSE, round(100 / 7, 2)),)
    assert dict(metrics.vocabulary_levels)[L.B2] == round(3 / 7, 3)
    assert metrics.rare_word_share == round(1 / 7, 3)


def test_feedback_names_strengths_the_main_area_and_the_l1_note() -> None:
    text = "I am student. He am teacher."
    errors = [to_learner_error(text, Detection(5, 12, "a student", "rules:article.missing_after_be", "rules", 0.7)),
              to_learner_error(text, Detection(20, 27, "a teacher", "rules:article.missing_after_be", "rules", 0.7))]
    metrics = compute_metrics(profile(text, 2), errors)
    spelling_measured = MeasuredRecall({ErrorType.SPELLING: 0.6, ErrorType.TENSE: 0.1}, overall=0.1)
    feedback = build_feedback(errors, metrics, L.A2, native_language="pl", recall=spelling_measured)
    assert feedback.improvement_areas == ("Articles (a, an, the): 2 errors",)
    assert "Good control of spelling." in feedback.strengths
    assert not any("tense" in s or "articles" in s for s in feedback.strengths)
    assert "level A2" in feedback.paragraph and "no articles" in feedback.paragraph


def test_feedback_without_errors_encourages_a_stretch() -> None:
    metrics = compute_metrics(profile("The harbour was quiet"), [])
    feedback = build_feedback([], metrics, None)
    assert feedback.improvement_areas == () and "no clear errors" in feedback.paragraph


def test_tasks_target_the_most_frequent_errors_near_the_level() -> None:
    counts = [(ErrorType.TENSE, 3), (ErrorType.ARTICLE, 1)]
    tasks = recommend(counts, L.A2)
    assert [t.id for t in tasks] == ["past-simple", "articles-the"]  # just above A2 before below it
    assert recommend([(ErrorType.TENSE, 1)], L.B2)[0].id == "tenses-mixed"
    assert recommend([], L.B1)[0].level.rank >= L.B2.rank
    assert len({t.id for t in CATALOGUE}) == len(CATALOGUE)
    assert {t for task in CATALOGUE for t in task.targets} >= {ErrorType.ARTICLE, ErrorType.TENSE,
                                                               ErrorType.PREPOSITION, ErrorType.AGREEMENT}


M2 = """S I likes apple .
A 1 2|||R:VERB:SVA|||like|||REQUIRED|||-NONE-|||0
A 2 2|||M:DET|||an|||REQUIRED|||-NONE-|||0
A 3 3|||UNK|||apple|||REQUIRED|||-NONE-|||0

S All is well .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0
"""


def test_m2_blocks_and_span_level_scores() -> None:
    first, second = parse_m2(M2)
    assert first.tokens == ("I", "likes", "apple", ".") and len(first.edits) == 3 and second.edits == ()
    hypothesis = [M2Edit(1, 2, "R:VERB:SVA", "like"), M2Edit(2, 3, "R:NOUN:NUM", "apples")]
    assert correction_counts(hypothesis, first.edits) == Counts(tp=1, fp=1, fn=1)
    assert detection_counts(hypothesis, first.edits) == Counts(tp=1, fp=1, fn=2)
    assert Counts(1, 1, 1).scores() == (0.5, 0.5, 0.5)
    assert Counts(0, 0, 3).scores()[0] == 1.0  # ERRANT: nothing proposed is precision 1


def test_an_analysis_survives_the_round_trip_through_json() -> None:
    text = "Yesterday I eat rice."
    errors = (to_learner_error(text, Detection(12, 15, "ate", "rules:tense.past_time_marker", "rules", 0.8,
                                               "R:VERB:TENSE")),)
    metrics = compute_metrics(profile(text), errors)
    analysis = TextAnalysis(errors, metrics, build_feedback(errors, metrics, None),
                            tuple(recommend(error_counts(errors), None)), ("a warning",),
                            (EngineInfo("analysis", "local", "m", "1"),), 0.12, cefr=ASSESSMENT)
    again = analysis_from_dict(json.loads(json.dumps(analysis.to_dict())))
    assert again == analysis and isinstance(again.cefr, CefrAssessment)


ASSESSMENT = CefrAssessment(
    level=L.A2, score=41.5, confidence=0.55, range=(L.A2, L.B1),
    probabilities=tuple(LevelProbability(level, 0.55 if level is L.A2 else 0.09) for level in LEVELS),
    strengths=(Evidence("Past time", "Marks the past with 'yesterday'.", ("Yesterday",)),),
    weaknesses=(Evidence("Verb tense", "Present for past.", ("eat",)),),
    next_level_requirements=(Evidence("B1 linking", "Join ideas with 'because'.", ()),),
    features=(FeatureValue("words", 4.0),), model_version="m-1", kind=TextKind.SPOKEN, word_count=4, rough=True,
    warnings=("short text",),
)
