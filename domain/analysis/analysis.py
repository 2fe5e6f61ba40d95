"""The result of analysing a learner's text, and how a detection becomes an error a learner reads."""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from enum import Enum
from typing import Any

from domain.analysis.errors import Detection, ErrorType, LearnerError, Severity, TextSpan, utf16_offset
from domain.analysis.feedback import Feedback
from domain.analysis.l1 import l1_note
from domain.analysis.metrics import TextMetrics
from domain.analysis.tasks import PracticeTask
from domain.analysis.taxonomy import explanation_of, learner_type, severity_of
from domain.cefr.assessment import CefrAssessment
from domain.engines import EngineInfo
from domain.progress.records import LemmaUse

HINT_BELOW = 0.5  # detections less sure than this are shown as hints, not corrections


class TextKind(str, Enum):
    WRITTEN = "written"
    SPOKEN = "spoken"


@dataclass(frozen=True)
class TextAnalysis:
    errors: tuple[LearnerError, ...]
    metrics: TextMetrics
    feedback: Feedback
    recommended_tasks: tuple[PracticeTask, ...]
    warnings: tuple[str, ...]
    engines: tuple[EngineInfo, ...]
    processing_time: float
    cefr: CefrAssessment | None = None  # None when the CEFR capability is switched off
    # the content words used, for the learner's vocabulary growth (stored, not shown in the API)
    vocabulary: tuple[LemmaUse, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        plain: dict[str, Any] = _plain(self)
        return plain


def _plain(value: Any) -> Any:
    """JSON-ready: dataclasses and dicts as dicts, enums as values, tuples as lists. Walked once (`asdict`
    deep-copied every value and the dict factory then walked the copy again: a batch of 100 texts spent
    seconds of CPU here)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def to_learner_error(text: str, detection: Detection, native_language: str | None = None) -> LearnerError:
    original = text[detection.start:detection.end]
    corrected = detection.replacement
    error_type = learner_type(detection.rule, detection.errant_code, original, corrected)
    details = {"marker": detection.message or ""} if detection.rule.endswith("past_time_marker") else {}
    explanation = explanation_of(detection.rule, error_type, original.strip(), corrected.strip(),
                                 detection.errant_code, detection.evidence, **details)
    note = l1_note(native_language, error_type)
    if note:
        explanation = f"{explanation} {note}"
    hint = detection.confidence < HINT_BELOW
    return LearnerError(
        type=error_type,
        severity=Severity.MINOR if hint else severity_of(detection.rule, detection.errant_code, error_type),
        start=detection.start,
        end=detection.end,
        start_utf16=utf16_offset(text, detection.start),
        end_utf16=utf16_offset(text, detection.end),
        original_text=original,
        corrected_text=corrected,
        explanation=explanation,
        suggestion=_suggestion(original, corrected, hint),
        rule=detection.rule,
        detector=detection.detector,
        confidence=round(detection.confidence, 2),
        is_hint=hint,
    )


def _suggestion(original: str, corrected: str, hint: bool) -> str:
    if not corrected.strip():
        return f"Delete '{original.strip()}'."
    change = f"'{original.strip()}' → '{corrected.strip()}'" if original.strip() else f"add '{corrected.strip()}'"
    return f"Check this: maybe {change}." if hint else f"Write {change}."


def error_from_dict(data: dict[str, Any]) -> LearnerError:
    """Also reads errors stored before findings were grouped (one place each, no `occurrences`)."""
    return LearnerError(**{**data, "type": ErrorType(data["type"]), "severity": Severity(data["severity"]),
                           "occurrences": tuple(TextSpan(**o) for o in data.get("occurrences", ()))})
