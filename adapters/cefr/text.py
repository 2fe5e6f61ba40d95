"""Turning raw learner text into what the parser sees, and counting fluency cues of transcribed speech.

Transcripts (ours or the Speak & Improve corpus) mark hesitations as `(%hesitation%)` or as filler words,
false starts as `(wor-)` or `wor-`; these are counted, then removed before parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.cefr.assessment import TextKind

MAX_WORDS = 350
"""Longer texts are cut here: enough to judge, bounded in cost, and no reward for sheer volume."""

FILLERS = frozenset({"um", "uh", "er", "erm", "hmm", "mm", "ah", "eh", "uhm", "umm", "mhm"})
_HESITATION = re.compile(r"\(%\w+%\)")
_PARTIAL = re.compile(r"\(\s*[\w']*-\s*\)|\b\w+-(?=\s|$)")
NOISE = re.compile(r"\bIGNORE_TIME_SEGMENT_IN_SCORING\b|<[^>]{1,30}>")
_SPACE = re.compile(r"\s+")
_DETOKENIZE = (
    (re.compile(r" ([.,!?;:%)])"), r"\1"),
    (re.compile(r"([($]) "), r"\1"),
    (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", re.IGNORECASE), r"\1"),
)


@dataclass(frozen=True)
class Prepared:
    text: str
    kind: TextKind
    word_count: int
    truncated: bool
    fillers: tuple[str, ...] = ()
    false_starts: tuple[str, ...] = ()
    repetitions: tuple[str, ...] = ()


def detokenize(text: str) -> str:
    """Undo the space-before-punctuation of pre-tokenised corpora (CEFR-SP)."""
    for pattern, repl in _DETOKENIZE:
        text = pattern.sub(repl, text)
    return text


def prepare(text: str, kind: TextKind, max_words: int = MAX_WORDS) -> Prepared:
    text = NOISE.sub(" ", text)
    fillers: list[str] = []
    false_starts: list[str] = []
    repetitions: list[str] = []
    if kind is TextKind.SPOKEN:
        fillers += ["(hesitation)"] * len(_HESITATION.findall(text))
        text = _HESITATION.sub(" ", text)
        false_starts += [m.group(0).strip("() ") for m in _PARTIAL.finditer(text)]
        text = _PARTIAL.sub(" ", text)
        kept: list[str] = []
        for word in text.split():
            bare = word.strip(",.?!").lower()
            if bare in FILLERS:
                fillers.append(bare)
                continue
            if kept and bare and bare == kept[-1].strip(",.?!").lower():
                repetitions.append(f"{bare} {bare}")
                continue
            kept.append(word)
        text = " ".join(kept)
    words = _SPACE.sub(" ", text).strip().split(" ")
    words = [w for w in words if w]
    truncated = len(words) > max_words
    if truncated:
        words = words[:max_words]
    return Prepared(
        " ".join(words), kind, len(words), truncated, tuple(fillers), tuple(false_starts), tuple(repetitions)
    )
