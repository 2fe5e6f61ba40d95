"""GLEU (Napoles et al. 2015, with the 2016 correction), the fluency measure of JFLEG: n-gram precision of a
correction against a human reference, with the n-grams the correction keeps from the source but the
reference changed counted against it, and BLEU's brevity penalty. Corpus level, n = 1..4."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

ORDERS = 4


def ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True)
class GleuStats:
    """Sums over sentences: hypothesis and reference lengths, and per order the matched and possible n-grams."""

    hypothesis_length: int = 0
    reference_length: int = 0
    matched: tuple[int, ...] = (0,) * ORDERS
    possible: tuple[int, ...] = (0,) * ORDERS

    def __add__(self, other: GleuStats) -> GleuStats:
        return GleuStats(self.hypothesis_length + other.hypothesis_length,
                         self.reference_length + other.reference_length,
                         tuple(a + b for a, b in zip(self.matched, other.matched, strict=True)),
                         tuple(a + b for a, b in zip(self.possible, other.possible, strict=True)))

    def score(self) -> float:
        if self.hypothesis_length == 0 or any(m == 0 for m in self.matched) or any(p == 0 for p in self.possible):
            return 0.0
        precision = sum(math.log(m / p) for m, p in zip(self.matched, self.possible, strict=True)) / ORDERS
        brevity = min(0.0, 1.0 - self.reference_length / self.hypothesis_length)
        return math.exp(brevity + precision)


def sentence_stats(source: Sequence[str], hypothesis: Sequence[str], reference: Sequence[str]) -> GleuStats:
    matched, possible = [], []
    for n in range(1, ORDERS + 1):
        hyp, src, ref = ngrams(hypothesis, n), ngrams(source, n), ngrams(reference, n)
        changed_by_reference = src - ref  # source n-grams the reference did not keep
        matched.append(max(0, sum((hyp & ref).values()) - sum((hyp & changed_by_reference).values())))
        possible.append(max(0, len(hypothesis) + 1 - n))
    return GleuStats(len(hypothesis), len(reference), tuple(matched), tuple(possible))


def corpus_gleu(sources: Sequence[Sequence[str]], hypotheses: Sequence[Sequence[str]],
                references: Sequence[Sequence[Sequence[str]]]) -> float:
    """The mean over the reference sets of the corpus GLEU against each (`references[k][i]`: the k-th
    annotator's correction of sentence i). JFLEG's script instead draws one annotator per sentence at random
    500 times and averages; the mean over whole sets is close to that, without its sampling noise."""
    scores = []
    for reference_set in references:
        total = GleuStats()
        for source, hypothesis, reference in zip(sources, hypotheses, reference_set, strict=True):
            total = total + sentence_stats(source, hypothesis, reference)
        scores.append(total.score())
    return sum(scores) / len(scores) if scores else 0.0
