"""From a model's predictive distribution to a score, level probabilities, confidence and a level range.

Models predict a *position* on a continuous 1-6 scale (1 = A1 ... 6 = C2, level k spans k-0.5..k+0.5)
with a standard deviation. Positions map onto the 0-100 score piecewise linearly through the configured
thresholds, so the level read from the score always equals the level of the band the position falls in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from domain.cefr.assessment import LevelProbability
from domain.cefr.scale import LEVELS, SCORE_MAX, SCORE_MIN, CefrLevel, CefrThresholds

POSITION_MIN = 0.5
POSITION_MAX = len(LEVELS) + 0.5
ROUGH_BELOW_WORDS = 20
ROUGH_SIGMA_FACTOR = 1.5
DEFAULT_COVERAGE = 0.8


def _knots(thresholds: CefrThresholds) -> list[tuple[float, float]]:
    edges = [POSITION_MIN + i for i in range(len(LEVELS) + 1)]
    scores = [SCORE_MIN, *thresholds.upper_bounds, SCORE_MAX]
    return list(zip(edges, scores, strict=True))


def score_from_position(position: float, thresholds: CefrThresholds) -> float:
    knots = _knots(thresholds)
    p = min(max(position, POSITION_MIN), POSITION_MAX)
    for (p0, s0), (p1, s1) in pairwise(knots):
        if p <= p1:
            return s0 + (s1 - s0) * (p - p0) / (p1 - p0)
    return SCORE_MAX


def position_from_score(score: float, thresholds: CefrThresholds) -> float:
    knots = _knots(thresholds)
    s = min(max(score, SCORE_MIN), SCORE_MAX)
    for (p0, s0), (p1, s1) in pairwise(knots):
        if s <= s1:
            return p0 + (p1 - p0) * (s - s0) / (s1 - s0)
    return POSITION_MAX


def level_for_position(position: float) -> CefrLevel:
    index = min(max(round(position - 1e-9), 1), len(LEVELS)) - 1
    return LEVELS[index]


def _normal_cdf(x: float, mean: float, sigma: float) -> float:
    return 0.5 * (1.0 + math.erf((x - mean) / (sigma * math.sqrt(2.0))))


def level_probabilities(mean: float, sigma: float) -> tuple[LevelProbability, ...]:
    """Mass of Normal(mean, sigma) in each level's band; the outer bands are open-ended."""
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    cuts = [_normal_cdf(POSITION_MIN + i, mean, sigma) for i in range(1, len(LEVELS))]
    upper = [*cuts, 1.0]
    lower = [0.0, *cuts]
    return tuple(
        LevelProbability(level, round(hi - lo, 4)) for level, lo, hi in zip(LEVELS, lower, upper, strict=True)
    )


def level_range(
    probabilities: tuple[LevelProbability, ...], centre: CefrLevel, coverage: float = DEFAULT_COVERAGE
) -> tuple[CefrLevel, ...]:
    """The contiguous levels around `centre` that together hold at least `coverage` of the probability,
    growing towards the likelier neighbour first."""
    mass = {p.level: p.probability for p in probabilities}
    low = high = centre.rank
    total = mass.get(centre, 0.0)
    while total < coverage and (low > 0 or high < len(LEVELS) - 1):
        below = mass.get(LEVELS[low - 1], -1.0) if low > 0 else -1.0
        above = mass.get(LEVELS[high + 1], -1.0) if high < len(LEVELS) - 1 else -1.0
        if above >= below:
            high += 1
            total += above
        else:
            low -= 1
            total += below
    return LEVELS[low : high + 1]


@dataclass(frozen=True)
class Placement:
    level: CefrLevel
    score: float
    confidence: float
    probabilities: tuple[LevelProbability, ...]
    range: tuple[CefrLevel, ...]
    rough: bool


def place(
    mean: float, sigma: float, word_count: int, thresholds: CefrThresholds, coverage: float = DEFAULT_COVERAGE
) -> Placement:
    """Score, level, probabilities and range for a prediction. Below `ROUGH_BELOW_WORDS` words the
    estimate is rough: the spread widens, so the probabilities flatten and the range grows."""
    rough = word_count < ROUGH_BELOW_WORDS
    spread = sigma * ROUGH_SIGMA_FACTOR if rough else sigma
    score = round(score_from_position(mean, thresholds), 1)
    level = thresholds.level_for(score)
    probabilities = level_probabilities(mean, spread)
    confidence = next(p.probability for p in probabilities if p.level is level)
    spread_levels = level_range(probabilities, level, coverage)
    return Placement(level, score, confidence, probabilities, spread_levels, rough)
