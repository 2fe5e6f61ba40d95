"""How well each word fits its context under a general English trigram language model: features of the
token error detector (`error_tokens`).

The bigram counts tell the detector whether a word pair occurs in published English at all; a language
model says how *likely* each word is after the two before it, with backoff for pairs no list holds. Two
signals, both from the CMU Sphinx US English trigram model (`en-us.lm.bin`, 27 MB, BSD licence) that
ships inside the `pocketsphinx` package we already install for pronunciation:

- the word's log-probability in context, and that minus its log-probability alone (how much its
  neighbours make it more or less expected: "he go" reads worse than "go" alone);
- how much better the nearby words score when the word is swapped for a common confusion (another
  preposition or article, another inflection of the same lemma, a confusable such as "then/than"), or
  dropped. This is the language-model approach to error detection of Bryant & Briscoe (2018).

The model is C code (0.3 us a query); loading it takes ~0.06 s, once, at warm-up.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from lemminflect import getAllInflections
from spacy.tokens import Token

MODEL_FILE = ("en-us", "en-us.lm.bin")
"""Under pocketsphinx's model folder (`get_model_path()`, as the pronunciation adapter finds its models)."""
LOG10_PER_UNIT = math.log10(1.0001)
"""pocketsphinx reports log-probabilities as integers in base 1.0001."""
FLOOR = -8.0
"""Log10 probability given to a word the model does not know, or a trigram it gives (almost) none."""
UNKNOWN_BELOW = -100.0
START = "<s>"
_SENTENCE_ENDS = frozenset({".", "?", "!", ";", ":"})
_INFLECTED = frozenset({"NOUN", "VERB", "AUX", "ADJ"})


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


PREPOSITIONS = _words(
    "in on at for to of with by about from into onto over under during since until after before between "
    "among through towards without within like as than"
)
DETERMINERS = _words("a an the this that these those some any much many each every")
CONFUSABLE_GROUPS = tuple(
    _words(group)
    for group in (
        "their there they're",
        "its it's",
        "your you're",
        "then than",
        "to too two",
        "were where we're",
        "lose loose",
        "affect effect",
        "advice advise",
        "quiet quite",
        "though through thought",
        "of off",
        "live life",
        "who which that",
        "much many",
        "few little",
        "other another others",
        "make do",
        "say tell",
        "so such",
        "also too",
        "and or",
        "because so",
        "a an",
        "is are",
        "was were",
        "has have",
        "do does did",
        "this these",
        "that those",
        "it they",
        "he she",
        "him them",
        "will would",
        "can could",
        "may might",
        "on in at",
        "each every",
        "fun funny",
        "bored boring",
        "interested interesting",
        "excited exciting",
        "hear listen",
        "see watch look",
        "borrow lend",
        "learn teach",
        "go come",
        "bring take",
        "rise raise",
        "lay lie",
        "sometime sometimes",
        "everyday every",
        "alone lonely",
        "economic economical",
        "historic historical",
        "possible possibly",
        "good well",
        "bad badly",
        "hard hardly",
        "late lately",
        "near nearly",
    )
)


def _confusables() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for group in CONFUSABLE_GROUPS:
        for word in group:
            out.setdefault(word, set()).update(other for other in group if other != word)
    return {word: frozenset(others) for word, others in out.items()}


CONFUSABLES = _confusables()


@lru_cache(maxsize=1)
def trigram_model() -> Any:
    """The shipped trigram model, loaded once."""
    from pocketsphinx import NGramModel, get_model_path

    return NGramModel.readfile(os.path.join(get_model_path(), *MODEL_FILE))


@lru_cache(maxsize=200_000)
def unigram(word: str) -> float:
    """Log10 probability of the word alone; below `UNKNOWN_BELOW` when the model does not know it."""
    return float(trigram_model().prob([word])) * LOG10_PER_UNIT


def conditional(word: str, previous: str, before: str | None) -> float:
    """Log10 p(word | before previous), floored; `before` is None at the start of a sentence."""
    history = [word, previous] if before is None else [word, previous, before]
    return max(float(trigram_model().prob(history)) * LOG10_PER_UNIT, FLOOR)


@lru_cache(maxsize=100_000)
def _inflections(lemma: str, upos: str) -> tuple[str, ...]:
    if upos not in _INFLECTED:
        return ()
    forms = {form.lower() for group in getAllInflections(lemma, upos=upos).values() for form in group}
    return tuple(sorted(form for form in forms if unigram(form) > UNKNOWN_BELOW))


def model_words(tokens: Sequence[Token]) -> tuple[list[str], list[int | None]]:
    """The text as the language model reads it: lower-case words, clitics joined to their word ("do" +
    "n't" -> "don't"), `<s>` after a sentence's end (and first); each token's index into it, None for
    punctuation."""
    words = [START]
    owner: list[int | None] = []
    for i, token in enumerate(tokens):
        low = token.lower_
        if (low.startswith("'") or low == "n't") and words[-1] != START and i and owner[i - 1] is not None:
            words[-1] += low
            owner.append(owner[i - 1])
        elif token.is_alpha or (low[:1].isalpha() and low.replace("'", "").isalpha()):
            words.append(low)
            owner.append(len(words) - 1)
        else:
            if (token.text in _SENTENCE_ENDS or token.is_sent_start) and words[-1] != START:
                words.append(START)
            owner.append(None)
    return words, owner


def _history(words: Sequence[str], i: int) -> tuple[str, str | None]:
    previous = words[i - 1]
    return previous, (words[i - 2] if i >= 2 and previous != START else None)


def _local_score(words: Sequence[str], k: int, replacement: str | None) -> float:
    """Log10 probability of the words whose trigram includes position k (k and the two after it, up to
    the sentence's end) with the word at k replaced, or dropped when `replacement` is None."""
    changed = list(words)
    if replacement is None:
        del changed[k]
        span = range(k, min(k + 2, len(changed)))
    else:
        changed[k] = replacement
        span = range(k, min(k + 3, len(changed)))
    total = 0.0
    for i in span:
        if changed[i] == START:
            break
        total += conditional(changed[i], *_history(changed, i))
    return total


def _alternatives(word: str, token: Token) -> dict[str, Sequence[str]]:
    out: dict[str, Sequence[str]] = {}
    if word in PREPOSITIONS:
        out["prep"] = [p for p in PREPOSITIONS if p != word]
    if word in DETERMINERS:
        out["det"] = [d for d in DETERMINERS if d != word]
    if word in CONFUSABLES:
        out["conf"] = sorted(CONFUSABLES[word])
    forms = [form for form in _inflections(token.lemma_.lower(), token.pos_) if form != word]
    if forms:
        out["infl"] = forms
    return out


def _band(value: float, step: float = 0.5) -> int:
    return max(-8, min(8, math.floor(value / step)))


def lm_features(tokens: Sequence[Token]) -> list[list[str]]:
    """Hashed-feature names for each token (`tokens`: a parse's non-space tokens): its contextual
    log-probability, its gain over its probability alone, the next word's gain, and the best gain in
    the local score from a confusion or from dropping it. Nothing for punctuation."""
    words, owner = model_words(tokens)
    fit: dict[int, tuple[float, float] | None] = {}
    for k in range(1, len(words)):
        if words[k] != START:
            alone = unigram(words[k])
            in_context = conditional(words[k], *_history(words, k))
            fit[k] = None if alone < UNKNOWN_BELOW else (in_context, in_context - alone)
    out: list[list[str]] = []
    for token, at in zip(tokens, owner, strict=True):
        if at is None:
            out.append([])
            continue
        tag, scored = token.tag_, fit[at]
        if scored is None:
            out.append([f"lmoov|{tag}"])
            continue
        log_p, gain = scored
        following = fit.get(at + 1)
        after = "x" if following is None else str(_band(following[1]))
        features = [
            f"lm={_band(log_p)}|{tag}",
            f"lmc={_band(gain)}|{_band(unigram(words[at]), 1.0)}",
            f"lmn={after}|{tag}",
            f"lmcn={_band(gain)}|{after}",
        ]
        base = _local_score(words, at, words[at])
        for kind, alternatives in _alternatives(words[at], token).items():
            better = max(_local_score(words, at, a) for a in alternatives) - base
            features += [f"lma={kind}|{_band(better)}", f"lmat={kind}|{_band(better, 1.0)}|{tag}"]
        features.append(f"lmd={_band(_local_score(words, at, None) - base)}|{tag}")
        out.append(features)
    return out
