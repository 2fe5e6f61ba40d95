"""The token-level error detector: labels from annotators' edits, and what the shipped detector finds."""

from __future__ import annotations

import pytest

from adapters.cefr.bundle import CefrBundle
from adapters.cefr.error_tokens import edit_labels, token_features, token_matrix
from adapters.cefr.model import load_spacy
from adapters.cefr.text import prepare
from domain.cefr.assessment import TextKind


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_spacy()


def _flagged(raw: str, spans: list[tuple[int, int]], nlp) -> list[str]:  # type: ignore[no-untyped-def]
    doc = nlp(prepare(raw, TextKind.WRITTEN).text)
    tokens = [t for t in doc if not t.is_space]
    return [t.text for t, label in zip(tokens, edit_labels(raw, doc, spans), strict=True) if label]


def test_tokens_inside_an_edit_are_errors_and_offsets_survive_collapsed_whitespace(nlp) -> None:  # type: ignore[no-untyped-def]
    raw = "He  go to   school.\n\nShe buyed a apples."
    spans = [(raw.index("go"), raw.index("go") + 2), (raw.index("buyed"), raw.index("buyed") + 5)]
    assert _flagged(raw, spans, nlp) == ["go", "buyed"]


def test_an_insertion_marks_the_word_after_it(nlp) -> None:  # type: ignore[no-untyped-def]
    raw = "I went to  cinema yesterday."
    at = raw.index("cinema")
    assert _flagged(raw, [(at, at)], nlp) == ["cinema"]
    # an edit of the whitespace between two words (e.g. a missing hyphen) marks the next word too
    space = raw.index(" yesterday")
    assert _flagged(raw, [(space, space + 1)], nlp) == ["yesterday"]


def test_noise_marks_are_dropped_without_shifting_the_labels(nlp) -> None:  # type: ignore[no-untyped-def]
    raw = "<unk> My frend is nice."
    at = raw.index("frend")
    assert _flagged(raw, [(at, at + 5)], nlp) == ["frend"]


def test_the_shipped_detector_finds_more_errors_in_a_text_with_learner_errors(nlp) -> None:  # type: ignore[no-untyped-def]
    detector = CefrBundle.load().token_errors
    assert detector is not None
    wrong = "Yesterday he go to the school and buyed a apples. She have many informations about it."
    right = "Yesterday he went to school and bought some apples. She has a lot of information about it."
    found = detector.summaries([token_matrix(nlp(wrong)), token_matrix(nlp(right)), token_matrix(nlp(""))])
    mean, share_above_half = found[:, 0], found[:, 1]
    assert mean[0] > mean[1] + 0.1
    assert share_above_half[0] > share_above_half[1]
    assert found[2].tolist() == [0.0, 0.0, 0.0]


def _features_of(word: str, text: str, nlp) -> list[str]:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    tokens = [t for t in doc if not t.is_space]
    return token_features(doc)[[t.text for t in tokens].index(word)]


def test_a_pair_of_common_words_missing_from_published_english_is_marked(nlp) -> None:  # type: ignore[no-untyped-def]
    # "despite of" is a learner error, absent from the Google Books bigrams; "of the" is one of the commonest
    learner = _features_of("of", "Despite of the rain we went out.", nlp)
    assert any(f.startswith("Lb=0|") for f in learner)
    assert not any(f.startswith("Rb=0|") for f in learner)
    standard = _features_of("the", "Despite the rain we went out.", nlp)
    assert not any(f.startswith("Lb=0|") for f in standard)
    # a text's first word has no left neighbour, and punctuation forms no word pair
    assert "bb=na|na" in _features_of("Stop", "Stop!", nlp)
