"""Reference text: the words to assess and the sentences to score one by one."""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

MAX_REFERENCE_CHARS = 5_000


def words_of(text: str) -> list[str]:
    """Words as a learner reads them: letters with inner apostrophes; digits and punctuation are dropped."""
    return [m.group(0).replace("’", "'") for m in _WORD.finditer(text)]


def sentences_of(text: str) -> list[str]:
    return [s for s in (part.strip() for part in _SENTENCE_END.split(text.strip())) if words_of(s)]


def reference_problem(text: str) -> str | None:
    """Why a reference text cannot be assessed, or None."""
    if not text.strip():
        return "reference text is empty"
    if len(text) > MAX_REFERENCE_CHARS:
        return f"reference text is longer than {MAX_REFERENCE_CHARS} characters"
    if not words_of(text):
        return "reference text has no words (write numbers as words)"
    return None


def heard_words(reference: str, heard: str) -> list[bool]:
    """For each word of the reference (`words_of`), whether a recogniser heard it: matched, in order, by the
    longest common subsequence of the two word lists (case ignored)."""
    return matched_in_order([w.lower() for w in words_of(reference)], [w.lower() for w in words_of(heard)])


def matched_in_order(expected: list[str], found: list[str]) -> list[bool]:
    """For each of `expected`, whether it is in the longest common subsequence with `found`."""
    from difflib import SequenceMatcher

    flags = [False] * len(expected)
    for block in SequenceMatcher(None, expected, found, autojunk=False).get_matching_blocks():
        flags[block.a:block.a + block.size] = [True] * block.size
    return flags


def reading_similarity(reference: str, heard: str) -> float:
    """How alike the reference and what a recogniser heard are, letter by letter (0 to 1: difflib's ratio
    over the words' letters, case ignored). A learner's reading that the recogniser gets mostly wrong ("Ann
    likes Hulk" heard as "and like a hawk") keeps most of its letters in order; another text shares only
    what any two sentences share. Word coverage cannot tell these apart: a short reading with every word
    misheard covers 0 % of its words."""
    from difflib import SequenceMatcher

    expected = " ".join(words_of(reference)).lower()
    if not expected:
        return 1.0
    found = " ".join(words_of(heard)).lower()
    return SequenceMatcher(None, expected, found, autojunk=False).ratio()


def reference_coverage(reference: str, heard: str) -> float:
    """Share of the reference's words that a recogniser heard, in order (0 to 1). A reading of the text
    covers most of it even through recognition errors; a recording of another text covers almost none."""
    flags = heard_words(reference, heard)
    return sum(flags) / len(flags) if flags else 1.0
