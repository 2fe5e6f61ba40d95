"""Measures of cross-validated CEFR predictions per corpus, as `englivo evaluate cefr-cv` reports them.

Everything is on the 1-6 position scale (1 = A1 ... 6 = C2); a level is a position rounded. Per corpus:
level agreement (QWK, exact and adjacent accuracy), Pearson and RMSE, the mean signed error (positive: too
high) overall and per gold level, and the expected calibration error of the level probabilities the domain
gives (`domain.cefr.distribution.place`). CEFR-SP has two annotators per sentence: it is scored against
their mean (strict), against either annotator (a hit when either gave the predicted level), and against the
higher of the two.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import cohen_kappa_score

from adapters.cefr.training import FOLDS, TREE_SEEDS, Featurized, Progress, fit_bundle
from domain.cefr.distribution import ROUGH_BELOW_WORDS, ROUGH_SIGMA_FACTOR, level_probabilities
from domain.cefr.scale import LEVELS
from domain.cefr.short_text import profile_weight

ECE_BINS = 10


def as_levels(positions: np.ndarray) -> np.ndarray:
    return np.asarray(np.clip(np.rint(positions), 1, 6).astype(int))


def level_agreement(gold: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """QWK, exact and adjacent accuracy of the predicted levels against gold levels (1-6 integers)."""
    qwk = cohen_kappa_score(gold, predicted, weights="quadratic", labels=list(range(1, 7)))
    return {
        "qwk": round(float(qwk), 4),
        "accuracy": round(float(np.mean(gold == predicted)), 4),
        "adjacent_accuracy": round(float(np.mean(np.abs(gold - predicted) <= 1)), 4),
    }


def signed_error_by_level(truth: np.ndarray, predicted: np.ndarray) -> dict[str, dict[str, float]]:
    """Per gold level: how many texts and the mean of predicted minus gold position (positive: too high)."""
    gold = as_levels(truth)
    out: dict[str, dict[str, float]] = {}
    for rank, level in enumerate(LEVELS, 1):
        pick = gold == rank
        if pick.any():
            error = float(np.mean(predicted[pick] - truth[pick]))
            out[level.value] = {"n": int(pick.sum()), "mean_signed_error": round(error, 3)}
    return out


def expected_calibration_error(
    gold: np.ndarray, means: np.ndarray, sigmas: np.ndarray, bins: int = ECE_BINS
) -> dict[str, float]:
    """ECE of the level probabilities: texts binned by the probability of the level they are placed at
    (the confidence), the gap between the bin's mean confidence and its share of correct levels, weighted
    by the bin's size; also the mean log-loss of the gold level."""
    confidence = np.zeros(len(gold))
    correct = np.zeros(len(gold))
    gold_probability = np.zeros(len(gold))
    for i, (mean, sigma) in enumerate(zip(means, sigmas, strict=True)):
        probabilities = np.array([p.probability for p in level_probabilities(float(mean), float(sigma))])
        placed = int(np.argmax(probabilities))
        confidence[i] = probabilities[placed]
        correct[i] = float(placed + 1 == gold[i])
        gold_probability[i] = probabilities[gold[i] - 1]
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    ece = sum(
        abs(confidence[which == b].mean() - correct[which == b].mean()) * np.mean(which == b)
        for b in range(bins)
        if (which == b).any()
    )
    return {
        "ece": round(float(ece), 4),
        "mean_confidence": round(float(confidence.mean()), 4),
        "accuracy": round(float(correct.mean()), 4),
        "log_loss": round(float(-np.mean(np.log(np.maximum(gold_probability, 1e-4)))), 4),
    }


def _pearson(truth: np.ndarray, predicted: np.ndarray) -> float:
    if len(truth) < 2 or np.ptp(truth) == 0 or np.ptp(predicted) == 0:
        return 0.0
    return round(float(np.corrcoef(truth, predicted)[0, 1]), 4)


def report(
    truth: np.ndarray,
    predicted: np.ndarray,
    sigmas: np.ndarray | None = None,
) -> dict[str, Any]:
    """The measures of one corpus; `truth` and `predicted` are positions, `sigmas` the predictive spread
    the model gave each text (for the calibration error)."""
    gold = as_levels(truth)
    out: dict[str, Any] = {
        "n": len(truth),
        **level_agreement(gold, as_levels(predicted)),
        "pearson": _pearson(truth, predicted),
        "rmse": round(float(np.sqrt(np.mean((predicted - truth) ** 2))), 4),
        "mean_signed_error": round(float(np.mean(predicted - truth)), 4),
        "predicted_levels": {
            level.value: int(np.sum(as_levels(predicted) == rank))
            for rank, level in enumerate(LEVELS, 1)
            if np.any(as_levels(predicted) == rank)
        },
        "by_gold_level": signed_error_by_level(truth, predicted),
    }
    if sigmas is not None:
        out["calibration"] = expected_calibration_error(gold, predicted, sigmas)
    return out


def two_annotator_report(
    annotators: Sequence[tuple[int, ...]], predicted: np.ndarray, sigmas: np.ndarray | None = None
) -> dict[str, Any]:
    """CEFR-SP: strict against the annotators' mean, then against either annotator and the higher one."""
    levels = np.array([[min(a), max(a)] for a in annotators])
    mean = levels.mean(axis=1)
    placed = as_levels(predicted)
    distance = np.minimum(np.abs(placed - levels[:, 0]), np.abs(placed - levels[:, 1]))
    between = (placed >= levels[:, 0]) & (placed <= levels[:, 1])
    higher = levels[:, 1].astype(float)
    return {
        "strict": report(mean, predicted, sigmas),
        "either": {
            "accuracy": round(float(np.mean(distance == 0)), 4),
            "adjacent_accuracy": round(float(np.mean((distance <= 1) | between)), 4),
        },
        "higher": report(higher, predicted),
    }


@dataclass(frozen=True)
class OutOfFold:
    predicted: np.ndarray
    """Each sample's position as the engine would give it (short texts blended with the profile estimate)."""
    sigmas: np.ndarray
    """The predictive spread the fold's model gave each sample (widened for rough estimates)."""


def fold_of(group: str, folds: int) -> int:
    """A group's fold from a hash of its name: it stays put when other samples are added to the data."""
    return zlib.crc32(group.encode("utf-8")) % folds


def out_of_fold(
    data: Featurized,
    folds: int = FOLDS,
    progress: Progress = lambda _: None,
    tree_seeds: Sequence[int] = TREE_SEEDS,
) -> OutOfFold:
    """Group k-fold over all corpora at once (a writer's essays, a test-taker's answers and session, one
    CEFR-SP sentence are each one group): each fold's model is trained by `fit_bundle` on the other folds,
    exactly as the shipped model is on everything, and predicts the held-out samples as the engine does.
    `tree_seeds`: the seeds of the trees averaged in each fold's model (the shipped five by default)."""
    predicted = np.zeros(len(data.samples))
    sigmas = np.zeros(len(data.samples))
    assigned = np.array([fold_of(group, folds) for group in data.groups])
    for k in range(folds):
        train, test = np.where(assigned != k)[0], np.where(assigned == k)[0]
        bundle = fit_bundle(data, train, tree_seeds=tree_seeds)
        raw = bundle.predict(
            [data.values[i] for i in test],
            [data.texts[i] for i in test],
            [data.pos[i] for i in test],
            [data.tokens[i] for i in test],
        )
        for j, i in enumerate(test):
            words = data.words[i]
            weight = profile_weight(words)
            predicted[i] = weight * data.profile_positions[i] + (1 - weight) * raw[j]
            rough = ROUGH_SIGMA_FACTOR if words < ROUGH_BELOW_WORDS else 1.0
            sigmas[i] = bundle.sigma_for(data.samples[i].kind, words) * rough
        progress(f"fold {k + 1}/{folds} done")
    return OutOfFold(predicted, sigmas)


def corpus_reports(data: Featurized, oof: OutOfFold) -> dict[str, Any]:
    """`report` per corpus present (CEFR-SP with its two annotators)."""
    out: dict[str, Any] = {}
    for corpus in dict.fromkeys(s.corpus for s in data.samples):
        rows = np.array([i for i, s in enumerate(data.samples) if s.corpus == corpus])
        annotators = [data.samples[i].annotator_levels for i in rows]
        if all(a is not None for a in annotators):
            out[corpus] = two_annotator_report(
                [a for a in annotators if a is not None], oof.predicted[rows], oof.sigmas[rows]
            )
        else:
            out[corpus] = report(data.y[rows], oof.predicted[rows], oof.sigmas[rows])
    return out


def cross_validate(
    data: Featurized,
    folds: int = FOLDS,
    progress: Progress = lambda _: None,
    tree_seeds: Sequence[int] = TREE_SEEDS,
) -> dict[str, Any]:
    return corpus_reports(data, out_of_fold(data, folds, progress, tree_seeds))
