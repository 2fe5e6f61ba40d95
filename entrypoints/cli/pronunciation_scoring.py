"""Scores of assessments against the judges' labels (speechocean762's shape): Pearson per score, word and
phone accuracy over the reference words, and the false omission rate on well-read words. Shared by
`englivo evaluate pronunciation` and the end-to-end cross-validation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from adapters.pronunciation.dataset import LabelledUtterance
from adapters.pronunciation.miscues import GOOD_WORD
from adapters.pronunciation.training import pearson
from domain.errors import UserError
from domain.pronunciation.assessment import PronunciationAssessment, WordErrorKind

SENTENCE_SCORES = (("accuracy", "accuracy"), ("fluency", "fluency"), ("prosodic", "prosody"),
                   ("completeness", "completeness"), ("total", "pronunciation"))


def assessed(assess: Callable[[bytes, str], PronunciationAssessment],
             item: LabelledUtterance) -> PronunciationAssessment | UserError:
    """The assessment of `item`'s recording, or the typed error a learner would get instead."""
    try:
        return assess(item.audio.read_bytes(), item.text)
    except UserError as error:
        return error


def prediction_row(item: LabelledUtterance, result: PronunciationAssessment | UserError) -> dict[str, Any]:
    """One recording as the learner met it beside the judges' labels: for reading errors one by one."""
    labels = {name: item.labels[name] for name, _ in SENTENCE_SCORES if name in item.labels}
    if isinstance(result, UserError):
        return {"utt": item.utt, "rejected": result.code, "labels": labels}
    return {"utt": item.utt, "scores": {name: getattr(result.scores, attribute) for name, attribute in SENTENCE_SCORES},
            "warnings": list(result.warnings), "labels": labels,
            "words": [[w.text, w.error.value, w.accuracy] for w in result.words],
            "word_labels": [w["accuracy"] for w in item.labels.get("words", [])]}


class AssessmentScores:
    def __init__(self) -> None:
        self._pairs: dict[str, tuple[list[float], list[float]]] = {}
        self.good_words = self.good_omitted = self.assessed = 0
        self.rejected: list[str] = []

    def _add(self, name: str, predicted: float, truth: float) -> None:
        self._pairs.setdefault(name, ([], []))[0].append(predicted)
        self._pairs[name][1].append(truth)

    def add(self, item: LabelledUtterance, result: PronunciationAssessment | UserError) -> None:
        """A rejected recording is listed, not scored: the learner got no scores for it."""
        if isinstance(result, UserError):
            self.rejected.append(f"{item.utt}: {result.code}")
            return
        self.assessed += 1
        labels = item.labels
        for name, attribute in SENTENCE_SCORES:
            if name in labels:
                self._add(name, getattr(result.scores, attribute) / 10, float(labels[name]))
        said = [w for w in result.words if w.error is not WordErrorKind.INSERTION]
        truth_words = labels.get("words", [])
        if len(said) != len(truth_words):
            return
        for word, truth in zip(said, truth_words, strict=True):
            self._add("word_accuracy", word.accuracy / 10, float(truth["accuracy"]))
            if word.error is not WordErrorKind.OMISSION:
                self._add("word_accuracy_not_omitted", word.accuracy / 10, float(truth["accuracy"]))
            if float(truth["accuracy"]) >= GOOD_WORD:
                self.good_words += 1
                self.good_omitted += word.error is WordErrorKind.OMISSION
            if len(word.phonemes) == len(truth.get("phones_accuracy", [])):
                for phone, score in zip(word.phonemes, truth["phones_accuracy"], strict=True):
                    self._add("phone_accuracy", phone.accuracy / 50, float(score))

    def pcc(self, name: str) -> float | None:
        if name not in self._pairs:
            return None
        value = pearson(np.asarray(self._pairs[name][0]), np.asarray(self._pairs[name][1]))
        return None if np.isnan(value) else round(value, 4)

    def report(self) -> dict[str, Any]:
        return {
            "assessed": self.assessed, "rejected": self.rejected,
            "pcc_accuracy": self.pcc("accuracy"), "pcc_fluency": self.pcc("fluency"),
            "pcc_prosody": self.pcc("prosodic"), "pcc_completeness": self.pcc("completeness"),
            "pcc_total": self.pcc("total"), "pcc_word_accuracy": self.pcc("word_accuracy"),
            # A diagnostic: the same over the words not reported omitted (what the regressors alone give).
            "pcc_word_accuracy_not_omitted": self.pcc("word_accuracy_not_omitted"),
            "pcc_phone_accuracy": self.pcc("phone_accuracy"),
            "words": len(self._pairs.get("word_accuracy", ([], []))[0]),
            # Words the judges scored >= 8 that came back omitted: each a learner told a well-read word was skipped.
            "good_words": self.good_words, "good_words_omitted": self.good_omitted,
            "false_omission_rate_good_words":
                round(self.good_omitted / self.good_words, 4) if self.good_words else None,
        }
