"""Text metrics: length, lexical diversity (MTLD), vocabulary levels, rare words, error rates, readability."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from domain.analysis.errors import ErrorType, LearnerError
from domain.cefr.scale import LEVELS, CefrLevel
from domain.progress.records import LemmaUse

MTLD_THRESHOLD = 0.72
VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class TextProfile:
    """What the lexical adapter reads off a text: its words, its sentences, each word's vocabulary level
    (None: in no list) and how many words are rare in general English."""

    words: tuple[str, ...]
    sentence_count: int
    word_levels: tuple[CefrLevel | None, ...]
    rare_words: int
    lemmas: tuple[LemmaUse, ...] = ()  # distinct content-word lemmas with their vocabulary level


@dataclass(frozen=True)
class TextMetrics:
    words: int
    sentences: int
    mean_sentence_length: float
    mean_word_length: float
    lexical_diversity: float
    vocabulary_levels: tuple[tuple[CefrLevel, float], ...]
    rare_word_share: float
    errors_per_100_words: float
    errors_per_100_words_by_type: tuple[tuple[ErrorType, float], ...]
    readability: float


def mtld(words: Sequence[str], threshold: float = MTLD_THRESHOLD) -> float:
    """McCarthy & Jarvis (2010): the mean length of runs that keep type/token ratio above the threshold,
    averaged over a forward and a backward pass. 0 for an empty text."""
    tokens = [w.lower() for w in words]
    if not tokens:
        return 0.0
    forward = _mtld_pass(tokens, threshold)
    backward = _mtld_pass(tokens[::-1], threshold)
    return round((forward + backward) / 2, 2)


def _mtld_pass(tokens: list[str], threshold: float) -> float:
    factors = 0.0
    types: set[str] = set()
    count = 0
    for token in tokens:
        count += 1
        types.add(token)
        if len(types) / count <= threshold:
            factors += 1
            types, count = set(), 0
    if count:
        ttr = len(types) / count
        factors += (1 - ttr) / (1 - threshold) if ttr < 1 else 0.0
    return len(tokens) / factors if factors else float(len(tokens))


def syllables(word: str) -> int:
    """A vowel-group estimate, good enough for readability formulas."""
    lower = word.lower()
    count = len(VOWEL_GROUPS.findall(lower))
    if lower.endswith("e") and not lower.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def flesch_reading_ease(words: Sequence[str], sentences: int) -> float:
    """Flesch Reading Ease: higher is easier (90-100 very easy, 0-30 very hard)."""
    if not words or not sentences:
        return 0.0
    per_sentence = len(words) / sentences
    per_word = sum(syllables(w) for w in words) / len(words)
    return round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 1)


def level_distribution(levels: Sequence[CefrLevel | None]) -> tuple[tuple[CefrLevel, float], ...]:
    """Share of listed words at each level (words in no list are left out)."""
    listed = [level for level in levels if level is not None]
    counts = Counter(listed)
    total = len(listed)
    return tuple((level, round(counts[level] / total, 3) if total else 0.0) for level in LEVELS)


def compute_metrics(profile: TextProfile, errors: Sequence[LearnerError]) -> TextMetrics:
    words = profile.words
    n_words = len(words)
    sentences = max(profile.sentence_count, 1 if n_words else 0)
    shown = [e for e in errors if not e.is_hint]
    per_type = Counter(e.type for e in shown)
    per_100 = 100 / n_words if n_words else 0.0
    return TextMetrics(
        words=n_words,
        sentences=sentences,
        mean_sentence_length=round(n_words / sentences, 2) if sentences else 0.0,
        mean_word_length=round(sum(len(w) for w in words) / n_words, 2) if n_words else 0.0,
        lexical_diversity=mtld(words),
        vocabulary_levels=level_distribution(profile.word_levels),
        rare_word_share=round(profile.rare_words / n_words, 3) if n_words else 0.0,
        errors_per_100_words=round(len(shown) * per_100, 2),
        errors_per_100_words_by_type=tuple((t, round(c * per_100, 2)) for t, c in per_type.most_common()),
        readability=flesch_reading_ease(words, sentences),
    )
