"""`englivo train cefr` end to end on the committed Write & Improve sample (90 essays, tests/data/corpora):
every stacked model is fitted, saved and loaded, and the loaded file predicts what the trained bundle
predicted."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from adapters.cefr.bundle import STACKED, CefrBundle
from adapters.cefr.corpora import read_corpora
from adapters.cefr.training import TREE_SEEDS, cross_validate, featurize, train
from tests.integration.cefr.conftest import WRITE_AND_IMPROVE


def _slice(target: Path, per_file: int) -> Path:
    """The first `per_file` essays of each W&I file of the sample, in the W&I format (with the annotators'
    edits)."""
    folder = target / "write_and_improve"
    folder.mkdir(parents=True)
    for source in sorted(WRITE_AND_IMPROVE.glob("*.train.json")):
        lines = source.read_text(encoding="utf-8").splitlines()[:per_file]
        (folder / source.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def test_training_fits_saves_and_reloads_every_part(tmp_path: Path) -> None:
    data_dir = _slice(tmp_path / "data", 30)
    out = tmp_path / "model.npz"
    trained = train(data_dir, out)
    loaded = CefrBundle.load(out)
    assert loaded.token_errors is not None and loaded.error_ngrams is not None
    assert loaded.feature_names[-len(STACKED) :] == list(STACKED)
    assert loaded.info["samples"] == {"wi": 90}

    data = featurize(read_corpora(data_dir)[:12])
    args = (data.values, data.texts, data.pos, data.tokens)
    assert np.allclose(trained.predict(*args), loaded.predict(*args), atol=1e-2)
    # one tree model per seed, each fitted on its own bagging draws, and the raw output is their mean
    assert len(loaded.boosters) == len(TREE_SEEDS)
    x = np.random.default_rng(0).normal(size=(8, len(loaded.feature_names)))
    per_seed = np.array([booster.predict(x) for booster in loaded.boosters])
    assert np.ptp(per_seed, axis=0).max() > 0
    assert np.allclose(loaded.raw(x), per_seed.mean(axis=0))
    # the detector learnt the essays' own errors: its mean probability follows the annotated density
    found = loaded.token_errors.summaries(data.tokens)[:, 0]
    annotated = np.array([s.errors_per_word for s in data.samples])
    assert np.corrcoef(found, annotated)[0, 1] > 0.3


def test_cross_validation_reports_the_level_and_score_metrics(tmp_path: Path) -> None:
    data = featurize(read_corpora(_slice(tmp_path / "data", 20)))
    report = cross_validate(data, "wi", folds=3)
    assert set(report) == {"n", "qwk", "adjacent_accuracy", "accuracy", "macro_f1", "pearson", "rmse"}
    assert report["n"] == 60
    assert -1 <= report["pearson"] <= 1 and report["rmse"] > 0
    assert json.dumps(report)
