import pytest

from domain.cefr.scale import CefrLevel, CefrThresholds, threshold_problem


@pytest.mark.parametrize(
    ("score", "level"),
    [(0, "A1"), (30, "A1"), (30.01, "A2"), (45, "A2"), (59.9, "B1"), (75, "B2"), (90, "C1"), (90.5, "C2"),
     (100, "C2")],
)
def test_default_thresholds_map_scores_to_levels(score: float, level: str) -> None:
    assert CefrThresholds().level_for(score) is CefrLevel(level)


def test_custom_thresholds_move_the_boundaries() -> None:
    thresholds = CefrThresholds((20, 40, 60, 80, 95))
    assert thresholds.level_for(25) is CefrLevel.A2
    assert thresholds.level_for(96) is CefrLevel.C2


def test_band_is_the_interval_of_a_level() -> None:
    thresholds = CefrThresholds()
    assert thresholds.band(CefrLevel.A1) == (0.0, 30.0)
    assert thresholds.band(CefrLevel.B2) == (60.0, 75.0)
    assert thresholds.band(CefrLevel.C2) == (90.0, 100.0)


@pytest.mark.parametrize(
    ("bounds", "problem"),
    [((30, 45, 60, 75), "expected 5"), ((30, 20, 60, 75, 90), "increase"), ((0, 45, 60, 75, 90), "between"),
     ((30, 45, 60, 75, 100), "between")],
)
def test_invalid_thresholds_are_refused_with_the_reason(bounds: tuple[float, ...], problem: str) -> None:
    assert problem in (threshold_problem(bounds) or "")
    with pytest.raises(ValueError, match=problem):
        CefrThresholds(bounds)


def test_levels_are_ordered_and_know_the_next_one() -> None:
    assert CefrLevel.A1.rank < CefrLevel.C2.rank
    assert CefrLevel.B1.next() is CefrLevel.B2
    assert CefrLevel.C2.next() is None
