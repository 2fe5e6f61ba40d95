"""What each capability's result contributes to a learner's progress (domain.progress.ProgressEntry)."""

from __future__ import annotations

from typing import Any

from domain.analysis.analysis import TextAnalysis
from domain.cefr.scale import CefrLevel
from domain.progress.records import ErrorOccurrence, ProgressEntry
from domain.results import StoredResult


def entry_from_text_analysis(result: StoredResult, analysis: TextAnalysis, scoring_version: str) -> ProgressEntry:
    """Hints are left out: a pattern the engine is unsure of should not drive a learner's recommendations."""
    errors = tuple(
        ErrorOccurrence(type=e.type.value, rule=e.rule or None, example=f"{e.original_text} → {e.corrected_text}")
        for e in analysis.errors if not e.is_hint
    )
    score, level = _cefr(analysis.cefr)
    return ProgressEntry(
        result_id=result.id, user_id=result.user_id, session_id=result.session_id or result.id,
        kind=result.kind, at=result.created_at, engine_version=result.engine_version,
        scoring_version=scoring_version, words=analysis.metrics.words, cefr_score=score, cefr_level=level,
        errors=errors,
    )


def _cefr(assessment: Any) -> tuple[float | None, CefrLevel | None]:
    """The CEFR assessment when the CEFR capability is plugged in (an object or its JSON form)."""
    if assessment is None:
        return None, None
    score = getattr(assessment, "score", None) if not isinstance(assessment, dict) else assessment.get("score")
    level = getattr(assessment, "level", None) if not isinstance(assessment, dict) else assessment.get("level")
    return (float(score) if score is not None else None,
            CefrLevel(level.value if hasattr(level, "value") else level) if level else None)
