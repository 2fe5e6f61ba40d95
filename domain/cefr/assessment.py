"""What a CEFR assessment says about a text, in learner terms."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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
