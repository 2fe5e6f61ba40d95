"""A labelled miscue set made from real read speech, to calibrate and measure the omission decision.

From each sampled utterance of a labels.jsonl-shaped corpus: the untouched reading; the reading with one
word cut out at the boundaries the aligner finds in the untouched reading (that word is omitted, the
text is unchanged); and, for every other utterance, the reading with a word of another utterance spliced
into a pause between two words (nothing is omitted; the spliced word is an insertion). Measurements are
cached as JSON lines with what the recogniser the API runs beside the assessor heard in each variant (the
omission decision weighs whether it heard a word), so fitting and reporting rebuild the features in seconds.
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import numpy.typing as npt

from adapters.pronunciation.dataset import LabelledUtterance, read_audio
from adapters.pronunciation.features import phone_views, squeezed, utterance_gop
from adapters.pronunciation.measurement import Measurement, WordSpan
from adapters.pronunciation.omission import LogisticOmission, OmissionDecision, omission_features
from adapters.pronunciation.sphinx import SphinxModels
from domain.pronunciation.text import heard_words

SAMPLES_PER_FRAME = 160
MIN_CUT_FRAMES = 12  # a word the aligner gave less than 0.12 s is not a trustworthy place to cut
GOOD_WORD = 8.0  # human word accuracy (0-10) from which a word counts as well said


@dataclass(frozen=True)
class MiscueWord:
    utt: str
    speaker: str
    variant: str  # "untouched" | "cut" | "insert"
    omitted: bool  # the word's audio was cut out
    human: float | None  # the judges' word accuracy (0-10) on the untouched reading
    phones: int
    # None: the aligner gave the word no span, and the assessor reports such a word omitted unless it was heard
    features: list[float] | None
    heard: bool | None = None  # whether the recogniser heard the word (None: no recogniser listened)


def sample(items: list[LabelledUtterance], limit: int, seed: int) -> list[LabelledUtterance]:
    picked = [i for i in items if len(i.labels.get("words", [])) >= 3]
    random.Random(seed).shuffle(picked)
    return picked[:limit]


def _words(item: LabelledUtterance) -> list[str]:
    return [w["text"] for w in item.labels["words"]]


def _cut_word(item: LabelledUtterance, spans: tuple[WordSpan, ...], rng: random.Random) -> WordSpan | None:
    humans = item.labels["words"]
    fit = [s for s in spans if s.frames >= MIN_CUT_FRAMES and not squeezed(s) and humans[s.index]["accuracy"] >= 5]
    return rng.choice(fit) if fit else None


def _gap(spans: tuple[WordSpan, ...], rng: random.Random) -> int | None:
    """A frame between two consecutive words where a word can be spliced in."""
    inner = list(pairwise(spans))
    if not inner:
        return None
    left, right = rng.choice(inner)
    return (left.start + left.frames + right.start) // 2


Audio = Callable[[], npt.NDArray[np.float32]]
Recognise = Callable[[npt.NDArray[np.float32]], str]


def _without(audio: Audio, word: WordSpan) -> npt.NDArray[np.float32]:
    samples = audio()
    return np.concatenate([samples[:word.start * SAMPLES_PER_FRAME],
                           samples[(word.start + word.frames) * SAMPLES_PER_FRAME:]])


def _spliced(audio: Audio, gap: int, source: LabelledUtterance, word: WordSpan) -> npt.NDArray[np.float32]:
    samples, at = audio(), gap * SAMPLES_PER_FRAME
    inserted = read_audio(source.audio)[word.start * SAMPLES_PER_FRAME:(word.start + word.frames) * SAMPLES_PER_FRAME]
    return np.concatenate([samples[:at], inserted, samples[at:]])


class _MeasuredVariants:
    """Variant records by key, read from and appended to the cache file; audio is read only when measuring."""

    def __init__(self, cache: Path, sink: TextIO, recognise: Recognise) -> None:
        self.done = _read_cache(cache)
        self._sink = sink
        self._models: SphinxModels | None = None
        self._recognise = recognise

    def get(self, item: LabelledUtterance, variant: str, samples: Audio,
            **record: Any) -> tuple[str, dict[str, Any]]:
        from adapters.pronunciation.acoustics import measure

        key = f"{item.utt}:{variant}"
        if key not in self.done:
            self._models = self._models or SphinxModels(1)
            audio = samples()
            record = {"utt": item.utt, "variant": variant, **record,
                      "measurement": measure(self._models, audio, _words(item)).to_json(),
                      "heard": self._recognise(audio)}
            self._sink.write(json.dumps({"key": key, **record}) + "\n")
            self._sink.flush()
            self.done[key] = record
        return key, self.done[key]


def build(items: list[LabelledUtterance], cache: Path, recognise: Recognise,
          seed: int = 0) -> Iterator[tuple[str, dict[str, Any]]]:
    """(variant key, record) for every variant of every item, measured (and heard by `recognise`) once and
    cached in `cache`."""
    cache.parent.mkdir(parents=True, exist_ok=True)
    donor: tuple[LabelledUtterance, WordSpan] | None = None  # the longest word of the previous utterance
    with cache.open("a") as sink:
        variants = _MeasuredVariants(cache, sink, recognise)
        for number, item in enumerate(items):
            rng = random.Random(f"{seed}:{item.utt}")
            audio = functools.cache(functools.partial(read_audio, item.audio))
            untouched = variants.get(item, "untouched", audio)
            yield untouched
            spans = Measurement.from_json(untouched[1]["measurement"]).words
            cut, gap = _cut_word(item, spans, rng), _gap(spans, rng)
            if cut is not None:
                yield variants.get(item, "cut", functools.partial(_without, audio, cut), cut=cut.index)
            if number % 2 == 1 and donor is not None and gap is not None:
                yield variants.get(item, "insert", functools.partial(_spliced, audio, gap, *donor), at=gap,
                                   frames=donor[1].frames)
            donor = (item, max(spans, key=lambda s: s.frames)) if spans else None


def _read_cache(cache: Path) -> dict[str, dict[str, Any]]:
    if not cache.exists():
        return {}
    rows = (json.loads(line) for line in cache.read_text().splitlines() if line.strip())
    return {row.pop("key"): row for row in rows}


def words_of_set(items: list[LabelledUtterance], records: list[tuple[str, dict[str, Any]]]) -> list[MiscueWord]:
    """Every word the learner was asked to read, aligned or not: a word without a span is what the assessor
    reports as an omission unless it was heard, so leaving it out would hide the aligner's failures."""
    by_utt = {i.utt: i for i in items}
    result = []
    for _, record in records:
        item = by_utt[record["utt"]]
        measurement = Measurement.from_json(record["measurement"])
        views, mean_gop = phone_views(measurement), utterance_gop(measurement)
        spans = {s.index: s for s in measurement.words}
        heard = _heard(_words(item), record.get("heard"))
        for index, labels in enumerate(item.labels["words"]):
            cut = record.get("cut") == index
            span = spans.get(index)
            result.append(MiscueWord(
                item.utt, item.speaker, record["variant"], cut, None if cut else float(labels["accuracy"]),
                len(span.phones) if span else len(labels.get("phones", ())) or 1,
                omission_features(span, views[index], mean_gop, index in measurement.skipped) if span else None,
                heard[index] if heard is not None else None,
            ))
    return result


def _heard(words: list[str], heard: str | None) -> list[bool] | None:
    if heard is None:
        return None
    flags = heard_words(" ".join(words), heard)
    return flags if len(flags) == len(words) else None  # a label word `words_of` does not read as one word


def fit(words: list[MiscueWord], max_false_omissions: float = 0.01) -> OmissionDecision:
    """Two logistic regressions, each with the lowest threshold whose false omission rate on well-said words
    of the fitting set stays within `max_false_omissions` (the highest recall that keeps that promise):
    `acoustic` on every aligned word, for when no recogniser listened; and, where the set records what a
    recogniser heard, `unheard` on the aligned words it did not hear, judged with the recogniser's help
    (heard words are never omitted). Omissions the rule makes whatever the regression says (a word the
    aligner left without a span, `agreed_absent`) count as false omissions already spent."""
    acoustic = _thresholded(_fitted(words, lambda w: True), words, max_false_omissions, lambda w: None)
    if any(w.heard is None for w in words):
        return OmissionDecision(acoustic)
    unheard = _fitted(words, lambda w: not w.heard)
    return OmissionDecision(acoustic, _thresholded(unheard, words, max_false_omissions, lambda w: w.heard))


def _fitted(words: list[MiscueWord], picked: Callable[[MiscueWord], bool]) -> LogisticOmission:
    from sklearn.linear_model import LogisticRegression

    rows = [w for w in words if w.features is not None and picked(w)]
    x = np.asarray([w.features for w in rows])
    y = np.asarray([w.omitted for w in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000).fit((x - mean) / scale, y)
    return LogisticOmission(tuple(mean), tuple(scale), tuple(model.coef_[0]), float(model.intercept_[0]), 0.5)


def _thresholded(model: LogisticOmission, words: list[MiscueWord], max_false_omissions: float,
                 heard: Callable[[MiscueWord], bool | None]) -> LogisticOmission:
    well_said = [w for w in words if _well_said(w)]
    rule = OmissionDecision(LogisticOmission(model.mean, model.scale, model.weights, model.bias, 2.0))
    spent = sum(rule.omitted(w.features, heard(w)) for w in well_said)  # omitted whatever the threshold
    judged = [w.features for w in well_said
              if w.features is not None and not heard(w) and not rule.omitted(w.features, heard(w))]
    good = sorted((model.probability(f) for f in judged), reverse=True)
    allowed = max(0, int(max_false_omissions * len(well_said)) - spent)
    threshold = max(0.5, good[allowed] + 1e-6) if len(good) > allowed else 0.5
    return LogisticOmission(model.mean, model.scale, model.weights, model.bias, round(threshold, 6))


def _well_said(word: MiscueWord) -> bool:
    return not word.omitted and word.human is not None and word.human >= GOOD_WORD


def report(words: list[MiscueWord], omitted: Callable[[MiscueWord], bool]) -> dict[str, Any]:
    """False omission rate on well-said words (all variants, and untouched readings alone) and recall on cut
    words (all, and by length: short function words are the hard ones). `omitted` judges every word, those the
    aligner left without a span too, as the assessor does."""

    def rate(selected: list[MiscueWord]) -> float | None:
        return round(sum(omitted(w) for w in selected) / len(selected), 4) if selected else None

    good = [w for w in words if _well_said(w)]
    cut = [w for w in words if w.omitted]
    return {
        "false_omissions_good_words": rate(good), "good_words": len(good),
        "good_words_unaligned": sum(w.features is None for w in good),
        "false_omissions_good_words_untouched": rate([w for w in good if w.variant == "untouched"]),
        "omissions_all_said_words": rate([w for w in words if not w.omitted]),
        "omission_recall_cut_words": rate(cut), "cut_words": len(cut),
        "omission_recall_cut_words_3_phones_or_more": rate([w for w in cut if w.phones >= 3]),
        "omission_recall_cut_words_1_2_phones": rate([w for w in cut if w.phones < 3]),
    }


def cross_validate(words: list[MiscueWord], max_false_omissions: float, folds: int = 5) -> dict[str, Any]:
    """Speaker folds: the decision (weights and threshold) is fitted on the other folds' speakers and judged
    on this fold's; the judgements are pooled into one report."""
    speakers = sorted({w.speaker for w in words})
    fold_of = {s: i % folds for i, s in enumerate(speakers)}
    decided: dict[int, bool] = {}
    for fold in range(folds):
        decision = fit([w for w in words if fold_of[w.speaker] != fold], max_false_omissions)
        decided.update({id(w): decision.omitted(w.features, w.heard) for w in words if fold_of[w.speaker] == fold})
    return report(words, lambda w: decided[id(w)])
