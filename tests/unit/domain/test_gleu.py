"""GLEU as JFLEG defines it: n-grams the correction shares with the reference, less those it kept from the
source where the reference changed them."""

from __future__ import annotations

import math

from domain.analysis.gleu import corpus_gleu, sentence_stats

SOURCE = ["yesterday", "i", "go", "to", "the", "shop", "and", "buy", "some", "bread"]
REFERENCE = ["yesterday", "i", "went", "to", "the", "shop", "and", "bought", "some", "bread"]


def test_the_reference_itself_scores_one() -> None:
    assert corpus_gleu([SOURCE], [REFERENCE], [[REFERENCE]]) == 1.0


def test_keeping_what_the_reference_changed_is_penalised() -> None:
    stats = sentence_stats(SOURCE, SOURCE, REFERENCE)
    # unigrams: 8 shared with the reference; "go" and "buy" were changed by it and kept: 8 - 2 of 10
    assert (stats.matched[0], stats.possible[0]) == (6, 10)
    # bigrams: "to the", "the shop", "shop and", "some bread", "yesterday i" shared, 4 changed ones kept
    assert (stats.matched[1], stats.possible[1]) == (1, 9)


def test_a_half_correction_lies_between_the_source_and_the_reference() -> None:
    half = ["yesterday", "i", "went", "to", "the", "shop", "and", "buy", "some", "bread"]
    source_score = corpus_gleu([SOURCE], [SOURCE], [[REFERENCE]])
    half_score = corpus_gleu([SOURCE], [half], [[REFERENCE]])
    assert source_score == 0.0 < half_score < 1.0  # the source keeps no 4-gram the reference kept unchanged


def test_the_score_is_the_mean_over_reference_sets_with_the_brevity_penalty() -> None:
    short = ["yesterday", "i", "went", "to", "the", "shop"]
    stats = sentence_stats(SOURCE, short, REFERENCE)
    assert stats.hypothesis_length == 6 and stats.reference_length == 10
    precision = sum(math.log(m / p) for m, p in zip(stats.matched, stats.possible, strict=True)) / 4
    expected = math.exp(1 - 10 / 6 + precision)
    assert math.isclose(stats.score(), expected)
    other = corpus_gleu([SOURCE], [short], [[SOURCE]])
    assert math.isclose(corpus_gleu([SOURCE], [short], [[REFERENCE], [SOURCE]]), (expected + other) / 2)
