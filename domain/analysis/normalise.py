"""The copy of a learner's text that the detectors read, and the map from its offsets back to the text as
the client sent it.

Detectors see NFC text without control or format characters: a NUL glued to a word, or a combining accent
split from its letter (NFD), otherwise ends up inside a correction or cut off its letter. Every offset an
error carries is mapped back, so a client's text[start:end] is always the span the error is about.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

KEPT_CONTROLS = frozenset("\t\n\r")
DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})  # control, format (zero-width, BOM, bidi), lone surrogates


@dataclass(frozen=True)
class NormalisedText:
    """`text` is what the detectors read; `original` is the client's text. Normalised character i comes
    from original[starts[i]:ends[i]] (a whole combining sequence when NFC composed it)."""

    text: str
    original: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @property
    def unchanged(self) -> bool:
        return self.text == self.original

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The client's code-point span of the normalised span [start, end); an insertion (start == end)
        stays an insertion, placed before the character it precedes."""
        if self.unchanged:
            return start, end
        if start == end:
            at = self._insertion_point(start)
            return at, at
        return self.starts[start], self.ends[end - 1]

    def _insertion_point(self, index: int) -> int:
        if index < len(self.starts):
            return self.starts[index]
        return self.ends[-1] if self.ends else len(self.original)


def normalise(original: str) -> NormalisedText:
    """NFC, with control and format characters out (tab, newline and carriage return stay; other
    whitespace controls become a space, so the words they separate stay apart)."""
    if original.isascii() and all(ch >= " " or ch in KEPT_CONTROLS for ch in original) and "\x7f" not in original:
        return NormalisedText(original, original, (), ())
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    run_start = run_end = 0
    run = ""  # a base character and what composes with it, not yet emitted

    def emit() -> None:
        composed = unicodedata.normalize("NFC", run)
        pieces.append(composed)
        starts.extend([run_start] * len(composed))
        ends.extend([run_end] * len(composed))

    for index, ch in enumerate(original):
        if unicodedata.category(ch) in DROPPED_CATEGORIES and ch not in KEPT_CONTROLS:
            if not ch.isspace():  # dropped inside a run: an accent after it still joins its letter
                continue
            if run:  # vertical tab, form feed, next line ...: a space, so the words stay apart
                emit()
                run = ""
            pieces.append(" ")
            starts.append(index)
            ends.append(index + 1)
            continue
        if run and (unicodedata.combining(ch) or _composes(run, ch)):
            run += ch
            run_end = index + 1
            continue
        if run:
            emit()
        run, run_start, run_end = ch, index, index + 1
    if run:
        emit()
    return NormalisedText("".join(pieces), original, tuple(starts), tuple(ends))


def _composes(run: str, ch: str) -> bool:
    """Whether NFC joins `ch` to what precedes it although it is a starter (Hangul jamo, some Indic vowels)."""
    if ch.isascii():
        return False
    nfc = unicodedata.normalize
    return nfc("NFC", run + ch) != nfc("NFC", run) + nfc("NFC", ch)
