"""The offline G2P on real weights. g2p-en's network was trained on the CMU dictionary, so agreement with
that dictionary measures how faithfully we run it, not how it generalises; made-up words check the rest."""

from __future__ import annotations

import random
from pathlib import Path

from adapters.pronunciation.g2p import G2P
from adapters.pronunciation.sphinx import _model_paths
from domain.pronunciation.phonemes import base_phone


def test_made_up_and_rare_words_get_plausible_pronunciations() -> None:
    g2p = G2P()
    assert [base_phone(p) for p in g2p("zorbly")] == ["Z", "AO", "R", "B", "L", "IY"]
    assert [base_phone(p) for p in g2p("englivo")][-3:] == ["IY", "V", "OW"]
    assert g2p("1234") == []


def test_agrees_with_the_cmu_dictionary_on_a_sample() -> None:
    lines = [line.split() for line in Path(_model_paths()["dict"]).read_text(encoding="utf-8").splitlines()]
    entries = [(w, p) for w, *p in lines if w.isalpha() and "(" not in w]
    sample = random.Random(7).sample(entries, 150)
    g2p = G2P()
    exact = sum([base_phone(p) for p in g2p(word)] == phones for word, phones in sample)
    assert exact / len(sample) >= 0.6
