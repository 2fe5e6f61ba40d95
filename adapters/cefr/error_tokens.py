"""A token-level learner-error detector whose mean probability per token is a feature of the CEFR model.

Annotated error density is the strongest cue to a Write & Improve essay's level (with the annotators' own
density as a feature, cross-validation reaches QWK 0.87), but a text-level n-gram ridge predicts it only
with r ~0.70: it must guess from 2,400 essay-level numbers which n-grams are errors. Here every token of
those essays is a labelled example (inside an annotator's edit or not; ~600k tokens), as in token-level
grammatical error detection (Rei & Yannakoudakis 2016), so the detector learns local patterns ("a
informations", "he go", "more better") directly. A logistic regression over hashed context features of
the spaCy parse; the averaged probability is an estimate of the share of tokens inside an error.

3,000 essays teach only the English their writers used; whether a word pair occurs at all in published
English is knowledge from outside them. The counts of the 242k most frequent Google Books bigrams ship
with symspellpy (MIT): a pair of common words that is missing ("despite of", "discuss about") is a
classic sign of a learner error (the "unseen n-gram" feature of automated essay scoring). With these
features the detector's estimate of the annotated error density rises from r = 0.72 to 0.745; with a
trigram language model's view of each word (`language_model`), to 0.783.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from itertools import pairwise

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import SGDClassifier
from spacy.tokens import Doc
from symspellpy import SymSpell
from wordfreq import zipf_frequency

from adapters.cefr.language_model import lm_features
from adapters.cefr.text import NOISE

SUMMARIES = ("token_error_mean", "token_error_share_50", "token_error_share_30")
HASH_SIZE = 2**20
ALPHA = 5e-6
EPOCHS = 15
_CHILD_DEPS = frozenset({"det", "nsubj", "aux", "nummod", "nsubjpass", "auxpass"})
_NUMBER_DEPS = frozenset({"det", "nummod"})
_PAD = ("<s>", "<s>")
_END = ("</s>", "</s>")
BIGRAM_FILE = "frequency_bigramdictionary_en_243_342.txt"


@lru_cache(maxsize=200_000)
def _zipf_band(word: str) -> int:
    return int(zipf_frequency(word, "en") * 2)


@lru_cache(maxsize=1)
def bigram_counts() -> dict[str, int]:
    """`"first second"` -> its Google Books count, for the bigrams symspellpy ships (loaded once, ~0.2 s)."""
    speller = SymSpell(max_dictionary_edit_distance=0, prefix_length=1)
    with resources.as_file(resources.files("symspellpy") / BIGRAM_FILE) as path:
        speller.load_bigram_dictionary(str(path), term_index=0, count_index=2)
    counts: dict[str, int] = speller.bigrams
    return counts


def _bigram_band(first: str, second: str) -> str:
    """"na" unless both are words; else the order of magnitude of the pair's count, 0 when it is unlisted."""
    if not (first.isalpha() and second.isalpha()):
        return "na"
    count = bigram_counts().get(f"{first} {second}")
    return "0" if count is None else str(min(int(math.log10(count)), 9))


def _bigram_features(words: Sequence[str], tags: Sequence[str], bands: Sequence[str], j: int) -> list[str]:
    """How common the pairs the j-th word forms with its neighbours are, by the words' own frequency and
    by their tags (an unlisted pair of two frequent words is suspect; of two rare words, not). `bands[k]`:
    the band of the pair (words[k], words[k + 1])."""
    left, right = bands[j - 1], bands[j]
    out = [f"bb={left}|{right}"]
    for side, band, a, b in (("L", left, j - 1, j), ("R", right, j, j + 1)):
        if band != "na":
            out.append(f"{side}b={band}|{_zipf_band(words[a]) // 2}|{_zipf_band(words[b]) // 2}")
            out.append(f"{side}bt={band}|{tags[a]}|{tags[b]}")
    return out


def token_features(doc: Doc) -> list[list[str]]:
    """Hashed-feature names for each non-space token: the word and its neighbours, tag n-grams, the
    dependency to its head, agreement-bearing children, frequency band, case, affixes, and how common
    its pairs with its neighbours are in published English, and how well it fits its context under a
    trigram language model (`language_model`)."""
    tokens = [t for t in doc if not t.is_space]
    in_context = lm_features(tokens)
    words = [*_PAD, *(t.lower_ for t in tokens), *_END]
    tags = [*_PAD, *(t.tag_ for t in tokens), *_END]
    bands = [_bigram_band(first, second) for first, second in pairwise(words)]
    out = []
    for i, token in enumerate(tokens):
        j = i + 2
        w0, t0, wm, wp, wmm, wpp = words[j], tags[j], words[j - 1], words[j + 1], words[j - 2], words[j + 2]
        tm, tp, tmm, tpp = tags[j - 1], tags[j + 1], tags[j - 2], tags[j + 2]
        text = token.text
        band = _zipf_band(w0)
        features = [
            "b",
            f"w={w0}",
            f"wm={wm}|{w0}",
            f"wp={w0}|{wp}",
            f"wmm={wmm}|{wm}|{w0}",
            f"wmp={wm}|{w0}|{wp}",
            f"wpp={w0}|{wp}|{wpp}",
            f"t={tm}|{t0}|{tp}",
            f"tmm={tmm}|{tm}|{t0}",
            f"tpp={t0}|{tp}|{tpp}",
            f"wt={wm}|{t0}",
            f"tw={t0}|{wp}",
            f"tw0={t0}|{w0}",
            f"tmw={tm}|{w0}",
            f"wtp={w0}|{tp}",
            f"d={token.dep_}|{token.head.tag_}|{t0}",
            f"dh={token.dep_}|{token.head.lower_}|{w0}",
            f"z={band}|{t0}",
            f"cap={int(token.is_sent_start or False)}|{int(text[:1].isupper())}|{int(text.isupper())}",
            f"suf={w0[-3:]}|{t0}",
            f"gap={wm}|{wp}",
            f"pre={w0[:3]}",
            f"suf4={w0[-4:]}",
            f"kn={int(band == 0)}|{int(text[:1].isupper())}",
            f"m={token.morph}|{t0}",
        ]
        for child in token.children:
            if child.dep_ in _CHILD_DEPS:
                features.append(f"c={child.dep_}|{child.tag_}|{t0}")
            if child.dep_ in _NUMBER_DEPS:
                features.append(f"cd={child.lower_}|{t0}")
        features.extend(_bigram_features(words, tags, bands, j))
        features.extend(in_context[i])
        out.append(features)
    return out


def _hasher() -> FeatureHasher:
    return FeatureHasher(n_features=HASH_SIZE, input_type="string", alternate_sign=False, dtype=np.float32)


def token_matrix(doc: Doc) -> sparse.csr_matrix:
    """One row of hashed features per non-space token."""
    features = token_features(doc)
    if not features:
        return sparse.csr_matrix((0, HASH_SIZE), dtype=np.float32)
    return _hasher().transform(features).tocsr()


def edit_labels(raw_text: str, doc: Doc, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """1 for each non-space token of `doc` (the parse of the prepared written text) that an annotator's
    edit covers, or that follows an insertion point; `spans` are character offsets into `raw_text`.

    Preparing a written text only drops noise marks and collapses whitespace, so its words are the raw
    text's whitespace-separated words in order; that fixes the offset map."""
    blanked = NOISE.sub(lambda m: " " * len(m.group(0)), raw_text)
    raw_at: list[int] = []  # prepared character -> raw character (-1 for the joining spaces)
    for match in re.finditer(r"\S+", blanked):
        if raw_at:
            raw_at.append(-1)
        raw_at.extend(range(match.start(), match.end()))
    flagged = np.zeros(len(raw_text) + 1, dtype=bool)
    next_visible = np.full(len(raw_text) + 1, len(raw_text))
    for position in range(len(raw_text) - 1, -1, -1):
        next_visible[position] = position if not blanked[position].isspace() else next_visible[position + 1]
    for start, end in spans:
        start, end = max(0, min(start, len(raw_text))), max(0, min(end, len(raw_text)))
        covered = [p for p in range(start, end) if not blanked[p].isspace()]
        if covered:
            flagged[covered] = True
        else:  # an insertion, or a change to whitespace only: the next word carries it
            flagged[next_visible[start]] = True
    labels = []
    for token in (t for t in doc if not t.is_space):
        chars = [raw_at[c] for c in range(token.idx, min(token.idx + len(token.text), len(raw_at)))]
        labels.append(any(c >= 0 and flagged[c] for c in chars))
    return np.array(labels, dtype=np.int8)


class TokenErrorModel:
    def __init__(self, coef: np.ndarray, intercept: float) -> None:
        self.coef = coef.astype(np.float32)
        self.intercept = intercept

    @classmethod
    def fit(cls, x: sparse.csr_matrix, y: np.ndarray) -> TokenErrorModel:
        model = SGDClassifier(loss="log_loss", alpha=ALPHA, max_iter=EPOCHS, tol=None, average=True, random_state=0)
        model.fit(x, y)
        return cls(model.coef_.ravel(), float(model.intercept_[0]))

    def probabilities(self, x: sparse.csr_matrix) -> np.ndarray:
        with np.errstate(over="ignore"):  # exp of a very negative logit overflows to inf: p = 0, as it should
            return np.asarray(1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept))))

    def summaries(self, matrices: Sequence[sparse.csr_matrix]) -> np.ndarray:
        """Per text (one row each, zeros for a text without tokens): the mean error probability of its
        tokens, and the shares of tokens above 0.5 and above 0.3 (a few sure errors read differently
        from many doubtful ones)."""
        out = np.zeros((len(matrices), len(SUMMARIES)))
        sizes = np.array([m.shape[0] for m in matrices], dtype=int)
        if not sizes.sum():
            return out
        p = self.probabilities(sparse.vstack(list(matrices), format="csr"))
        owner = np.repeat(np.arange(len(matrices)), sizes)
        per_text = np.maximum(sizes, 1)
        for column, values in enumerate((p, p > 0.5, p > 0.3)):
            out[:, column] = np.bincount(owner, values.astype(np.float64), len(matrices)) / per_text
        return out


def summaries(model: TokenErrorModel | None, matrices: Sequence[sparse.csr_matrix]) -> np.ndarray:
    """`model.summaries`, or zeros where the training data had no error edits to learn a detector from."""
    return np.zeros((len(matrices), len(SUMMARIES))) if model is None else model.summaries(matrices)
