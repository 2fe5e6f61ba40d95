"""TextAnalysis to and from plain JSON-able dicts (cache entries, stored results)."""

from __future__ import annotations

from typing import Any

from domain.analysis.analysis import TextAnalysis, error_from_dict
from domain.analysis.errors import ErrorType
from domain.analysis.feedback import Feedback
from domain.analysis.metrics import TextMetrics
from domain.analysis.tasks import PracticeTask
from domain.cefr.assessment import assessment_from_dict
from domain.cefr.scale import CefrLevel
from domain.engines import EngineInfo
from domain.progress.records import LemmaUse


def analysis_from_dict(data: dict[str, Any]) -> TextAnalysis:
    return TextAnalysis(
        errors=tuple(error_from_dict(e) for e in data["errors"]),
        metrics=_metrics(data["metrics"]),
        feedback=Feedback(tuple(data["feedback"]["strengths"]), tuple(data["feedback"]["improvement_areas"]),
                          data["feedback"]["paragraph"]),
        recommended_tasks=tuple(_task(t) for t in data["recommended_tasks"]),
        warnings=tuple(data["warnings"]),
        engines=tuple(EngineInfo(**e) for e in data["engines"]),
        processing_time=float(data["processing_time"]),
        cefr=assessment_from_dict(data["cefr"]) if data.get("cefr") is not None else None,
        vocabulary=tuple(LemmaUse(v["lemma"], CefrLevel(v["level"]) if v["level"] else None)
                         for v in data.get("vocabulary", ())),
    )


def _metrics(data: dict[str, Any]) -> TextMetrics:
    return TextMetrics(**{
        **data,
        "vocabulary_levels": tuple((CefrLevel(level), share) for level, share in data["vocabulary_levels"]),
        "errors_per_100_words_by_type": tuple(
            (ErrorType(t), rate) for t, rate in data["errors_per_100_words_by_type"]),
    })


def _task(data: dict[str, Any]) -> PracticeTask:
    return PracticeTask(**{**data, "level": CefrLevel(data["level"]),
                           "targets": tuple(ErrorType(t) for t in data["targets"])})
