"""What a CEFR assessment says about a text, in learner terms."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.cefr.scale import CefrLevel


class TextKind(StrEnum):
    WRITTEN = "WRITTEN"
    SPOKEN = "SPOKEN"


@dataclass(frozen=True)
class Evidence:
    """One observation about the text; `examples` quote the learner's own words or structures."""

    label: str
    detail: str
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class LevelProbability:
    level: CefrLevel
    probability: float


@dataclass(frozen=True)
class FeatureValue:
    name: str
    value: float


@dataclass(frozen=True)
class CefrAssessment:
    level: CefrLevel
    score: float
    confidence: float
    range: tuple[CefrLevel, ...]
    probabilities: tuple[LevelProbability, ...]
    strengths: tuple[Evidence, ...]
    weaknesses: tuple[Evidence, ...]
    next_level_requirements: tuple[Evidence, ...]
    features: tuple[FeatureValue, ...]
    model_version: str
    kind: TextKind = TextKind.WRITTEN
    word_count: int = 0
    rough: bool = False
    warnings: tuple[str, ...] = ()

    def probability_of(self, level: CefrLevel) -> float:
        return next((p.probability for p in self.probabilities if p.level is level), 0.0)


def _evidence(items: list[dict[str, Any]]) -> tuple[Evidence, ...]:
    return tuple(Evidence(e["label"], e["detail"], tuple(e["examples"])) for e in items)


def assessment_from_dict(d: Mapping[str, Any]) -> CefrAssessment:
    """The assessment back from its JSON form (`dataclasses.asdict`): cache entries, stored analyses and jobs."""
    return CefrAssessment(
        level=CefrLevel(d["level"]),
        score=float(d["score"]),
        confidence=float(d["confidence"]),
        range=tuple(CefrLevel(lv) for lv in d["range"]),
        probabilities=tuple(LevelProbability(CefrLevel(p["level"]), p["probability"]) for p in d["probabilities"]),
        strengths=_evidence(d["strengths"]),
        weaknesses=_evidence(d["weaknesses"]),
        next_level_requirements=_evidence(d["next_level_requirements"]),
        features=tuple(FeatureValue(f["name"], f["value"]) for f in d["features"]),
        model_version=d["model_version"],
        kind=TextKind(d["kind"]),
        word_count=int(d["word_count"]),
        rough=bool(d["rough"]),
        warnings=tuple(d["warnings"]),
    )
