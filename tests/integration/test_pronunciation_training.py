"""The regressors' training code, run on the committed readings: it writes a bundle the assessor loads and
scores with, and the assessor refuses a bundle of features it does not compute."""

from __future__ import annotations

from pathlib import Path

import joblib
import pytest
from click.testing import CliRunner

from adapters.audio.decoder import ALL_FORMATS, decode_bytes
from adapters.pronunciation.local import LocalPronunciationAssessor
from adapters.pronunciation.neural import PhoneStateEncoder
from adapters.pronunciation.sphinx import SphinxModels
from adapters.speech.moonshine_models import MoonshineModelManager
from entrypoints.cli.main import cli
from tests.conftest import clip

LABELS = Path(__file__).resolve().parents[1] / "data" / "pronunciation" / "labels.jsonl"


def test_regressors_trained_on_the_committed_readings_load_and_score_every_phone(
        tmp_path: Path, moonshine_models: MoonshineModelManager) -> None:
    bundle = tmp_path / "pronunciation.joblib"
    trained = CliRunner().invoke(cli, ["train", "pronunciation", "--data", str(LABELS),
                                       "--cache", str(tmp_path / "measured.jsonl"), "--out", str(bundle)])
    assert trained.exit_code == 0, trained.output

    data, text = clip("001350219")
    assessor = LocalPronunciationAssessor(SphinxModels(1), PhoneStateEncoder(moonshine_models), bundle_path=bundle)
    result = assessor.assess(decode_bytes(data, ALL_FORMATS), text)

    assert [w.text for w in result.words] == text.split()
    phones = [p.accuracy for w in result.words for p in w.phonemes]
    assert len(phones) >= 20 and all(0 <= a <= 100 for a in phones)


def test_a_bundle_of_other_features_is_refused_with_what_to_do(tmp_path: Path,
                                                               moonshine_models: MoonshineModelManager) -> None:
    old = tmp_path / "old.joblib"
    joblib.dump({"version": 2, "sentence": {}}, old)

    with pytest.raises(RuntimeError, match="retrain with `englivo train pronunciation`"):
        LocalPronunciationAssessor(SphinxModels(1), PhoneStateEncoder(moonshine_models), bundle_path=old).load()
