from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from entrypoints.cli.cefr import evaluate_cefr


def test_evaluate_prints_level_metrics_as_the_last_line(tmp_path: Path) -> None:
    data = tmp_path / "levels.jsonl"
    lines = [
        {"text": "I am student. I like apple.", "level": "A1"},
        {
            "text": "My family is big. I have two brothers and one sister. We live in a small house.",
            "level": "A1",
        },
        {
            "text": "Although the proposal has obvious merits, its long-term consequences for the regional "
            "economy "
            "have not been adequately assessed, which is why I would urge caution.",
            "level": "C1",
        },
    ]
    data.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    result = CliRunner().invoke(evaluate_cefr, ["--data", str(data)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(report) == {"n", "accuracy", "macro_f1", "adjacent_accuracy", "qwk"}
    assert report["n"] == 3
    assert "[3/3]" in result.stderr


def test_evaluate_prints_score_metrics_for_holistic_scores(tmp_path: Path) -> None:
    data = tmp_path / "scores.jsonl"
    lines = [
        {
            "text": "i like (%hesitation%) football and um i play with my friend",
            "score": 2.0,
            "kind": "spoken",
        },
        {
            "text": "well i think that public transport should be free because it would reduce traffic and "
            "pollution in big cities",
            "score": 4.0,
            "kind": "SPOKEN",
        },
    ]
    data.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    result = CliRunner().invoke(evaluate_cefr, ["--data", str(data)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(report) == {"n", "pearson", "rmse"} and report["n"] == 2
