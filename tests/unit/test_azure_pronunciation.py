from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.pronunciation.azure import AzurePronunciationAssessor, assessment_from_azure
from application.ports.speech import DecodedAudio
from domain.errors import ProviderUnavailable
from domain.pronunciation.assessment import WordErrorKind

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "azure" / "pronunciation_result.json"


def test_documented_result_maps_onto_the_domain() -> None:
    result = assessment_from_azure([json.loads(FIXTURE.read_text())], "I think it is good")

    assert (result.scores.accuracy, result.scores.fluency, result.scores.completeness, result.scores.prosody) == (
        72.0, 80.0, 80.0, 70.0)
    assert result.scores.pronunciation == pytest.approx(0.4 * 72 + 0.2 * 80 + 0.2 * 80 + 0.2 * 70)
    kinds = {w.text: w.error for w in result.words}
    assert kinds == {"i": WordErrorKind.NONE, "think": WordErrorKind.MISPRONUNCIATION, "it": WordErrorKind.NONE,
                     "very": WordErrorKind.INSERTION, "is": WordErrorKind.OMISSION, "good": WordErrorKind.NONE}
    theta = result.words[1].phonemes[0]
    assert (theta.expected, theta.expected_ipa, theta.heard, theta.mispronounced) == ("TH", "θ", "S", True)
    assert result.words[1].start == pytest.approx(0.26)
    assert result.common_issues[0].startswith("/θ/ said as /s/")
    assert "think" in result.words_to_practise


def test_without_a_key_the_provider_is_unavailable() -> None:
    with pytest.raises(ProviderUnavailable):
        AzurePronunciationAssessor(None, None).assess(DecodedAudio(__import__("numpy").zeros((1, 16000), "float32"),
                                                                  16000), "hello")
