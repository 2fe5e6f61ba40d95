"""How much of each error type the engine is measured to find: what lets feedback say a text has none.

A text without findings of a type only shows the learner controls it when the engine would have found
such errors. The table comes from `englivo evaluate grammar --recall-out` on development data (see
BENCHMARKS.md); its values are detection recall: the share of annotated errors of a type whose span the
engine flagged, whatever correction it proposed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.analysis.errors import ErrorType

# Below one half, most errors of a type go unseen: silence then says more about the engine than the learner
# (a text with two such errors would show neither at least a quarter of the time).
MIN_RECALL = 0.5


@dataclass(frozen=True)
class MeasuredRecall:
    """Detection recall per learner error type, and over all types; an unmeasured type counts as 0."""

    by_type: Mapping[ErrorType, float] = field(default_factory=dict)
    overall: float = 0.0
    source: str = "not measured"

    def knows(self, error_type: ErrorType, threshold: float = MIN_RECALL) -> bool:
        """Whether finding no error of this type is evidence that the text has none."""
        return self.by_type.get(error_type, 0.0) >= threshold

    def knows_overall(self, threshold: float = MIN_RECALL) -> bool:
        return self.overall >= threshold

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MeasuredRecall:
        """The shape `evaluate grammar --recall-out` writes: {"overall": r, "by_type": {"article": r, ...}}."""
        by_type = {ErrorType(name): float(value) for name, value in data.get("by_type", {}).items()}
        return cls(by_type, float(data.get("overall", 0.0)), str(data.get("source", "")))


NOT_MEASURED = MeasuredRecall()
