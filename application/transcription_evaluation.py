"""Word error rate after one documented normalisation, applied to reference and hypothesis alike:

1. lower case;
2. numbers written out: "42" -> "forty two", "3.5" -> "three point five", "10%" -> "ten percent";
3. hyphens and slashes become spaces; other punctuation is removed, apostrophes inside words kept
   ("it's" stays, "'quoted'" loses its quotes);
4. whitespace collapsed.
WER itself is jiwer's (substitutions + deletions + insertions over reference words, pooled over a set).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

import jiwer

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER = re.compile(r"\d+(?:\.\d+)?%?")
_PUNCTUATION = re.compile(r"[^\w\s']")
_LOOSE_APOSTROPHE = re.compile(r"(?<!\w)'|'(?!\w)")


def number_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + number_words(rest))
    if n < 1_000_000:
        rest = n % 1000
        return number_words(n // 1000) + " thousand" + ("" if rest == 0 else " " + number_words(rest))
    return " ".join(_ONES[int(d)] for d in str(n))


def _spell(match: re.Match[str]) -> str:
    token = match.group(0)
    percent = token.endswith("%")
    whole, _, fraction = token.rstrip("%").partition(".")
    words = number_words(int(whole))
    if fraction:
        words += " point " + " ".join(_ONES[int(d)] for d in fraction)
    return f" {words}{' percent' if percent else ''} "


def spell_out_numbers(text: str) -> str:
    """ "12," -> "twelve", "10%" -> "ten percent": numbers as a learner says them (case kept)."""
    return " ".join(_NUMBER.sub(_spell, text.replace(",", "")).split())


def normalise_text(text: str) -> str:
    text = _NUMBER.sub(_spell, text.lower().replace(",", ""))
    text = re.sub(r"[-/]", " ", text)
    text = _LOOSE_APOSTROPHE.sub(" ", _PUNCTUATION.sub(" ", text))
    return " ".join(text.split())


def word_error_rate(references: Sequence[str], hypotheses: Sequence[str]) -> float:
    """Pooled WER over pairs; an empty reference with an empty hypothesis counts as correct."""
    pairs = [(normalise_text(r), normalise_text(h)) for r, h in zip(references, hypotheses, strict=True)]
    scored = [(r, h) for r, h in pairs if r]
    if not scored:
        return 0.0
    return float(jiwer.wer([r for r, _ in scored], [h for _, h in scored]))


TimedWord = tuple[str, float, float]


def boundary_differences(reference: Sequence[TimedWord], hypothesis: Sequence[TimedWord]) -> list[float]:
    """|start - start| and |end - end| in seconds for every hypothesis word matched to the same reference word
    (normalised text, in order, difflib's longest matching blocks): how far a recogniser's word timings are
    from a forced alignment of the reference."""
    ref = [normalise_text(w[0]) for w in reference]
    hyp = [normalise_text(w[0]) for w in hypothesis]
    differences = []
    for block in difflib.SequenceMatcher(a=ref, b=hyp, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            r, h = reference[block.a + k], hypothesis[block.b + k]
            differences += [abs(r[1] - h[1]), abs(r[2] - h[2])]
    return differences
