"""Disfluencies a fluency score needs: filler words, repeated words and false starts.

Whisper writes a filler as a word of its own ("um,", "Uh."), a false start with a trailing hyphen
("th-") and a repetition as the same word twice. Discourse markers such as "like" or "you know" are
left alone: whether they are fillers depends on meaning, which a word list cannot tell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from domain.transcription.transcript import Word

FILLER_WORDS = frozenset(
    {"um", "umm", "uhm", "uh", "uhh", "er", "err", "erm", "ah", "ahh", "eh", "hmm", "hm", "mm", "mmm", "mhm"}
)
_EDGE_PUNCTUATION = re.compile(r"^[^\w'-]+|[^\w'-]+$")
_VOWELS = frozenset("aeiouy")
_FALSE_START_MARK = ("-", "\u2014", "\u2013")


def normalise(text: str) -> str:
    """Lower case without surrounding punctuation: "Um," -> "um", "th-" stays "th-"."""
    return _EDGE_PUNCTUATION.sub("", text.strip()).lower()


def is_filler_word(text: str) -> bool:
    return normalise(text).strip("-") in FILLER_WORDS


def _is_false_start(word: str, following: str | None) -> bool:
    if word.endswith(_FALSE_START_MARK) and len(word) > 1:
        return True
    if following is None or not word or word == following:
        return False
    # "th the", "wh where": a vowelless cut-off of the word said next ("in inside" is two real words)
    return len(word) < len(following) and following.startswith(word) and not _VOWELS.intersection(word)


def disfluency_flags(texts: Sequence[str]) -> list[bool]:
    """For each word, whether it is a filler, the first of a repeated pair, or a false start."""
    norms = [normalise(t) for t in texts]
    flags = []
    for i, word in enumerate(norms):
        following = norms[i + 1] if i + 1 < len(norms) else None
        repeated = following is not None and word != "" and word == following
        flags.append(word.strip("-") in FILLER_WORDS or repeated or _is_false_start(word, following))
    return flags


def mark_fillers(words: Sequence[Word]) -> tuple[Word, ...]:
    flags = disfluency_flags([w.text for w in words])
    return tuple(
        w if w.is_filler == flag else Word(w.text, w.start, w.end, w.confidence, w.speaker, flag)
        for w, flag in zip(words, flags, strict=True)
    )
