"""The CEFR levels and the engine's 0-100 score scale."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from itertools import pairwise


class CefrLevel(str, Enum):
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"

    @property
    def rank(self) -> int:
        return LEVELS.index(self)

    def next(self) -> CefrLevel | None:
        return LEVELS[self.rank + 1] if self.rank + 1 < len(LEVELS) else None


LEVELS: tuple[CefrLevel, ...] = tuple(CefrLevel)
SCORE_MIN = 0.0
SCORE_MAX = 100.0
DEFAULT_UPPER_BOUNDS = (30.0, 45.0, 60.0, 75.0, 90.0)


@dataclass(frozen=True)
class CefrThresholds:
    """Inclusive upper score bound of A1..C1; anything above the last bound is C2."""

    upper_bounds: tuple[float, ...] = DEFAULT_UPPER_BOUNDS

    def __post_init__(self) -> None:
        problem = threshold_problem(self.upper_bounds)
        if problem:
            raise ValueError(problem)

    def level_for(self, score: float) -> CefrLevel:
        for level, bound in zip(LEVELS, self.upper_bounds, strict=False):
            if score <= bound:
                return level
        return CefrLevel.C2

    def band(self, level: CefrLevel) -> tuple[float, float]:
        """The score interval (lower, upper] that maps to `level`."""
        lower = SCORE_MIN if level.rank == 0 else self.upper_bounds[level.rank - 1]
        upper = SCORE_MAX if level is CefrLevel.C2 else self.upper_bounds[level.rank]
        return lower, upper


def threshold_problem(bounds: tuple[float, ...]) -> str | None:
    """Why `bounds` cannot be CEFR thresholds, or None when they can."""
    if len(bounds) != len(LEVELS) - 1:
        return f"expected {len(LEVELS) - 1} upper bounds (A1..C1), got {len(bounds)}"
    if any(not SCORE_MIN < b < SCORE_MAX for b in bounds):
        return f"every bound must lie strictly between {SCORE_MIN:g} and {SCORE_MAX:g}"
    if any(a >= b for a, b in pairwise(bounds)):
        return "bounds must increase strictly from A1 to C1"
    return None
