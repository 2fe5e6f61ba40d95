"""A labelled miscue set made from real read speech, to calibrate and measure the omission decision.

From each sampled utterance of a labels.jsonl-shaped corpus: the untouched reading; the reading with one
word cut out at the boundaries the aligner finds in the untouched reading (that word is omitted, the
text is unchanged); and, for every other utterance, the reading with a word of another utterance spliced
into a pause between two words (nothing is omitted; the spliced word is an insertion). Measurements are
cached as JSON lines, so fitting and reporting rebuild the features in seconds.
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
from adapters.pronunciation.omission import OmissionDecision, agreed_absent, omission_features
from adapters.pronunciation.sphinx import SphinxModels

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
    # None: the aligner gave the word no span, and the assessor reports every such word as omitted
    features: list[float] | None


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

    def __init__(self, cache: Path, sink: TextIO) -> None:
        self.done = _read_cache(cache)
        self._sink = sink
        self._models: SphinxModels | None = None

    def get(self, item: LabelledUtterance, variant: str, samples: Audio,
            **record: Any) -> tuple[str, dict[str, Any]]:
        from adapters.pronunciation.acoustics import measure

        key = f"{item.utt}:{variant}"
        if key not in self.done:
            self._models = self._models or SphinxModels(1)
            record = {"utt": item.utt, "variant": variant, **record,
                      "measurement": measure(self._models, samples(), _words(item)).to_json()}
            self._sink.write(json.dumps({"key": key, **record}) + "\n")
            self._sink.flush()
            self.done[key] = record
        return key, self.done[key]


def build(items: list[LabelledUtterance], cache: Path, seed: int = 0) -> Iterator[tuple[str, dict[str, Any]]]:
    """(variant key, record) for every variant of every item, measured once and cached in `cache`."""
    cache.parent.mkdir(parents=True, exist_ok=True)
    donor: tuple[LabelledUtterance, WordSpan] | None = None  # the longest word of the previous utterance
    with cache.open("a") as sink:
        variants = _MeasuredVariants(cache, sink)
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
    reports as an omission, so leaving it out would hide the aligner's failures from the numbers."""
    by_utt = {i.utt: i for i in items}
    result = []
    for _, record in records:
        item = by_utt[record["utt"]]
        measurement = Measurement.from_json(record["measurement"])
        views, mean_gop = phone_views(measurement), utterance_gop(measurement)
        spans = {s.index: s for s in measurement.words}
        for index, labels in enumerate(item.labels["words"]):
            cut = record.get("cut") == index
            span = spans.get(index)
            result.append(MiscueWord(
                item.utt, item.speaker, record["variant"], cut, None if cut else float(labels["accuracy"]),
                len(span.phones) if span else len(labels.get("phones", ())) or 1,
                omission_features(span, views[index], mean_gop, index in measurement.skipped) if span else None,
            ))
    return result


def fit(words: list[MiscueWord], max_false_omissions: float = 0.01) -> OmissionDecision:
    """Logistic regression on the aligned words, then the lowest threshold whose false omission rate on
    well-said words of the fitting set stays within `max_false_omissions`, counting the well-said words the
    aligner left without a span, and those `agreed_absent` omits, as false omissions already spent (the highest
    recall that keeps that promise)."""
    from sklearn.linear_model import LogisticRegression

    aligned = [w for w in words if w.features is not None]
    x = np.asarray([w.features for w in aligned])
    y = np.asarray([w.omitted for w in aligned])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000).fit((x - mean) / scale, y)
    decision = OmissionDecision(tuple(mean), tuple(scale), tuple(model.coef_[0]), float(model.intercept_[0]), 0.5)
    well_said = [w for w in words if _well_said(w)]
    judged = [w.features for w in well_said if w.features is not None and not agreed_absent(w.features)]
    good = sorted((decision.probability(f) for f in judged), reverse=True)
    allowed = max(0, int(max_false_omissions * len(well_said)) - (len(well_said) - len(judged)))
    threshold = max(0.5, good[allowed] + 1e-6) if len(good) > allowed else 0.5
    return OmissionDecision(decision.mean, decision.scale, decision.weights, decision.bias, round(threshold, 6))


def _well_said(word: MiscueWord) -> bool:
    return not word.omitted and word.human is not None and word.human >= GOOD_WORD


def report(words: list[MiscueWord], omitted: Callable[[MiscueWord], bool]) -> dict[str, Any]:
    """False omission rate on well-said words (all variants, and untouched readings alone) and recall on cut
    words (all, and by length: short function words are the hard ones). `omitted` judges aligned words; a
    word the aligner left without a span counts as omitted, as the assessor reports it."""
    def reported_omitted(word: MiscueWord) -> bool:
        return word.features is None or omitted(word)

    def rate(selected: list[MiscueWord]) -> float | None:
        return round(sum(reported_omitted(w) for w in selected) / len(selected), 4) if selected else None

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
        decided.update({id(w): w.features is not None and decision.omitted(w.features)
                        for w in words if fold_of[w.speaker] == fold})
    return report(words, lambda w: decided[id(w)])
