"""Regressors from measurements to human scores (speechocean762 scales), speaker-fold cross-validation,
and the model bundle the local assessor loads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from adapters.pronunciation.dataset import LabelledUtterance
from adapters.pronunciation.features import (
    PHONE_CATEGORIES,
    WORD_CATEGORIES,
    phone_features,
    phone_views,
    utterance_context,
    utterance_features,
    utterance_gop,
    word_features,
)
from adapters.pronunciation.measurement import Measurement

SENTENCE_TARGETS = ("accuracy", "fluency", "prosodic", "completeness", "total")
MISPRONOUNCED_PHONE = 1.0  # phone accuracy below this (0-2 scale) counts as mispronounced
MISPRONOUNCED_WORD = 6.0  # word accuracy below this (0-10 scale)
# 3: phone identity, what the loop heard and the neighbours in the word as features (categories in the trees);
# 4: the utterance's context (`CONTEXT_FEATURES`) beside each word and phone
BUNDLE_VERSION = 4

Matrix = npt.NDArray[np.float64]


@dataclass
class Table:
    x: list[list[float]] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    utterances: list[int] = field(default_factory=list)

    def add(self, x: list[float], y: float, group: str, utterance: int) -> None:
        self.x.append(x)
        self.y.append(y)
        self.groups.append(group)
        self.utterances.append(utterance)

    def arrays(self) -> tuple[Matrix, Matrix, npt.NDArray[np.str_]]:
        return np.asarray(self.x, float), np.asarray(self.y, float), np.asarray(self.groups)


@dataclass
class Tables:
    sentence: dict[str, Table]
    word: Table
    phone: Table


def build_tables(pairs: list[tuple[LabelledUtterance, Measurement]]) -> Tables:
    sentence = {t: Table() for t in SENTENCE_TARGETS}
    word, phone = Table(), Table()
    for number, (item, measurement) in enumerate(pairs):
        labels = item.labels
        words = labels.get("words", [])
        u_features = utterance_features(measurement, len(words) or len(item.text.split()))
        for target in SENTENCE_TARGETS:
            if target in labels:
                sentence[target].add(u_features, float(labels[target]), item.speaker, number)
        views = phone_views(measurement)
        mean_gop = utterance_gop(measurement)
        context = utterance_context(u_features)
        spans = {w.index: w for w in measurement.words}
        for index, truth in enumerate(words):
            span = spans.get(index)
            if span is None:
                continue
            word.add(word_features(span, views[index], mean_gop, context), float(truth["accuracy"]), item.speaker,
                     number)
            scores = truth.get("phones_accuracy", [])
            if len(scores) == len(views[index]):
                for position, score in enumerate(scores):
                    phone.add(phone_features(views[index], position, span, mean_gop, context), float(score),
                              item.speaker, number)
    return Tables(sentence, word, phone)


_CATEGORIES = {"word": WORD_CATEGORIES, "phone": PHONE_CATEGORIES}


def _categorical(level: str, width: int) -> npt.NDArray[np.bool_]:
    mask = np.zeros(width, bool)
    mask[list(_CATEGORIES[level])] = True
    return mask


def _regressor(level: str, width: int) -> Any:
    from sklearn.ensemble import HistGradientBoostingRegressor

    return HistGradientBoostingRegressor(max_iter=200, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=30,
                                         l2_regularization=1.0, random_state=0,
                                         categorical_features=_categorical(level, width))


def _sentence_regressor() -> Any:
    """The mean of a boosted-tree model and a ridge line: with 2,500 utterances the trees alone overfit
    speakers and the line alone misses the bends, and their average beats both under speaker-fold CV."""
    from sklearn.ensemble import HistGradientBoostingRegressor, VotingRegressor
    from sklearn.linear_model import RidgeCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    trees = HistGradientBoostingRegressor(max_iter=400, learning_rate=0.02, max_leaf_nodes=7, min_samples_leaf=40,
                                          l2_regularization=1.0, random_state=0)
    line = make_pipeline(StandardScaler(), RidgeCV(alphas=np.logspace(-2, 3, 12)))
    return VotingRegressor([("trees", trees), ("ridge", line)])


def _classifier(level: str, width: int) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=30,
                                          l2_regularization=1.0, random_state=0,
                                          categorical_features=_categorical(level, width))


def fit_bundle(tables: Tables) -> dict[str, Any]:
    """Everything the local assessor needs, in one picklable dict."""
    bundle: dict[str, Any] = {"version": BUNDLE_VERSION, "sentence": {}}
    for target, table in tables.sentence.items():
        x, y, _ = table.arrays()
        if len(y):
            bundle["sentence"][target] = _sentence_regressor().fit(x, y)
    for level, table, threshold in (("word", tables.word, MISPRONOUNCED_WORD),
                                    ("phone", tables.phone, MISPRONOUNCED_PHONE)):
        x, y, _ = table.arrays()
        bundle[level] = _regressor(level, x.shape[1]).fit(x, y)
        bundle[f"{level}_error"] = _classifier(level, x.shape[1]).fit(x, (y < threshold).astype(int))
    return bundle


def pearson(a: Matrix, b: Matrix) -> float:
    if len(a) < 3 or np.std(a) == 0 or np.std(b) == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def cross_validate(tables: Tables, folds: int = 5) -> dict[str, float]:
    """Out-of-fold predictions with speaker folds (GroupKFold: no speaker in both train and test)."""
    from sklearn.model_selection import GroupKFold

    results: dict[str, float] = {}
    named = [(f"pcc_{'prosody' if t == 'prosodic' else t}", table) for t, table in tables.sentence.items()]
    named += [("pcc_word_accuracy", tables.word), ("pcc_phone_accuracy", tables.phone)]
    levels = {"pcc_word_accuracy": "word", "pcc_phone_accuracy": "phone"}
    for name, table in named:
        x, y, groups = table.arrays()
        if len(set(groups.tolist())) < folds:
            results[name] = float("nan")
            continue
        level = levels.get(name)
        predicted = np.zeros_like(y)
        for train, test in GroupKFold(n_splits=folds).split(x, y, groups):
            model = _regressor(level, x.shape[1]) if level else _sentence_regressor()
            predicted[test] = model.fit(x[train], y[train]).predict(x[test])
        results[name] = round(pearson(predicted, y), 4)
    results["n"] = len(tables.sentence["total"].y)
    results["speakers"] = len(set(tables.sentence["total"].groups))
    return results
