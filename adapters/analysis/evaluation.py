"""Scores the grammar checker on an M2 file with ERRANT's span-level measures."""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from adapters.analysis.checker import LocalGrammarChecker
from domain.analysis.errors import Detection, apply_detections
from domain.analysis.m2 import Counts, M2Edit, M2Sentence, correction_counts, detection_counts

NO_SPACE_BEFORE = re.compile(r" (?=[.,!?;:%)\]}]|n't\b|'(?:s|m|re|ve|ll|d)\b)", re.IGNORECASE)
NO_SPACE_AFTER = re.compile(r"(?<=[(\[{$]) ")


def detokenise(tokens: tuple[str, ...]) -> str:
    """Raw-looking text from M2 tokens, so the checker sees what a learner typed."""
    text = " ".join(tokens)
    text = NO_SPACE_BEFORE.sub("", text)
    return NO_SPACE_AFTER.sub("", text)


@dataclass
class Evaluation:
    correction: Counts
    detection: Counts
    sentences: int
    seconds: float
    by_rule: Counter[str]
    correct_by_rule: Counter[str]

    def summary(self) -> dict[str, Any]:
        p, r, f = self.correction.scores()
        dp, dr, df = self.detection.scores()
        return {"precision": p, "recall": r, "f0_5": f, "detection_precision": dp, "detection_recall": dr,
                "detection_f0_5": df, "tp": self.correction.tp, "fp": self.correction.fp, "fn": self.correction.fn,
                "n": self.sentences, "seconds": round(self.seconds, 1)}


def evaluate(checker: LocalGrammarChecker, annotator: Any, sentences: list[M2Sentence],
             hint_below: float = 0.5) -> Evaluation:
    started = time.perf_counter()
    correction, detection = Counts(), Counts()
    by_rule: Counter[str] = Counter()
    correct_by_rule: Counter[str] = Counter()
    for sentence in sentences:
        text = detokenise(sentence.tokens)
        shown = [d for d in checker.check_sync(text).detections if d.confidence >= hint_below]
        hypothesis, sources = _hypothesis_edits(annotator, text, shown, sentence.tokens)
        correction += correction_counts(hypothesis, sentence.edits)
        detection += detection_counts(hypothesis, sentence.edits)
        gold = {(e.start, e.end, e.correction) for e in sentence.edits}
        for edit, rule in zip(hypothesis, sources, strict=True):
            by_rule[rule] += 1
            correct_by_rule[rule] += (edit.start, edit.end, edit.correction) in gold
    return Evaluation(correction, detection, len(sentences), time.perf_counter() - started, by_rule, correct_by_rule)


def _hypothesis_edits(annotator: Any, text: str, detections: list[Detection],
                      gold_tokens: tuple[str, ...]) -> tuple[list[M2Edit], list[str]]:
    if not detections:
        return [], []
    original = annotator.parse(text, tokenise=True)
    corrected = annotator.parse(apply_detections(text, detections), tokenise=True)
    index = _token_map([t.text for t in original], list(gold_tokens))
    edits, sources = [], []
    for edit in annotator.annotate(original, corrected):
        start, end = index.get(edit.o_start), index.get(edit.o_end)
        if start is None or end is None:
            continue
        edits.append(M2Edit(start, end, edit.type, edit.c_str))
        sources.append(_source(edit, original, detections))
    return edits, sources


def _token_map(ours: list[str], gold: list[str]) -> dict[int, int]:
    """Our token positions (and the end position) to the gold tokenisation's, where they line up."""
    if ours == gold:
        return {i: i for i in range(len(ours) + 1)}
    mapping = {len(ours): len(gold)}
    for block in SequenceMatcher(a=ours, b=gold, autojunk=False).get_matching_blocks():
        for k in range(block.size + 1):
            mapping.setdefault(block.a + k, block.b + k)
    return mapping


def _source(edit: Any, original: Any, detections: list[Detection]) -> str:
    at = original[edit.o_start].idx if edit.o_start < len(original) else len(original.text)
    for d in detections:
        if d.start <= at <= d.end:
            return d.rule
    return "?"
