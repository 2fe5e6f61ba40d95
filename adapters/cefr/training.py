"""Reproducible training and cross-validation of the shipped CEFR model.

Pipeline: hashed n-gram ridges (level; W&I error density) -> their out-of-fold predictions stacked with
the hand-made features -> LightGBM regression on the 1-6 scale (the mean of `TREE_SEEDS` seeds) -> level
cut points tuned on the trees' out-of-fold predictions of level-labelled texts (regression shrinks towards
the middle levels; see `cutpoints`) -> residual spread by kind and length (the predictive distribution) and
per-level quartiles of the explainable metrics (the feedback norms).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
from scipy import sparse
from sklearn.metrics import cohen_kappa_score, f1_score
from sklearn.model_selection import GroupKFold

from adapters.cefr.bundle import STACKED, CefrBundle, length_bucket, mean_prediction
from adapters.cefr.corpora import Sample, read_corpora
from adapters.cefr.cutpoints import FIXED, fit_cuts, to_position
from adapters.cefr.error_tokens import TokenErrorModel, edit_labels, summaries, token_matrix
from adapters.cefr.features import METRICS, extract
from adapters.cefr.ngrams import NgramScorer
from adapters.cefr.profiles import default_lexicon
from adapters.cefr.text import prepare
from domain.cefr.assessment import TextKind
from domain.cefr.scale import LEVELS
from domain.cefr.short_text import profile_position

LGB_PARAMS: dict[str, Any] = {
    "objective": "regression",
    "learning_rate": 0.02,
    "num_leaves": 15,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "num_threads": 1,
    "verbose": -1,
    "deterministic": True,
}
ROUNDS = 1000
TREE_SEEDS = (1, 2, 3, 4, 5)
"""The trees are trained once per seed and averaged. One seed's cross-validated adjacent accuracy moved
between 0.895 and 0.905 with the seed alone (the level cut points amplify small shifts of the raw output);
the mean of five is steadier and a little better (BENCHMARKS.md, CEFR experiments)."""
TREE_WEIGHTS = {"wi": 1.0, "si": 1.0, "si_pair": 0.5, "si_session": 0.5, "sp": 0.3, "jsonl": 1.0}
"""Sample weight per corpus for the trees; CEFR-SP sentences rate sentence difficulty, not a learner. Pairs of
Speak & Improve answers and whole sessions (each answer already counted once) teach the trees that a longer
transcript is not a better one (issue 20; weights 0.3 / 0.5 / 1 measured in BENCHMARKS.md)."""
RIDGE_WEIGHTS = {"wi": 1.0, "si": 0.3, "si_pair": 0.0, "si_session": 0.0, "sp": 0.0, "jsonl": 1.0}
"""The n-gram ridge learns from learner texts only, each answer once."""
FOLDS = 5
MODEL_VERSION = "cefr-lgbm-2026.12.06-length"
LEVEL_LABELLED = frozenset({"wi", "jsonl"})
"""Corpora labelled with CEFR levels (not holistic scores or sentence difficulty): the cut points are tuned
on these."""
MIN_FOR_CUTS = 200
EXCLUDED_FEATURES = frozenset(
    {"tense_variety", "structures", "structure_max_level", "max_sentence_length", "max_parse_depth"}
)
"""Values the features compute that a newly trained model does not read: counts of distinct things and
maxima, which grow with the length of the text (their windowed and percentile versions replace them).
`tense_variety` stays for the feedback; the others stay while the shipped model file, which predates this,
reads them (issue 20)."""
Progress = Callable[[str], None]


@dataclass
class Featurized:
    samples: list[Sample]
    values: list[dict[str, float]]
    pos: list[str]
    texts: list[str]
    words: list[int]
    tokens: list[sparse.csr_matrix]
    """Hashed features of each text's tokens (`error_tokens`)."""
    token_labels: list[np.ndarray | None]
    """Per token: inside an annotated error edit (1) or not (0); None where the corpus has no edits."""
    profile_positions: list[float]
    """What the CEFR-J profiles alone say (`domain.cefr.short_text`), blended in below 20 words."""

    @property
    def y(self) -> np.ndarray:
        return np.array([s.position for s in self.samples])

    def weights(self, table: dict[str, float]) -> np.ndarray:
        return np.array([table.get(s.corpus, 1.0) for s in self.samples])

    @property
    def groups(self) -> np.ndarray:
        return np.array([s.fold_group for s in self.samples])


def featurize(samples: Sequence[Sample], progress: Progress = lambda _: None) -> Featurized:
    from adapters.cefr.model import load_spacy

    nlp = load_spacy()
    lexicon = default_lexicon()
    prepared = [prepare(s.text, s.kind) for s in samples]
    values, pos, texts, words = [], [], [], []
    tokens: list[sparse.csr_matrix] = []
    labels: list[np.ndarray | None] = []
    profile_positions: list[float] = []
    started = time.perf_counter()
    for i, (sample, p, doc) in enumerate(
        zip(samples, prepared, nlp.pipe((p.text for p in prepared), batch_size=64), strict=True)
    ):
        extraction = extract(doc, p, lexicon)
        values.append(extraction.values)
        pos.append(extraction.pos_sequence)
        texts.append(p.text)
        words.append(extraction.profile.word_count)
        profile_positions.append(profile_position(extraction.profile))
        tokens.append(token_matrix(doc))
        spans = sample.error_spans if sample.kind is TextKind.WRITTEN else None
        labels.append(None if spans is None else edit_labels(sample.text, doc, spans))
        if i % 1000 == 0:
            progress(f"featurized {i}/{len(prepared)} in {time.perf_counter() - started:.0f}s")
    return Featurized(list(samples), values, pos, texts, words, tokens, labels, profile_positions)


def _fit_token_model(data: Featurized, rows: np.ndarray) -> TokenErrorModel | None:
    labelled = [i for i in rows if data.token_labels[i] is not None]
    if not labelled:
        return None
    x = sparse.vstack([data.tokens[i] for i in labelled], format="csr")
    y = np.concatenate([data.token_labels[i] for i in labelled])
    return TokenErrorModel.fit(x, y)


def _fit_trees(
    x: np.ndarray, y: np.ndarray, weights: np.ndarray, seeds: Sequence[int] = TREE_SEEDS
) -> list[lgb.Booster]:
    return [lgb.train({**LGB_PARAMS, "seed": seed}, lgb.Dataset(x, y, weight=weights), ROUNDS) for seed in seeds]


def _matrix(data: Featurized, names: Sequence[str]) -> np.ndarray:
    return np.array([[v[n] for n in names] for v in data.values], dtype=np.float64)


@dataclass
class Stack:
    """The models whose predictions feed the trees, and their out-of-fold predictions on the training rows:
    they depend on the texts alone, not on the hand-made features or the trees."""

    stacked: np.ndarray
    folds: list[tuple[np.ndarray, np.ndarray]]
    ngrams: NgramScorer
    error_ngrams: NgramScorer | None
    token_errors: TokenErrorModel | None


def fit_stack(data: Featurized, rows: np.ndarray, progress: Progress = lambda _: None) -> Stack:
    y, groups = data.y, data.groups
    w_ridge = data.weights(RIDGE_WEIGHTS)
    counts = NgramScorer.counts([data.texts[i] for i in rows], [data.pos[i] for i in rows])
    yr, gr, wr = y[rows], groups[rows], w_ridge[rows]
    errors = np.array([np.nan if s.errors_per_word is None else s.errors_per_word for s in data.samples])[rows]
    has_errors = ~np.isnan(errors)
    folds = list(GroupKFold(FOLDS).split(rows, groups=gr))
    stacked = np.zeros((len(rows), len(STACKED)))
    for k, (tr, te) in enumerate(folds):
        learn = tr[wr[tr] > 0]
        stacked[te, 0] = NgramScorer.fit(counts[learn], yr[learn], wr[learn]).predict_counts(counts[te])
        learn = tr[has_errors[tr]]
        if len(learn):
            stacked[te, 1] = NgramScorer.fit(counts[learn], errors[learn]).predict_counts(counts[te])
        stacked[te, 2:] = summaries(_fit_token_model(data, rows[tr]), [data.tokens[i] for i in rows[te]])
        progress(f"n-gram and token-error fold {k + 1}/{FOLDS}")
    learn = np.where(wr > 0)[0]
    ngrams = NgramScorer.fit(counts[learn], yr[learn], wr[learn])
    learn = np.where(has_errors)[0]
    error_ngrams = NgramScorer.fit(counts[learn], errors[learn]) if len(learn) else None
    return Stack(stacked, folds, ngrams, error_ngrams, _fit_token_model(data, rows))


def fit_bundle(
    data: Featurized,
    rows: np.ndarray,
    progress: Progress = lambda _: None,
    version: str | None = None,
    stack: Stack | None = None,
    tree_seeds: Sequence[int] = TREE_SEEDS,
) -> CefrBundle:
    """`stack`: the stacking stage already fitted on these rows (`fit_stack`), to try other trees on it;
    `tree_seeds`: the seeds whose trees are averaged (cross-validation varies them to measure their spread)."""
    names = sorted(name for name in data.values[0] if name not in EXCLUDED_FEATURES)
    stack = stack or fit_stack(data, rows, progress)
    yr, wt = data.y[rows], data.weights(TREE_WEIGHTS)[rows]
    stacked, folds = stack.stacked, stack.folds
    x = np.column_stack([_matrix(data, names)[rows], stacked])
    oof = np.zeros(len(rows))
    for tr, te in folds:
        oof[te] = mean_prediction(_fit_trees(x[tr], yr[tr], wt[tr], tree_seeds), x[te])
    progress("trees out-of-fold done")
    learner = np.array([data.samples[i].corpus != "sp" for i in rows])
    labelled = np.array([data.samples[i].corpus in LEVEL_LABELLED for i in rows])
    cuts = fit_cuts(oof[labelled], yr[labelled]) if labelled.sum() >= MIN_FOR_CUTS else FIXED
    calibrated = to_position(oof, cuts)
    boosters = _fit_trees(x, yr, wt, tree_seeds)
    sigma: dict[str, float] = {}
    for kind in TextKind:
        for bucket in range(4):
            pick = [
                j for j, i in enumerate(rows) if data.samples[i].kind is kind and length_bucket(data.words[i]) == bucket
            ]
            if len(pick) >= 30:
                spread = np.sqrt(np.mean((calibrated[pick] - yr[pick]) ** 2))
                sigma[f"{kind.value}:{bucket}"] = round(float(spread), 3)
    norms = _norms(data, rows)
    oof_metrics = level_metrics(yr[learner], calibrated[learner])
    return CefrBundle(
        version=version or MODEL_VERSION,
        feature_names=[*names, *STACKED],
        ngrams=stack.ngrams,
        error_ngrams=stack.error_ngrams,
        token_errors=stack.token_errors,
        boosters=boosters,
        cuts=cuts,
        sigma=sigma,
        norms=norms,
        info={"samples": _corpus_counts(data, rows), "out_of_fold_learner_texts": oof_metrics},
    )


def _corpus_counts(data: Featurized, rows: np.ndarray) -> dict[str, int]:
    counts: dict[str, int] = {}
    for i in rows:
        counts[data.samples[i].corpus] = counts.get(data.samples[i].corpus, 0) + 1
    return counts


def _norms(data: Featurized, rows: np.ndarray) -> dict[str, dict[str, list[float]]]:
    """Quartiles per level of each explainable metric: written metrics from written learner texts,
    fluency metrics from spoken ones; levels with fewer than 20 texts are left out."""
    out: dict[str, dict[str, list[float]]] = {}
    for metric in METRICS:
        kind = TextKind.SPOKEN if metric.spoken_only else TextKind.WRITTEN
        per_level: dict[str, list[float]] = {}
        for level in LEVELS:
            vals = [
                data.values[i][metric.name]
                for i in rows
                if data.samples[i].corpus != "sp"
                and data.samples[i].kind is kind
                and LEVELS[int(np.clip(round(data.samples[i].position), 1, 6)) - 1] is level
            ]
            if len(vals) >= 20:
                per_level[level.value] = [round(float(q), 3) for q in np.percentile(vals, [25, 50, 75])]
        out[metric.name] = per_level
    return out


def level_metrics(true_positions: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    t = np.clip(np.rint(true_positions), 1, 6).astype(int)
    p = np.clip(np.rint(predicted), 1, 6).astype(int)
    return {
        "n": len(t),
        "qwk": round(float(cohen_kappa_score(t, p, weights="quadratic")), 4),
        "adjacent_accuracy": round(float(np.mean(np.abs(t - p) <= 1)), 4),
        "accuracy": round(float(np.mean(t == p)), 4),
        "macro_f1": round(float(f1_score(t, p, average="macro")), 4),
    }


def train(data_dir: Path, out: Path, progress: Progress = lambda _: None) -> CefrBundle:
    data = featurize(read_corpora(data_dir), progress)
    bundle = fit_bundle(data, np.arange(len(data.samples)), progress)
    bundle.save(out)
    return bundle
