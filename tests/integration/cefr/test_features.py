"""Feature extraction on a real parse."""

from __future__ import annotations

from adapters.cefr.features import extract
from adapters.cefr.model import load_spacy
from adapters.cefr.profiles import default_lexicon
from adapters.cefr.text import prepare
from domain.cefr.assessment import TextKind


def _values(text: str) -> dict[str, float]:
    prepared = prepare(text, TextKind.WRITTEN)
    return extract(load_spacy()(prepared.text), prepared, default_lexicon()).values


def test_grammar_errors_found_by_the_analysis_rules_are_counted_per_100_words() -> None:
    wrong = _values("Yesterday he go to the school and she have a apple. They was happy.")
    right = _values("Yesterday he went to the school and she had an apple. They were happy.")
    assert wrong["grammar_errors_per_100"] > right["grammar_errors_per_100"]
    assert right["grammar_errors_per_100"] == 0.0
