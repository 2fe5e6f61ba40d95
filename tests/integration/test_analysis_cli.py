"""`englivo evaluate grammar` and `englivo bench analysis` with the real models."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from domain.analysis.errors import ErrorType
from domain.analysis.recall import MeasuredRecall
from entrypoints.cli.main import cli

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "learner_sample.m2"


def test_evaluate_grammar_prints_errant_scores_as_its_last_line(clean_env: None) -> None:
    # the detectors whose findings on these sentences are known (the tagger's are a model's guesses)
    result = CliRunner().invoke(cli, ["evaluate", "grammar", "--data", str(SAMPLE),
                                      "--detectors", "harper+rules+languagetool"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output.strip().splitlines()[-1])
    assert set(scores) >= {"precision", "recall", "f0_5", "detection_precision", "detection_recall",
                           "detection_f0_5", "n", "seconds"}
    assert scores["n"] == 6
    # Five gold edits, each one a learner error the engine knows; the clean sentences stay clean.
    assert (scores["tp"], scores["fp"], scores["fn"]) == (5, 0, 0)
    assert scores["precision"] == scores["recall"] == scores["f0_5"] == 1.0


def test_evaluate_jfleg_scores_the_corrections_against_the_source_baseline(clean_env: None) -> None:
    result = CliRunner().invoke(cli, ["evaluate", "jfleg", "--data", str(SAMPLE.with_name("jfleg_sample"))])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["sentences"] == 12 and 0 < report["changed"] <= 12
    # "There are several reason ." and the misspellings are corrected towards what all four annotators wrote
    assert 0.0 < report["source_gleu"] < report["gleu"] < 1.0


def test_bench_analysis_reports_the_median_of_its_runs(clean_env: None) -> None:
    result = CliRunner().invoke(cli, ["bench", "analysis", "--runs", "2"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["runs"] == 2 and 280 <= report["words"] <= 320 and report["median_ms"] > 0


def test_bench_analysis_worst_case_reports_each_text_at_the_length_limit(clean_env: None) -> None:
    result = CliRunner().invoke(cli, ["bench", "analysis", "--worst-case", "--runs", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    texts = {k: v for k, v in report.items() if isinstance(v, dict)}
    assert set(texts) == {"repeated_word", "misspellings", "run_on_sentence", "decomposed_and_controls", "long_essay"}
    assert all(9_000 <= t["characters"] <= 10_000 and t["median_cpu_ms"] > 0 for t in texts.values())
    assert all(t["errors"] <= 200 and t["places"] >= t["errors"] for t in texts.values())
    assert report["max_ms"] == max(t["max_ms"] for t in texts.values())


CONLL_SAMPLE = SAMPLE.with_name("conll2013_sample.m2")


def test_evaluate_grammar_detokenises_conll_retypes_its_edits_and_writes_the_recall_table(
        clean_env: None, tmp_path: Path) -> None:
    table = tmp_path / "recall.json"
    result = CliRunner().invoke(cli, ["evaluate", "grammar", "--data", str(CONLL_SAMPLE), "--data", str(SAMPLE),
                                      "--per-type", "--recall-out", str(table)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    conll, learner, per_type, total = lines
    assert (conll["data"], conll["n"], learner["n"], total["n"]) == ("conll2013_sample.m2", 3, 6, 9)
    # "evidences", "infrastructures" (twice) and "technology" are found in the detokenised text and mapped back
    # onto CoNLL's tokens ("occurred ." became "occurred."), where they match the gold spans.
    assert conll["tp"] == 4
    # CoNLL's own codes (Nn, ArtOrDet, Mec) are re-typed as ERRANT's, so every corpus reads in one set of types.
    errant = per_type["per_errant_type"]
    assert all(":" in code for code in errant)
    assert errant["R:NOUN:NUM"]["n"] >= 6 and errant["R:NOUN:NUM"]["correction_recall"] > 0
    assert errant["R:VERB:SVA"] == {"n": 2, "detection_recall": 1.0, "correction_recall": 1.0}
    recall = MeasuredRecall.from_dict(json.loads(table.read_text()))
    assert recall.knows(ErrorType.AGREEMENT) and not recall.knows(ErrorType.PUNCTUATION)
    assert 0 < recall.overall < 1
