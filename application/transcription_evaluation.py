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
    # "0831" is read digit by digit (a phone number, a code): as a number it would lose its zero
    words = " ".join(_ONES[int(d)] for d in whole) if len(whole) > 1 and whole[0] == "0" else number_words(int(whole))
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


def words_heard_right(reference: str, hypothesis: Sequence[str]) -> list[bool]:
    """For each hypothesis word, whether it matches a reference word in an alignment of the two (difflib's
    matching blocks over normalised words; a word that normalises to several, such as "12", counts as
    right when all of them match)."""
    ref = normalise_text(reference).split()
    pieces = [normalise_text(w).split() for w in hypothesis]
    flat = [(i, p) for i, word in enumerate(pieces) for p in word]
    matched = [0] * len(pieces)
    for block in difflib.SequenceMatcher(a=ref, b=[p for _, p in flat], autojunk=False).get_matching_blocks():
        for k in range(block.size):
            matched[flat[block.b + k][0]] += 1
    return [bool(word) and matched[i] == len(word) for i, word in enumerate(pieces)]


def separation(right: Sequence[float], wrong: Sequence[float]) -> float | None:
    """Area under the ROC curve: the chance that a right word has a higher confidence than a wrong one
    (ties count half); 0.5 means the confidence tells nothing."""
    if not right or not wrong:
        return None
    ordered = sorted([(c, 1) for c in right] + [(c, 0) for c in wrong])
    rank_sum, position = 0.0, 0
    while position < len(ordered):
        end = position
        while end < len(ordered) and ordered[end][0] == ordered[position][0]:
            end += 1
        mean_rank = (position + 1 + end) / 2
        rank_sum += mean_rank * sum(label for _, label in ordered[position:end])
        position = end
    n_right, n_wrong = len(right), len(wrong)
    return (rank_sum - n_right * (n_right + 1) / 2) / (n_right * n_wrong)
