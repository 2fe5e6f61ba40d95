"""PronunciationAssessment <-> JSON-ready dicts, for the cache and for stored results."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from domain.engines import EngineInfo
from domain.pronunciation.assessment import (
    PhonemeScore,
    PronunciationAssessment,
    PronunciationScores,
    SpeechMetrics,
    WordErrorKind,
    WordScore,
)


def assessment_to_json(assessment: PronunciationAssessment) -> dict[str, Any]:
    data = asdict(assessment)
    for word in data["words"]:
        word["error"] = WordErrorKind(word["error"]).value
    return data


def assessment_from_json(data: dict[str, Any]) -> PronunciationAssessment:
    words = tuple(
        WordScore(**{**w, "error": WordErrorKind(w["error"]),
                     "phonemes": tuple(PhonemeScore(**p) for p in w["phonemes"])})
        for w in data["words"]
    )
    return PronunciationAssessment(
        reference_text=data["reference_text"], scores=PronunciationScores(**data["scores"]), words=words,
        metrics=SpeechMetrics(**data["metrics"]), engine=EngineInfo(**data["engine"]),
        common_issues=tuple(data["common_issues"]), improvement_tips=tuple(data["improvement_tips"]),
        words_to_practise=tuple(data["words_to_practise"]), scripted=data["scripted"],
        warnings=tuple(data["warnings"]), processing_time=data["processing_time"],
    )
