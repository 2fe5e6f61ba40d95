"""Scores the grammar checker on an M2 file with ERRANT's span-level measures."""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from adapters.analysis.checker import LocalGrammarChecker
from adapters.analysis.languagetool import rule_precision_rows
from domain.analysis.analysis import HINT_BELOW
from domain.analysis.errors import Detection, apply_detections
from domain.analysis.m2 import Counts, M2Edit, M2Sentence, correction_counts, detection_counts
from domain.analysis.taxonomy import learner_type

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
    gold_by_type: Counter[str] = field(default_factory=Counter)  # ERRANT code -> annotated edits (UNK left out)
    detected_by_type: Counter[str] = field(default_factory=Counter)  # ... whose span the engine flagged
    corrected_by_type: Counter[str] = field(default_factory=Counter)  # ... with the annotator's correction
    gold_by_area: Counter[str] = field(default_factory=Counter)  # the same, by learner error type
    detected_by_area: Counter[str] = field(default_factory=Counter)
    corrected_by_area: Counter[str] = field(default_factory=Counter)

    def summary(self) -> dict[str, Any]:
        p, r, f = self.correction.scores()
        dp, dr, df = self.detection.scores()
        return {"precision": p, "recall": r, "f0_5": f, "detection_precision": dp, "detection_recall": dr,
                "detection_f0_5": df, "tp": self.correction.tp, "fp": self.correction.fp, "fn": self.correction.fn,
                "n": self.sentences, "seconds": round(self.seconds, 1)}

    def per_type(self, by_area: bool = False) -> dict[str, dict[str, float | int]]:
        """Per ERRANT code (or learner error type): annotated edits, detection and correction recall."""
        gold, detected, corrected = ((self.gold_by_area, self.detected_by_area, self.corrected_by_area) if by_area
                                     else (self.gold_by_type, self.detected_by_type, self.corrected_by_type))
        return {name: {"n": n, "detection_recall": round(detected[name] / n, 4),
                       "correction_recall": round(corrected[name] / n, 4)} for name, n in gold.most_common()}

    def recall_table(self, source: str) -> dict[str, Any]:
        """The shape `domain.analysis.recall.MeasuredRecall.from_dict` reads: detection recall per learner type."""
        total = sum(self.gold_by_area.values())
        return {"source": source, "overall": round(sum(self.detected_by_area.values()) / total, 4) if total else 0.0,
                "by_type": {name: row["detection_recall"] for name, row in self.per_type(by_area=True).items()},
                "annotated_edits": dict(self.gold_by_area.most_common())}

    def rule_precision_table(self, prefix: str, source: str) -> dict[str, Any]:
        """Edits proposed and right per rule of one detector (`prefix`, which the keys leave out), most proposed
        first: the shape `adapters.analysis.languagetool.load_rule_precision` reads."""
        proposed = Counter({r.removeprefix(prefix): n for r, n in self.by_rule.items() if r.startswith(prefix)})
        correct = Counter({r.removeprefix(prefix): n for r, n in self.correct_by_rule.items() if r.startswith(prefix)})
        return {"source": source, "sentences": self.sentences, "rules": rule_precision_rows(proposed, correct)}

    def __add__(self, other: Evaluation) -> Evaluation:
        return Evaluation(self.correction + other.correction, self.detection + other.detection,
                          self.sentences + other.sentences, self.seconds + other.seconds,
                          self.by_rule + other.by_rule, self.correct_by_rule + other.correct_by_rule,
                          self.gold_by_type + other.gold_by_type, self.detected_by_type + other.detected_by_type,
                          self.corrected_by_type + other.corrected_by_type, self.gold_by_area + other.gold_by_area,
                          self.detected_by_area + other.detected_by_area,
                          self.corrected_by_area + other.corrected_by_area)


def evaluate(checker: LocalGrammarChecker, annotator: Any, sentences: list[M2Sentence],
             hint_below: float = HINT_BELOW) -> Evaluation:
    started = time.perf_counter()
    correction, detection = Counts(), Counts()
    by_rule: Counter[str] = Counter()
    correct_by_rule: Counter[str] = Counter()
    result = Evaluation(Counts(), Counts(), len(sentences), 0.0, by_rule, correct_by_rule)
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
        _count_types(result, sentence, hypothesis, annotator)
    result.correction, result.detection = correction, detection
    result.seconds = time.perf_counter() - started
    return result


def _count_types(result: Evaluation, sentence: M2Sentence, hypothesis: list[M2Edit], annotator: Any) -> None:
    spans = {(e.start, e.end) for e in hypothesis}
    corrections = {(e.start, e.end, e.correction) for e in hypothesis}
    for edit in sentence.edits:
        if edit.type == "UNK":
            continue
        code = edit.type if ":" in edit.type else _errant_code(annotator, sentence.tokens, edit)
        original = " ".join(sentence.tokens[edit.start:edit.end])
        area = learner_type("", code, original, edit.correction).value
        found, right = (edit.start, edit.end) in spans, (edit.start, edit.end, edit.correction) in corrections
        for name, gold, detected, corrected in (
                (code, result.gold_by_type, result.detected_by_type, result.corrected_by_type),
                (area, result.gold_by_area, result.detected_by_area, result.corrected_by_area)):
            gold[name] += 1
            detected[name] += found
            corrected[name] += right


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


def _errant_code(annotator: Any, tokens: tuple[str, ...], edit: M2Edit) -> str:
    """ERRANT's code for a gold edit typed in another scheme (CoNLL's NUCLE codes: `ArtOrDet`, `Vt`), so the
    per-type recall of every corpus reads in one set of types. The edit is classified as it stands (not
    minimised), alone against the original sentence."""
    corrected = edit.correction.split()
    cor_tokens = [*tokens[:edit.start], *corrected, *tokens[edit.end:]]
    orig = annotator.parse(" ".join(tokens))
    cor = annotator.parse(" ".join(cor_tokens))
    span = [edit.start, edit.end, edit.start, edit.start + len(corrected)]
    return str(annotator.import_edit(orig, cor, span, min=False).type)
