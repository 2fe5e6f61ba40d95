from __future__ import annotations

import pytest

from domain.cefr.distribution import (
    level_for_position,
    level_probabilities,
    level_range,
    place,
    position_from_score,
    score_from_position,
)
from domain.cefr.scale import CefrLevel, CefrThresholds

DEFAULT = CefrThresholds()


@pytest.mark.parametrize(("position", "score"), [(0.5, 0.0), (1.5, 30.0), (2.0, 37.5), (5.5, 90.0), (6.5, 100.0)])
def test_positions_map_through_the_thresholds(position: float, score: float) -> None:
    assert score_from_position(position, DEFAULT) == pytest.approx(score)
    assert position_from_score(score, DEFAULT) == pytest.approx(position)


@pytest.mark.parametrize("position", [0.7, 1.2, 1.6, 2.49, 2.51, 3.9, 4.6, 5.49, 6.2])
def test_level_from_score_agrees_with_the_band_of_the_position(position: float) -> None:
    assert DEFAULT.level_for(score_from_position(position, DEFAULT)) is level_for_position(position)


def test_custom_thresholds_move_the_score_but_not_the_band() -> None:
    strict = CefrThresholds((20.0, 40.0, 55.0, 70.0, 85.0))
    assert score_from_position(1.5, strict) == pytest.approx(20.0)
    assert strict.level_for(score_from_position(2.2, strict)) is CefrLevel.A2


def test_probabilities_sum_to_one_and_peak_at_the_mean() -> None:
    probs = level_probabilities(3.1, 0.6)
    assert sum(p.probability for p in probs) == pytest.approx(1.0, abs=1e-3)
    assert max(probs, key=lambda p: p.probability).level is CefrLevel.B1


def test_a_wider_spread_lowers_confidence_and_widens_the_range() -> None:
    narrow = place(3.0, 0.4, 200, DEFAULT)
    wide = place(3.0, 1.2, 200, DEFAULT)
    assert narrow.confidence > wide.confidence
    assert len(wide.range) > len(narrow.range)


def test_short_input_is_rough_and_gets_a_wider_range() -> None:
    long = place(2.0, 0.6, 150, DEFAULT)
    short = place(2.0, 0.6, 6, DEFAULT)
    assert short.rough and not long.rough
    assert short.confidence < long.confidence
    assert len(short.range) >= len(long.range)


def test_range_is_contiguous_and_contains_the_level() -> None:
    probs = level_probabilities(4.4, 0.8)
    spread = level_range(probs, CefrLevel.B2, 0.9)
    ranks = [lv.rank for lv in spread]
    assert CefrLevel.B2 in spread
    assert ranks == list(range(ranks[0], ranks[-1] + 1))
    assert sum(p.probability for p in probs if p.level in spread) >= 0.9


def test_sigma_must_be_positive() -> None:
    with pytest.raises(ValueError, match="sigma"):
        level_probabilities(3.0, 0.0)
