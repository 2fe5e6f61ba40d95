"""The evaluation and transcription commands as an operator runs them (real model, real clips)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from entrypoints.cli.transcription import evaluate_transcription, transcribe_file
from tests.support.transcription import DATA


def test_evaluate_prints_progress_to_stderr_and_a_json_summary_last(clean_env: None) -> None:
    result = CliRunner().invoke(evaluate_transcription, ["--data", str(DATA / "transcription.jsonl")])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["n"] == 4 and 0 <= summary["wer"] < 0.3
    assert summary["audio_seconds"] > 10 and summary["rtf"] > 0
    assert result.stderr.count("wer=") == 4


def test_transcribe_file_prints_the_transcript_or_the_refusal(clean_env: None) -> None:
    ok = CliRunner().invoke(transcribe_file, [str(DATA / "stereo_two_speakers.flac"), "--diarize"])
    assert ok.exit_code == 0, ok.output
    transcript = json.loads(ok.stdout)
    assert transcript["speakers"] == ["S1", "S2"] and transcript["metrics"]["words_per_minute"] > 0
    refused = CliRunner().invoke(transcribe_file, [str(DATA / "README.md")])
    assert refused.exit_code == 2 and json.loads(refused.stdout)["error"] == "unsupported_format"
