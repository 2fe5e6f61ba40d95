"""What the feature extractor saw in a text, in terms the feedback rules can explain."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from domain.cefr.assessment import TextKind
from domain.cefr.scale import CefrLevel


@dataclass(frozen=True)
class Structure:
    """A grammar item of the CEFR-J Grammar Profile the engine can detect."""

    code: str
    label: str
    level: CefrLevel


@dataclass(frozen=True)
class StructureUse:
    structure: Structure
    examples: tuple[str, ...]


class Direction(int, Enum):
    HIGHER_IS_BETTER = 1
    LOWER_IS_BETTER = -1


@dataclass(frozen=True)
class Metric:
    """A feature the learner can act on, with a learner-facing description of it."""

    name: str
    label: str
    unit: str
    direction: Direction
    spoken_only: bool = False


@dataclass(frozen=True)
class Norm:
    """Typical values of a metric at one level: the quartiles observed in the training texts."""

    low: float
    median: float
    high: float


@dataclass(frozen=True)
class LevelNorms:
    metric: Metric
    by_level: Mapping[CefrLevel, Norm]


@dataclass(frozen=True)
class TextProfile:
    kind: TextKind
    word_count: int
    sentence_count: int
    vocabulary_share: Mapping[CefrLevel, float]
    """Share of the listed content words at each level (sums to 1 when any were listed)."""
    words_by_level: Mapping[CefrLevel, tuple[str, ...]]
    """The learner's own content words at each level, most frequent first."""
    structures: tuple[StructureUse, ...]
    metrics: Mapping[str, float]
    examples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Quotes that illustrate a metric (e.g. the misspelt words, the shortest sentences), by metric name."""

    def used_codes(self) -> frozenset[str]:
        return frozenset(use.structure.code for use in self.structures)
