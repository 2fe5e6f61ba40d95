"""The shipped model end to end: parse, features, model file, domain placement and feedback.

The Write & Improve essays used here were part of the training data; the held-out evaluation is the
`cv_cefr` command (see BENCHMARKS-cefr.md). These tests check behaviour, not accuracy.
"""

from __future__ import annotations

import re

import numpy as np

from adapters.cefr.bundle import DEFAULT_MODEL_PATH
from adapters.cefr.model import LocalCefrModel
from application.use_cases.assess_cefr import AssessCefr, AssessCefrCommand
from domain.cefr.assessment import CefrAssessment, TextKind
from domain.cefr.scale import CefrLevel
from tests.fakes.cache import InMemoryCache
from tests.integration.cefr.conftest import essays_at


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w']+", text.lower()))


def _quotes_the_text(assessment: CefrAssessment, text: str) -> None:
    vocabulary = _words(text)
    evidence = [*assessment.strengths, *assessment.weaknesses, *assessment.next_level_requirements]
    for item in evidence:
        for example in item.examples:
            assert _words(example) <= vocabulary, (item.label, example)


async def test_the_products_beginner_example_is_a1(cefr_model: LocalCefrModel) -> None:
    use_case = AssessCefr(cefr_model, InMemoryCache())
    result = await use_case.execute(AssessCefrCommand("I am student. I like apple."))
    assert result.level is CefrLevel.A1
    assert result.score <= 30
    assert result.rough and result.warnings
    assert result.next_level_requirements
    assert abs(sum(p.probability for p in result.probabilities) - 1) < 1e-2


def test_advanced_essays_are_c1_or_above(cefr_model: LocalCefrModel) -> None:
    essays = essays_at("C2", 10, min_words=200)
    levels = [cefr_model.assess_sync(text, TextKind.WRITTEN).level for text in essays]
    assert len(essays) == 10
    assert sum(level.rank >= CefrLevel.C1.rank for level in levels) >= 8, levels


def test_beginner_essays_are_a1_or_a2(cefr_model: LocalCefrModel) -> None:
    levels = [cefr_model.assess_sync(t, TextKind.WRITTEN).level for t in essays_at("A1", 10, min_words=40)]
    assert sum(level.rank <= CefrLevel.A2.rank for level in levels) >= 8, levels


def test_evidence_differs_between_an_a2_and_a_c1_text_and_quotes_each(cefr_model: LocalCefrModel) -> None:
    a2_text = essays_at("A2", 1)[0]
    c1_text = essays_at("C1", 1)[0]
    a2 = cefr_model.assess_sync(a2_text, TextKind.WRITTEN)
    c1 = cefr_model.assess_sync(c1_text, TextKind.WRITTEN)
    assert a2.level.rank < c1.level.rank
    for attr in ("strengths", "weaknesses", "next_level_requirements"):
        assert [e.detail for e in getattr(a2, attr)] != [e.detail for e in getattr(c1, attr)], attr
    assert c1.strengths, "an advanced text has strengths"
    assert any(e.examples for e in [*a2.strengths, *a2.weaknesses, *a2.next_level_requirements])
    _quotes_the_text(a2, a2_text)
    _quotes_the_text(c1, c1_text)


def test_spoken_transcripts_are_assessed_with_fluency_cues(cefr_model: LocalCefrModel) -> None:
    transcript = (
        "um i think that (%hesitation%) the the best way to learn english is to (pra-) practise every day "
        "because uh when you speak with people you learn new words and you remember them better "
        "and also i like watching films in english with subtitles"
    )
    result = cefr_model.assess_sync(transcript, TextKind.SPOKEN)
    assert result.kind is TextKind.SPOKEN
    features = {f.name: f.value for f in result.features}
    assert features["fillers_per_100"] > 0 and features["repetitions_per_100"] > 0
    assert CefrLevel.A2.rank <= result.level.rank <= CefrLevel.C1.rank


def test_one_sentence_a_paragraph_and_an_essay_all_get_an_assessment(cefr_model: LocalCefrModel) -> None:
    essay = essays_at("B2", 1)[0]
    for text in ("The weather is nice today.", " ".join(essay.split()[:60]), essay):
        result = cefr_model.assess_sync(text, TextKind.WRITTEN)
        assert 0 <= result.score <= 100 and result.level in result.range


async def test_results_are_cached_under_the_model_version(cefr_model: LocalCefrModel) -> None:
    cache = InMemoryCache()
    use_case = AssessCefr(cefr_model, cache)
    first = await use_case.execute(AssessCefrCommand("My name is Ana. I live in Porto with my family."))
    second = await use_case.execute(AssessCefrCommand("My name is Ana. I live in Porto with my family."))
    assert first == second
    (key,) = cache.entries
    assert key.startswith(f"cefr:{cefr_model.version}:")


def test_the_model_file_is_small_and_loads_without_pickle() -> None:
    assert DEFAULT_MODEL_PATH.stat().st_size < 20 * 1024 * 1024
    with np.load(DEFAULT_MODEL_PATH, allow_pickle=False) as data:
        assert {"meta", "boosters", "idf", "coef"} <= set(data.files)
