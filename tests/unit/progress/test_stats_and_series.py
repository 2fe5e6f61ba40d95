from __future__ import annotations

from datetime import timedelta

import pytest

from domain.progress.records import Granularity
from domain.progress.series import Sample, bucket_start, bucketed
from domain.progress.stats import least_squares, smoothed, t_critical
from tests.unit.progress.histories import START


def test_least_squares_recovers_an_exact_line_with_zero_error() -> None:
    line = least_squares([0, 1, 2, 3], [1, 3, 5, 7])
    assert line is not None
    assert line.slope == pytest.approx(2) and line.intercept == pytest.approx(1)
    assert line.standard_error == pytest.approx(0) and line.significant


def test_standard_error_of_a_noisy_line() -> None:
    # residuals +-1 around y = x: SSR = 4, Sxx = 5, SE = sqrt(4 / 2 / 5)
    line = least_squares([0, 1, 2, 3], [1, 0, 1, 4])
    assert line is not None
    assert line.slope == pytest.approx(1.0)
    assert line.standard_error == pytest.approx((4 / 2 / 5) ** 0.5)
    assert not line.significant  # 1.0 < 4.303 * 0.632


def test_too_few_points_give_no_line_or_no_error() -> None:
    assert least_squares([], []) is None
    assert least_squares([1], [5]) is None
    assert least_squares([2, 2], [1, 5]) is None
    two = least_squares([0, 1], [1, 5])
    assert two is not None and two.standard_error is None and not two.significant


def test_t_critical_falls_towards_the_normal() -> None:
    assert t_critical(1) == pytest.approx(12.706)
    assert t_critical(100) == pytest.approx(1.96)


def test_smoothing_leans_on_the_past() -> None:
    assert smoothed([]) == []
    assert smoothed([10, 20], alpha=0.5) == [10, 15]


def test_buckets_by_day_and_iso_week() -> None:
    wednesday = START + timedelta(days=2, hours=5)
    assert bucket_start(wednesday, Granularity.DAY)[1] == "2026-01-07"
    monday, label = bucket_start(wednesday, Granularity.WEEK)
    assert monday == START.replace(hour=0) and label == "2026-W02"


def test_weighted_mean_per_week() -> None:
    samples = [
        Sample(START, "a", 10, weight=100),
        Sample(START + timedelta(days=1), "b", 40, weight=300),
        Sample(START + timedelta(days=8), "c", 5),
    ]
    week = bucketed(samples, Granularity.WEEK)
    assert [p.value for p in week] == [32.5, 5]
    assert [p.label for p in bucketed(samples, Granularity.SESSION)] == ["a", "b", "c"]
