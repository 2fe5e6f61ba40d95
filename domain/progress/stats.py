"""Small statistics for trends: a least-squares line with its standard error, and smoothing."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Two-sided 95% critical values of Student's t by degrees of freedom; 1.96 beyond the table.
T_975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
         2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
         2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042)


@dataclass(frozen=True)
class Line:
    slope: float
    intercept: float
    standard_error: float | None  # None with fewer than three points (no residual degrees of freedom)
    n: int

    @property
    def significant(self) -> bool:
        """The slope differs from zero at the 5% level (two-sided t test)."""
        if self.standard_error is None:
            return False
        if self.standard_error == 0:
            return self.slope != 0
        return abs(self.slope) > t_critical(self.n - 2) * self.standard_error


def t_critical(degrees_of_freedom: int) -> float:
    if degrees_of_freedom < 1:
        return math.inf
    return T_975[degrees_of_freedom - 1] if degrees_of_freedom <= len(T_975) else 1.96


def least_squares(xs: Sequence[float], ys: Sequence[float]) -> Line | None:
    """Ordinary least squares of y on x; None with fewer than two points or no spread in x."""
    n = len(xs)
    if n != len(ys):
        raise ValueError("xs and ys differ in length")
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = mean_y - slope * mean_x
    if n < 3:
        return Line(slope, intercept, None, n)
    residuals = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
    return Line(slope, intercept, math.sqrt(residuals / (n - 2) / sxx), n)


def smoothed(values: Sequence[float], alpha: float = 0.4) -> list[float]:
    """Exponential moving average: each point leans `alpha` on itself and the rest on the past."""
    out: list[float] = []
    for value in values:
        out.append(value if not out else alpha * value + (1 - alpha) * out[-1])
    return out
