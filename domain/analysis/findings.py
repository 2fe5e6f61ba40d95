"""Errors as the client reads them: placed in the text it sent, and each finding once, with its places."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import accumulate

from domain.analysis.errors import LearnerError, TextSpan
from domain.analysis.normalise import NormalisedText

MAX_LISTED_OCCURRENCES = 50
"""Places listed per finding; `occurrence_count` still counts them all ("a a a a ..." repeats one finding
thousands of times)."""


def client_findings(errors: Sequence[LearnerError], source: NormalisedText) -> tuple[LearnerError, ...]:
    """`errors`, found in `source.text`, with offsets and quoted words from the client's text; identical
    findings (same rule, type, words, correction and explanation) become one error with its occurrences.
    Every detector's errors go through here once, after all of them ran."""
    utf16 = utf16_offsets(source.original)
    groups: dict[tuple[object, ...], list[tuple[LearnerError, TextSpan]]] = {}
    for error in sorted(errors, key=lambda e: (e.start, e.end)):
        start, end = source.span(error.start, error.end)
        place = TextSpan(start, end, utf16(start), utf16(end))
        key = (error.rule, error.detector, error.type, error.original_text, error.corrected_text,
               error.explanation, error.is_hint)
        groups.setdefault(key, []).append((error, place))
    findings = []
    for members in groups.values():
        first, place = members[0]
        findings.append(replace(
            first, start=place.start, end=place.end, start_utf16=place.start_utf16, end_utf16=place.end_utf16,
            original_text=source.original[place.start:place.end],
            occurrences=tuple(p for _, p in members[:MAX_LISTED_OCCURRENCES]), occurrence_count=len(members),
        ))
    return tuple(sorted(findings, key=lambda e: (e.start, e.end)))


def utf16_offsets(text: str) -> Callable[[int], int]:
    """Code-point offset -> UTF-16 offset for `text`, each lookup O(1)."""
    if not text or max(text) <= "\uffff":
        return lambda index: index
    prefix = list(accumulate((2 if ord(ch) > 0xFFFF else 1 for ch in text), initial=0))
    return prefix.__getitem__


def occurrences_of(errors: Sequence[LearnerError]) -> int:
    """How many places the errors were found at (each finding counts every place)."""
    return sum(e.occurrence_count for e in errors)
