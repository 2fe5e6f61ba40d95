"""The measures `englivo evaluate cefr-cv` reports per corpus (adapters/cefr/evaluation.py)."""

from __future__ import annotations

import numpy as np
import pytest

from adapters.cefr.evaluation import expected_calibration_error, report, signed_error_by_level, two_annotator_report


def test_signed_error_is_reported_per_gold_level_with_its_sign() -> None:
    truth = np.array([2.0, 2.0, 4.0, 4.0, 4.5])
    predicted = np.array([3.0, 2.5, 3.5, 3.0, 4.5])
    by_level = signed_error_by_level(truth, predicted)
    assert by_level == {
        "A2": {"n": 2, "mean_signed_error": 0.75},
        "B2": {"n": 3, "mean_signed_error": -0.5},
    }


def test_report_counts_the_levels_it_placed_texts_at_and_the_overall_bias() -> None:
    truth = np.array([4.0, 4.0, 3.5, 4.5])
    predicted = np.array([5.1, 5.0, 4.9, 5.2])
    out = report(truth, predicted)
    assert out["predicted_levels"] == {"C1": 4}
    assert out["mean_signed_error"] == pytest.approx(1.05)
    assert out["rmse"] == pytest.approx(np.sqrt(np.mean((predicted - truth) ** 2)), abs=1e-4)
    assert out["n"] == 4 and "calibration" not in out


def test_cefr_sp_is_scored_strictly_against_either_annotator_and_against_the_higher_one() -> None:
    annotators = [(2, 3), (4, 4), (1, 3), (5, 6)]
    predicted = np.array([3.1, 2.9, 2.0, 3.9])
    out = two_annotator_report(annotators, predicted)
    # placed levels 3, 3, 2, 4: either annotator gave 3 for the first; 2 lies between 1 and 3
    assert out["either"]["accuracy"] == 0.25
    assert out["either"]["adjacent_accuracy"] == 1.0
    assert out["higher"]["adjacent_accuracy"] == 0.75
    assert out["higher"]["by_gold_level"]["C2"] == {"n": 1, "mean_signed_error": -2.1}
    assert out["strict"]["n"] == 4


def test_calibration_error_is_small_for_honest_spreads_and_large_for_overconfident_ones() -> None:
    rng = np.random.default_rng(0)
    truth = rng.uniform(1.0, 6.0, 4000)
    predicted = truth + rng.normal(0, 0.6, truth.size)
    gold = np.clip(np.rint(truth), 1, 6).astype(int)
    honest = expected_calibration_error(gold, predicted, np.full(truth.size, 0.6))
    overconfident = expected_calibration_error(gold, predicted, np.full(truth.size, 0.15))
    assert honest["ece"] < 0.05
    assert overconfident["ece"] > 0.2
    assert overconfident["log_loss"] > honest["log_loss"]
