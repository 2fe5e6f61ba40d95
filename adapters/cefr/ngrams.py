"""A ridge regression over hashed word, character and part-of-speech n-grams (sublinear tf-idf).

Hashing needs no vocabulary, so the fitted state is three arrays (idf, coefficients, intercept) that save
and load with numpy alone: no pickle.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import Ridge

BLOCKS = (("word", 2**18), ("char", 2**18), ("pos", 2**16))
ALPHA = 0.5
WORD_PATTERN = r"(?u)\b\w+\b|[^\w\s]"
TAG_PATTERN = r"\S+"
_BLOCK_STARTS = np.cumsum([0] + [size for _, size in BLOCKS[:-1]])


def _vectorizers() -> list[HashingVectorizer]:
    common = {"alternate_sign": False, "norm": None, "dtype": np.float32}
    return [
        HashingVectorizer(
            analyzer="word",
            ngram_range=(1, 2),
            lowercase=True,
            n_features=BLOCKS[0][1],
            token_pattern=WORD_PATTERN,
            **common,
        ),
        HashingVectorizer(analyzer="char_wb", ngram_range=(2, 4), lowercase=True, n_features=BLOCKS[1][1], **common),
        HashingVectorizer(
            analyzer="word",
            ngram_range=(1, 3),
            lowercase=False,
            n_features=BLOCKS[2][1],
            token_pattern=TAG_PATTERN,
            **common,
        ),
    ]


class NgramScorer:
    def __init__(self, idf: np.ndarray, coef: np.ndarray, intercept: float) -> None:
        self.idf = idf
        self.coef = coef
        self.intercept = intercept
        self._vectorizers = _vectorizers()

    @staticmethod
    def counts(texts: Sequence[str], pos: Sequence[str]) -> sparse.csr_matrix:
        word, char, tags = _vectorizers()
        blocks = [word.transform(texts), char.transform(texts), tags.transform(pos)]
        return sparse.hstack(blocks, format="csr")

    @staticmethod
    def _weigh(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
        x = counts.copy()
        x.data = np.log1p(x.data) * idf[x.indices]
        x.eliminate_zeros()
        out = []
        start = 0
        for _, size in BLOCKS:
            block = x[:, start : start + size]
            norms = np.sqrt(np.asarray(block.multiply(block).sum(axis=1)).ravel())
            norms[norms == 0] = 1.0
            out.append(sparse.diags(1.0 / norms) @ block)
            start += size
        return sparse.hstack(out, format="csr")

    @classmethod
    def fit(
        cls, counts: sparse.csr_matrix, y: np.ndarray, weights: np.ndarray | None = None, alpha: float = ALPHA
    ) -> NgramScorer:
        df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float32)
        n = counts.shape[0]
        idf = np.where(df > 1, np.log((1 + n) / (1 + df)) + 1, 0.0).astype(np.float32)
        x = cls._weigh(counts, idf)
        model = Ridge(alpha=alpha, solver="sparse_cg", max_iter=200, tol=1e-4)
        model.fit(x, y, sample_weight=weights)
        return cls(idf, model.coef_.astype(np.float32), float(model.intercept_))

    def predict_counts(self, counts: sparse.csr_matrix) -> np.ndarray:
        """`_weigh(counts) @ coef + intercept` computed on the non-zeros alone: slicing the 590k hashed
        columns into blocks cost more than the rest of the prediction."""
        counts = counts.tocsr()
        counts.sum_duplicates()
        indices = counts.indices
        values = np.log1p(counts.data.astype(np.float64)) * self.idf[indices]
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        cell = rows * len(BLOCKS) + np.searchsorted(_BLOCK_STARTS, indices, side="right") - 1
        norms = np.sqrt(np.bincount(cell, values * values, minlength=counts.shape[0] * len(BLOCKS)))
        norms[norms == 0] = 1.0
        contrib = values * self.coef[indices] / norms[cell]
        return np.bincount(rows, contrib, minlength=counts.shape[0]) + self.intercept

    def predict(self, texts: Sequence[str], pos: Sequence[str]) -> np.ndarray:
        word, char, tags = self._vectorizers
        counts = sparse.hstack([word.transform(texts), char.transform(texts), tags.transform(pos)], format="csr")
        return self.predict_counts(counts)
