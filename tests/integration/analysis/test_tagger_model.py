"""The shipped learner-error tagger on real learner sentences (FCE dev, tests/data/README.md): it loads, it
corrects what its thresholds let through, and it leaves correct sentences alone."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.analysis.tagger.detector import TaggerDetector
from adapters.analysis.tagger.model import TaggerModel
from adapters.cefr.model import load_spacy

# Sentences of the FCE dev set, each with its one gold correction (the original's words -> the correction).
LEARNER_SENTENCES = [
    ("It make me a bit angry.", "make", "makes"),
    ("I am writting to you about the show.", "writting", "writing"),
    ("I am writing with regard to your advertisment.", "advertisment", "advertisement"),
    ("I recived your letter and I am very excited about the camp.", "recived", "received"),
    ("I learnt from you letter that I've won the first prize.", "you", "your"),
]
CORRECT_SENTENCES = [
    "My grandmother grew up in a small village by the sea.",
    "We visited the museum on Sunday and had lunch in the park.",
]


@pytest.fixture(scope="module")
def tagger() -> TaggerDetector:
    model = TaggerModel()
    assert model.available, "the shipped model is missing from adapters/analysis/tagger/model"
    return TaggerDetector(model)


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_spacy()


def corrections(tagger: TaggerDetector, nlp: Any, text: str) -> set[tuple[str, str]]:
    doc = nlp(text)
    return {(text[d.start:d.end], d.replacement) for d in tagger.detect(doc, nlp.tokenizer)}


@pytest.mark.parametrize(("text", "wrong", "right"), LEARNER_SENTENCES)
def test_the_shipped_tagger_corrects_real_learner_sentences(tagger: TaggerDetector, nlp: Any, text: str,
                                                            wrong: str, right: str) -> None:
    found = corrections(tagger, nlp, text)
    assert any((w.strip() == wrong and r.strip() == right) or r.strip().endswith(right) for w, r in found), found


@pytest.mark.parametrize("text", CORRECT_SENTENCES)
def test_the_shipped_tagger_leaves_correct_sentences_alone(tagger: TaggerDetector, nlp: Any, text: str) -> None:
    assert corrections(tagger, nlp, text) == set()


def test_the_model_records_how_it_was_trained_and_tuned(tagger: TaggerDetector) -> None:
    settings = TaggerModel().settings()
    assert settings["tuned_on"].startswith("wi_tune") and 0.0 < settings["precision"] <= 1.0
    assert [floor for floor, _ in settings["bands"]] == sorted(floor for floor, _ in settings["bands"])
    assert tagger.version().startswith("tagger-")


def test_a_text_gets_the_same_guesses_alone_and_among_other_texts(tagger: TaggerDetector, nlp: Any) -> None:
    """A batch item gets what a single call gives: the int8 encoder's activation scale is per call, so a
    sentence padded into a call with longer ones came out differently (issue 22: a batch and single calls)."""
    texts = [text for text, _, _ in LEARNER_SENTENCES] + [
        "Last summer I go to a very big city with my family and we visit many museum and a old castle "
        "which was build in the middle age, it was really interesting for me and my brother."]
    docs = [nlp(text) for text in texts]
    alone = [[(g.tag, g.probability, g.keep_probability) for w in tagger.guesses([doc]) for g in w.guesses]
             for doc in docs]
    together: list[list[tuple[str, float, float]]] = [[] for _ in docs]
    for window in tagger.guesses(docs):
        together[window.text].extend((g.tag, g.probability, g.keep_probability) for g in window.guesses)
    assert together == alone
