from __future__ import annotations

from itertools import pairwise

import numpy as np

from adapters.cefr.cutpoints import FIXED, fit_cuts, levels, qwk_plus_adjacent, to_position


def test_the_fixed_cuts_map_every_prediction_onto_itself() -> None:
    raw = np.linspace(0.5, 6.5, 25)
    assert np.allclose(to_position(raw, FIXED), raw)


def test_tuned_cuts_land_on_the_level_boundaries_and_keep_the_order() -> None:
    cuts = (1.8, 2.7, 3.5, 4.2, 4.9)
    mapped = to_position(np.array(cuts), cuts)
    assert np.allclose(mapped, FIXED)
    raw = np.linspace(0.0, 7.0, 200)
    assert np.all(np.diff(to_position(raw, cuts)) >= 0)
    assert to_position(np.array([9.0]), cuts)[0] == 6.5


def test_cuts_fitted_to_predictions_shrunk_towards_the_middle_stretch_them_back() -> None:
    rng = np.random.default_rng(0)
    truth = rng.integers(1, 7, 600).astype(float)
    raw = 3.5 + 0.6 * (truth - 3.5) + rng.normal(0, 0.25, truth.size)
    cuts = fit_cuts(raw, truth)
    assert cuts[0] > FIXED[0] and cuts[-1] < FIXED[-1]
    t = truth.astype(int)
    assert qwk_plus_adjacent(t, levels(raw, cuts)) > qwk_plus_adjacent(t, levels(raw, FIXED))
    assert all(b - a >= 0.1 - 1e-9 for a, b in pairwise(cuts))
