"""The shipped phone classifier on Moonshine's encoder states, on real readings: it names most phones of a
well-read sentence, and few when the same audio is aligned to another sentence."""

from __future__ import annotations

import joblib
import numpy as np
import pytest

from adapters.audio.decoder import ALL_FORMATS, decode_bytes
from adapters.pronunciation.acoustics import measure
from adapters.pronunciation.local import BUNDLE
from adapters.pronunciation.neural import PhoneStateEncoder, phone_evidence
from adapters.pronunciation.sphinx import SphinxModels
from adapters.speech.moonshine_models import MoonshineModelManager
from domain.pronunciation.text import words_of
from tests.conftest import clip

OTHER_TEXT = "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG"


@pytest.mark.parametrize("utt", ["001350219", "030490126"])  # an adult, and a child Moonshine mishears
def test_the_phones_of_the_read_text_are_named_and_those_of_another_text_are_not(
        utt: str, moonshine_models: MoonshineModelManager) -> None:
    data, text = clip(utt)
    samples = decode_bytes(data, ALL_FORMATS).mono
    encoder, models = PhoneStateEncoder(moonshine_models), SphinxModels(1)
    classifier = joblib.load(BUNDLE)["phone_classifier"]

    def named_share(reference: str) -> float:
        measurement = measure(models, samples, words_of(reference))
        evidence = phone_evidence(classifier, encoder.pooled(samples, measurement), measurement)
        return float(np.mean(evidence[:, 2] == 0))

    assert named_share(text) >= 0.5
    assert named_share(OTHER_TEXT) <= 0.25
