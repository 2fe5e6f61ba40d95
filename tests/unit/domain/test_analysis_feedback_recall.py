"""Feedback claims a strength about accuracy only where the engine's measured recall makes silence evidence."""

from __future__ import annotations

from domain.analysis.analysis import to_learner_error
from domain.analysis.errors import Detection, ErrorType, LearnerError
from domain.analysis.feedback import build_feedback
from domain.analysis.metrics import TextMetrics, TextProfile, compute_metrics
from domain.analysis.recall import MIN_RECALL, NOT_MEASURED, MeasuredRecall
from domain.cefr.scale import CefrLevel

TEXT = "I am student at the university and I like my studies very much because our teachers explain them clearly."


def metrics_of(errors: list[LearnerError]) -> TextMetrics:
    tokens = tuple(TEXT.split())
    return compute_metrics(TextProfile(tokens, 1, tuple(CefrLevel.A1 for _ in tokens), rare_words=0), errors)


def test_a_hint_in_an_area_blocks_the_strength_about_it() -> None:
    hint = to_learner_error(TEXT, Detection(5, 12, "a student", "rules:article.missing_after_be", "rules", 0.4))
    assert hint.is_hint and hint.type is ErrorType.ARTICLE
    recall = MeasuredRecall({ErrorType.ARTICLE: 0.9, ErrorType.SPELLING: 0.9}, overall=0.9)
    strengths = build_feedback([hint], metrics_of([hint]), None, recall=recall).strengths
    assert not any("article" in s for s in strengths)
    assert "Good control of spelling." in strengths
    assert "Good control of articles (a, an, the)." in build_feedback([], metrics_of([]), None, recall=recall).strengths


def test_no_control_is_claimed_where_recall_is_too_low_to_know() -> None:
    recall = MeasuredRecall({ErrorType.SPELLING: 0.8, ErrorType.ARTICLE: MIN_RECALL - 0.01}, overall=0.06)
    strengths = build_feedback([], metrics_of([]), None, recall=recall).strengths
    assert "Good control of spelling." in strengths
    assert not any("article" in s or "tense" in s or "agreement" in s for s in strengths)
    assert not any("accurate" in s for s in strengths)  # 6 % of all errors found: few findings prove nothing


def test_unmeasured_claims_nothing_about_accuracy_but_keeps_measured_strengths() -> None:
    feedback = build_feedback([], metrics_of([]), None, recall=NOT_MEASURED)
    assert not any("control" in s or "accurate" in s for s in feedback.strengths)
    assert "You build long, connected sentences." in feedback.strengths  # measured, not inferred


def test_the_recall_table_reads_the_shape_the_evaluation_writes() -> None:
    recall = MeasuredRecall.from_dict({"source": "englivo evaluate grammar", "overall": 0.07,
                                       "by_type": {"article": 0.04, "spelling": 0.55}})
    assert recall.knows(ErrorType.SPELLING) and not recall.knows(ErrorType.ARTICLE)
    assert not recall.knows(ErrorType.TENSE)  # not measured: unknown
    assert not recall.knows_overall()
