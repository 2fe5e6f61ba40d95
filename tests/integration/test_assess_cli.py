"""`englivo assess`: the API's use case from the command line, the assessment printed as JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
import soundfile
from click.testing import CliRunner

from entrypoints.cli.main import cli
from tests.conftest import PRONUNCIATION_CLIPS, clip


@pytest.fixture
def state_in(tmp_path: Path, clean_env: None, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ENGLIVO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ENGLIVO_CACHE__DIR", str(tmp_path / "cache"))
    return tmp_path


def test_a_reading_is_assessed_and_printed_as_json(state_in: Path) -> None:
    _, text = clip("001350219")
    result = CliRunner().invoke(cli, ["assess", str(PRONUNCIATION_CLIPS / "001350219.flac"), "--text", text])

    assert result.exit_code == 0, result.output
    assessment = json.loads(result.output)
    assert assessment["reference_text"] == text and assessment["scripted"] is True
    assert [w["text"] for w in assessment["words"]] == text.split()
    assert assessment["scores"]["pronunciation"] >= 60 and assessment["warnings"] == []
    assert not list(state_in.glob("*.db"))  # nothing stored: a command-line check is not a learner's result


def test_silence_is_rejected_as_no_speech(state_in: Path) -> None:
    out = io.BytesIO()
    soundfile.write(out, np.zeros(5 * 16_000, dtype=np.float32), 16_000, format="WAV")
    silence = state_in / "silence.wav"
    silence.write_bytes(out.getvalue())

    result = CliRunner().invoke(cli, ["assess", str(silence), "--text", "The quick brown fox"])

    assert result.exit_code == 2
    assert json.loads(result.output) | {"message": None} == {
        "error": "no_speech", "type": "AudioRejected", "field": "audio", "message": None}
