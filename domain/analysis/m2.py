"""The M2 format of the CoNLL and BEA shared tasks, and ERRANT's span-level scores (one annotator)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class M2Edit:
    start: int
    end: int
    type: str
    correction: str


@dataclass(frozen=True)
class M2Sentence:
    tokens: tuple[str, ...]
    edits: tuple[M2Edit, ...]


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def scores(self, beta: float = 0.5) -> tuple[float, float, float]:
        """Precision, recall, F-beta as ERRANT computes them (1.0 when nothing was proposed or missed)."""
        p = self.tp / (self.tp + self.fp) if self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.fn else 1.0
        f = (1 + beta**2) * p * r / (beta**2 * p + r) if p + r else 0.0
        return round(p, 4), round(r, 4), round(f, 4)


def parse_m2(text: str) -> list[M2Sentence]:
    """Annotator 0's edits of each block; `noop` edits are dropped."""
    sentences = []
    for block in text.strip().split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines or not lines[0].startswith("S "):
            continue
        tokens = tuple(lines[0][2:].split())
        edits = []
        for line in lines[1:]:
            fields = line[2:].split("|||")
            start, end = (int(x) for x in fields[0].split())
            if fields[1] == "noop" or int(fields[-1]) != 0:
                continue
            edits.append(M2Edit(start, end, fields[1], fields[2]))
        sentences.append(M2Sentence(tokens, tuple(edits)))
    return sentences


def correction_counts(hypothesis: Iterable[M2Edit], reference: Iterable[M2Edit]) -> Counts:
    """Span-level correction: an edit counts when its span and its correction match (UNK edits skipped)."""
    hyp = {(e.start, e.end, e.correction) for e in hypothesis if e.type != "UNK"}
    ref = {(e.start, e.end, e.correction) for e in reference if e.type != "UNK"}
    return Counts(len(hyp & ref), len(hyp - ref), len(ref - hyp))


def detection_counts(hypothesis: Iterable[M2Edit], reference: Iterable[M2Edit]) -> Counts:
    """Span-level detection: an edit counts when its span matches, whatever the correction."""
    hyp = {(e.start, e.end) for e in hypothesis}
    ref = {(e.start, e.end) for e in reference}
    return Counts(len(hyp & ref), len(hyp - ref), len(ref - hyp))
