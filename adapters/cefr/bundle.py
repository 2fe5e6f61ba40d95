"""The trained CEFR model as one `.npz` file that loads with `allow_pickle=False`: numpy arrays for the
n-gram ridge, LightGBM's own text format for the trees, JSON for everything else."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
from scipy import sparse

from adapters.cefr.cutpoints import to_position
from adapters.cefr.error_tokens import SUMMARIES, TokenErrorModel, summaries
from adapters.cefr.features import METRICS
from adapters.cefr.ngrams import NgramScorer
from domain.cefr.assessment import TextKind
from domain.cefr.profile import LevelNorms, Norm
from domain.cefr.scale import CefrLevel

FORMAT = 4
STACKED = ("ngram_level", "ngram_errors", *SUMMARIES)
"""Features that are other models' predictions, after the hand-made ones."""
LENGTH_BUCKETS = (20, 60, 150)
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "model" / "cefr-model.npz"


class ModelFileError(Exception):
    """The model file is missing, of another format version, or unreadable."""


def mean_prediction(boosters: list[lgb.Booster], x: np.ndarray) -> np.ndarray:
    """The raw output of trees trained with several seeds: the mean of their predictions."""
    return np.asarray(np.mean([booster.predict(x, num_threads=1) for booster in boosters], axis=0))


def length_bucket(words: int) -> int:
    return sum(1 for edge in LENGTH_BUCKETS if words >= edge)


@dataclass
class CefrBundle:
    version: str
    feature_names: list[str]
    ngrams: NgramScorer
    error_ngrams: NgramScorer | None
    """Predicts annotated errors per word (absent when the training data had no error edits)."""
    token_errors: TokenErrorModel | None
    """Token-level error detector (absent when the training data had no error edits)."""
    boosters: list[lgb.Booster]
    """The same trees trained with different seeds; the raw output is their mean (`training.TREE_SEEDS`)."""
    cuts: tuple[float, ...]
    """Raw-output cut points between levels, mapped onto the level boundaries (`cutpoints`)."""
    sigma: dict[str, float]
    """Residual spread (1-6 scale) by `"{kind}:{length bucket}"`."""
    norms: dict[str, dict[str, list[float]]]
    """metric -> level -> [p25, p50, p75]."""
    info: dict[str, Any] = field(default_factory=dict)

    def predict(
        self,
        values: list[dict[str, float]],
        texts: list[str],
        pos: list[str],
        tokens: list[sparse.csr_matrix],
    ) -> np.ndarray:
        """`tokens`: each text's token feature rows (`error_tokens.token_matrix`)."""
        counts = NgramScorer.counts(texts, pos)
        level = self.ngrams.predict_counts(counts)
        errors = self.error_ngrams.predict_counts(counts) if self.error_ngrams else np.zeros(len(texts))
        token_errors = summaries(self.token_errors, tokens)
        own = self.feature_names[: -len(STACKED)]
        x = np.array([[v[n] for n in own] for v in values], dtype=np.float64)
        x = np.column_stack([x, level, errors, token_errors])
        return to_position(self.raw(x), self.cuts)

    def raw(self, x: np.ndarray) -> np.ndarray:
        return mean_prediction(self.boosters, x)

    def sigma_for(self, kind: TextKind, words: int) -> float:
        key = f"{kind.value}:{length_bucket(words)}"
        return self.sigma.get(key) or max(self.sigma.values())

    def level_norms(self) -> tuple[LevelNorms, ...]:
        out = []
        for metric in METRICS:
            by_level = self.norms.get(metric.name, {})
            if by_level:
                out.append(LevelNorms(metric, {CefrLevel(lv): Norm(*q) for lv, q in by_level.items()}))
        return tuple(out)

    def save(self, path: Path) -> None:
        meta = {
            "format": FORMAT,
            "version": self.version,
            "feature_names": self.feature_names,
            "cuts": list(self.cuts),
            "sigma": self.sigma,
            "norms": self.norms,
            "intercept": self.ngrams.intercept,
            "info": self.info,
        }
        stacked: dict[str, np.ndarray] = {}
        if self.error_ngrams is not None:
            # Without these the loaded model would feed zeros where it was trained on error densities.
            meta["error_intercept"] = self.error_ngrams.intercept
            stacked["idf_errors"] = self.error_ngrams.idf.astype(np.float16)
            stacked["coef_errors"] = self.error_ngrams.coef.astype(np.float16)
        if self.token_errors is not None:
            meta["token_intercept"] = self.token_errors.intercept
            stacked["coef_tokens"] = self.token_errors.coef.astype(np.float16)
        arrays = {
            "meta": np.array(json.dumps(meta)),
            "boosters": np.array([booster.model_to_string() for booster in self.boosters]),
            "idf": self.ngrams.idf.astype(np.float16),
            "coef": self.ngrams.coef.astype(np.float16),
            **stacked,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            np.savez_compressed(handle, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL_PATH) -> CefrBundle:
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                booster_texts = [str(text) for text in data["boosters"]]
                idf = data["idf"].astype(np.float32)
                coef = data["coef"].astype(np.float32)
                error_ngrams = None
                if "idf_errors" in data.files:
                    error_ngrams = NgramScorer(
                        data["idf_errors"].astype(np.float32),
                        data["coef_errors"].astype(np.float32),
                        float(meta["error_intercept"]),
                    )
                token_errors = None
                if "coef_tokens" in data.files:
                    token_errors = TokenErrorModel(
                        data["coef_tokens"].astype(np.float32), float(meta["token_intercept"])
                    )
        except (OSError, KeyError, ValueError) as exc:
            raise ModelFileError(f"cannot read the CEFR model at {path}: {exc}") from exc
        if meta.get("format") != FORMAT:
            raise ModelFileError(f"{path}: model format {meta.get('format')}, this engine reads {FORMAT}")
        return cls(
            version=meta["version"],
            feature_names=meta["feature_names"],
            ngrams=NgramScorer(idf, coef, float(meta["intercept"])),
            error_ngrams=error_ngrams,
            token_errors=token_errors,
            boosters=[lgb.Booster(model_str=text) for text in booster_texts],
            cuts=tuple(meta["cuts"]),
            sigma=meta["sigma"],
            norms=meta["norms"],
            info=meta.get("info", {}),
        )
