"""`englivo train cefr` end to end on the committed Write & Improve sample (90 essays, tests/data/corpora):
every stacked model is fitted, saved and loaded, and the loaded file predicts what the trained bundle
predicted."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from adapters.cefr.bundle import STACKED, CefrBundle
from adapters.cefr.corpora import position_of_label, read_corpora
from adapters.cefr.evaluation import cross_validate
from adapters.cefr.training import TREE_SEEDS, featurize, train
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


def _speech_and_sentences(target: Path, essays: int) -> None:
    """Corpora in the Speak & Improve and CEFR-SP formats made from the sample's essays (halves as two
    spoken parts scored at the essay's level; first sentences rated by two annotators one level apart),
    so cross-validation sees every kind of corpus without reading the real ones."""
    files = sorted(WRITE_AND_IMPROVE.glob("*.train.json"))
    rows = [json.loads(line) for path in files for line in path.read_text(encoding="utf-8").splitlines()]
    sessions, sentences = [], []
    for number, row in enumerate(rows[-essays:]):
        words = row["text"].lower().replace(".", " ").replace(",", " ").split()
        score = round(position_of_label(row["cefr"]) * 2) / 2
        half = len(words) // 2
        sessions.append(
            {
                "test_id": f"S{number}",
                "overall": score,
                "P1_text": " ".join(words[:half]),
                "P1_score": score,
                "P3_text": " ".join(words[half:]),
                "P3_score": score,
            }
        )
        level = int(position_of_label(row["cefr"][:2]))
        sentences.append(f"{row['text'].split('.')[0]} .\t{level}\t{min(level + 1, 6)}")
    (target / "speak_and_improve").mkdir()
    (target / "speak_and_improve" / "train.json").write_text(json.dumps(sessions), encoding="utf-8")
    (target / "cefr_sp").mkdir()
    (target / "cefr_sp" / "sentences.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")


def test_cross_validation_reports_every_corpus_with_signed_errors_and_calibration(tmp_path: Path) -> None:
    data_dir = _slice(tmp_path / "data", 20)
    _speech_and_sentences(data_dir, 30)
    data = featurize(read_corpora(data_dir))
    report = cross_validate(data, folds=3, tree_seeds=(1,))
    assert set(report) == {"wi", "si", "si_pair", "si_session", "sp"}
    assert report["wi"]["n"] == 60 and report["si"]["n"] == 60 and report["si_session"]["n"] == 30
    assert report["si_pair"]["n"] == 30
    for corpus in ("wi", "si", "si_pair", "si_session"):
        measures = report[corpus]
        assert -1 <= measures["pearson"] <= 1 and measures["rmse"] > 0
        assert sum(level["n"] for level in measures["by_gold_level"].values()) == measures["n"]
        assert 0 <= measures["calibration"]["ece"] <= 1
    assert set(report["sp"]) == {"strict", "either", "higher"}
    assert report["sp"]["either"]["adjacent_accuracy"] >= report["sp"]["higher"]["adjacent_accuracy"]
    assert json.dumps(report)
    # `--seed`: another tree seed, the same folds, other numbers (how much the seed alone moves them)
    other = cross_validate(data, folds=3, tree_seeds=(2,))
    assert other["wi"]["n"] == 60 and other["wi"]["rmse"] != report["wi"]["rmse"]
