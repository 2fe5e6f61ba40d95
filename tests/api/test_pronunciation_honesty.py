"""What a learner is told when there is nothing to score: silence and noise are rejected with the speech
check of transcription's `requireSpeech`, and a recording of another text is scored low and says why."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import soundfile

from tests.api.conftest import API_KEY, make_settings
from tests.api.pronunciation_client import assess, engine_client
from tests.conftest import clip

OTHER_TEXT = "The quick brown fox jumps over the lazy dog"


def wav(samples: np.ndarray) -> bytes:
    out = io.BytesIO()
    soundfile.write(out, samples.astype(np.float32), 16_000, format="WAV")
    return out.getvalue()


SILENCE = wav(np.zeros(5 * 16_000))
WHITE_NOISE = wav(np.random.default_rng(7).normal(0.0, 0.1, 10 * 16_000).clip(-1, 1))


def test_silence_and_noise_with_a_reference_are_rejected_as_no_speech(
    tmp_path: Path, clean_env: None, pronunciation_assessor: Any
) -> None:
    with engine_client(make_settings(tmp_path), pronunciation_assessor, API_KEY) as client:
        silence = assess(client, SILENCE, OTHER_TEXT)
        noise = assess(client, WHITE_NOISE, OTHER_TEXT)

    for result in (silence, noise):
        assert (result["__typename"], result["code"], result["field"]) == ("AudioRejected", "no_speech", "audio")


def test_a_recording_of_another_text_scores_low_and_says_so(
    tmp_path: Path, clean_env: None, pronunciation_assessor: Any
) -> None:
    data, text = clip("001350219")  # "NO ONE WANTS TO TALK TO ME TONIGHT", read well
    with engine_client(make_settings(tmp_path), pronunciation_assessor, API_KEY) as client:
        other = assess(client, data, OTHER_TEXT)
        right = assess(client, data, text)

    assert other["__typename"] == "PronunciationAssessment"
    assert other["accuracy"] <= 30 and other["completeness"] <= 30 and other["pronunciation"] <= 30
    assert any("does not sound like a reading of the reference text" in w for w in other["warnings"])
    # no word of the fox sentence is in what was said: none may keep the score of the speech it was laid over
    assert {(w["errorKind"], w["accuracy"]) for w in other["words"] if w["errorKind"] != "INSERTION"} \
        == {("OMISSION", 0.0)}
    assert right["accuracy"] >= 75 and right["warnings"] == []


def test_a_reading_the_recogniser_mishears_is_scored_not_called_another_text(
    tmp_path: Path, clean_env: None, pronunciation_assessor: Any
) -> None:
    """A child's "THEN THEY LET HER BE", judged 9 of 10, which the recogniser hears as other words."""
    data, text = clip("030490126")
    with engine_client(make_settings(tmp_path), pronunciation_assessor, API_KEY) as client:
        result = assess(client, data, text)

    assert result["__typename"] == "PronunciationAssessment"
    assert not any("does not sound like a reading" in w for w in result["warnings"])
    assert any("judged from the acoustics alone" in w for w in result["warnings"])
    assert result["accuracy"] >= 50 and result["completeness"] >= 50, result
