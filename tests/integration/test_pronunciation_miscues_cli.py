"""The miscue set and the omission decision's commands, on the speechocean762 sample in tests/data."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from adapters.pronunciation.omission import OMISSION_FEATURES, OmissionDecision
from entrypoints.cli.main import cli

LABELS = Path(__file__).resolve().parents[1] / "data" / "corpora" / "speechocean762" / "train" / "labels.jsonl"


def test_the_omission_decision_is_fitted_and_measured_on_cut_spliced_and_untouched_readings(tmp_path: Path) -> None:
    options = ["--data", str(LABELS), "--limit", "6", "--cache", str(tmp_path / "miscues.jsonl")]
    trained = CliRunner().invoke(cli, ["train", "pronunciation-omissions", *options, "--out", str(tmp_path / "o.json")])
    evaluated = CliRunner().invoke(cli, ["evaluate", "pronunciation-miscues", *options])

    assert trained.exit_code == 0, trained.output
    fitted = json.loads((tmp_path / "o.json").read_text())
    decision = OmissionDecision.from_json(fitted)
    assert decision.unheard is not None  # the recogniser listened to every variant
    for model in (decision.acoustic, decision.unheard):
        assert len(model.weights) == len(OMISSION_FEATURES) and 0.5 <= model.threshold <= 1.0
    assert fitted["trained_on"]["utterances"] == 6
    records = [json.loads(line) for line in (tmp_path / "miscues.jsonl").read_text().splitlines()]
    assert {r["variant"] for r in records} == {"untouched", "cut", "insert"}
    assert all(isinstance(r["heard"], str) for r in records)

    assert evaluated.exit_code == 0, evaluated.output
    report = json.loads(evaluated.output.strip().splitlines()[-1])
    for name in ("speaker_fold_cv", "shipped", "shipped_without_recognition", "previous_rule"):
        assert report[name]["cut_words"] == 6 and report[name]["good_words"] > 20
        assert 0.0 <= report[name]["false_omissions_good_words"] <= 1.0
        assert 0.0 <= report[name]["omission_recall_cut_words"] <= 1.0


def test_the_end_to_end_cross_validation_assesses_every_held_out_recording_through_the_use_case(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["evaluate", "pronunciation-cv", "--data", str(LABELS), "--folds", "2",
                                      "--cache", str(tmp_path / "measurements.jsonl"),
                                      "--predictions", str(tmp_path / "predictions.jsonl")])

    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert [f["fold"] for f in report["per_fold"]] == [0, 1]
    assert report["assessed"] + len(report["rejected"]) == report["n"]
    assert sum(f["assessed"] for f in report["per_fold"]) == report["assessed"]
    assert all(0 < f["trained_on"] < report["n"] for f in report["per_fold"])  # never its own speakers
    assert -1.0 <= report["pcc_total"] <= 1.0 and report["words"] > 0
    rows = [json.loads(line) for line in (tmp_path / "predictions.jsonl").read_text().splitlines()]
    assert len(rows) == report["n"] and {r["fold"] for r in rows} == {0, 1}
    assert all("scores" in r or "rejected" in r for r in rows)
