"""Types every detection with ERRANT: each sentence is corrected with its detections, ERRANT aligns the
two versions (`annotate`) and its edit types are matched back to the detections by character offsets.

The work is bounded whatever the text: identical findings (same rule, words and correction) are typed once,
at their first place, and a sentence longer than MAX_TYPING_TOKENS is aligned in windows of at most that
many tokens (ERRANT's alignment is quadratic in a sentence's length; a 5,000-token "sentence" took seconds).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from domain.analysis.errors import Detection, apply_detections

MAX_TYPING_TOKENS = 60


def type_detections(annotator: Any, doc: Any, detections: list[Detection]) -> list[Detection]:
    if not detections:
        return []
    text = doc.text
    ordered = sorted(detections, key=lambda d: (d.start, d.end))
    first_of: dict[tuple[str, str, str], Detection] = {}
    for detection in ordered:
        first_of.setdefault(detection.finding(text), detection)
    representatives = {id(d) for d in first_of.values()}
    groups: list[tuple[Any, list[Detection]]] = []
    position = 0
    for unit in _units(doc, ordered):
        while position < len(ordered) and ordered[position].start < unit.start_char:
            position += 1
        inside = []
        while position < len(ordered) and (ordered[position].start < unit.end_char or (
                ordered[position].start == ordered[position].end == unit.end_char)):
            inside.append(ordered[position])
            position += 1
        if any(id(d) in representatives for d in inside):
            groups.append((unit, inside))
    originals = [unit.as_doc() for unit, _ in groups]
    corrected_texts = [
        apply_detections(unit.text, [_shifted(d, -unit.start_char) for d in inside]) for unit, inside in groups
    ]
    codes: dict[tuple[str, str, str], str | None] = {}
    for original, corrected, (unit, inside) in zip(
            originals, annotator.nlp.pipe(corrected_texts), groups, strict=True):
        spans = _edit_spans(original, annotator.annotate(original, corrected))
        for detection in inside:
            if id(detection) in representatives:
                codes[detection.finding(text)] = _code_for(detection, unit.start_char, spans)
    return [d.typed(codes.get(d.finding(text))) for d in ordered]


def _units(doc: Any, ordered: list[Detection]) -> Iterator[Any]:
    """The sentences, with those longer than MAX_TYPING_TOKENS cut into windows; no cut falls inside a
    detection."""
    starts_of_detections = [d.start for d in ordered]
    for sentence in doc.sents:
        if len(sentence) <= MAX_TYPING_TOKENS:
            yield sentence
            continue
        token_starts = [token.idx for token in sentence]
        blocked: set[int] = set()  # token indices a window may not start at
        low = bisect_left(starts_of_detections, sentence.start_char)
        high = bisect_right(starts_of_detections, sentence.end_char)
        for detection in ordered[low:high]:
            blocked.update(range(bisect_right(token_starts, detection.start), bisect_left(token_starts, detection.end)))
        begin, length = 0, len(sentence)
        while begin < length:
            end = min(begin + MAX_TYPING_TOKENS, length)
            cut = end
            while begin + 1 < cut < length and cut in blocked:
                cut -= 1
            if cut <= begin + 1 and end < length:  # a detection longer than a window: cut after it
                cut = end
                while cut < length and cut in blocked:
                    cut += 1
            yield sentence[begin:cut]
            begin = cut


def _shifted(detection: Detection, by: int) -> Detection:
    return replace(detection, start=detection.start + by, end=detection.end + by)


def _edit_spans(original: Any, edits: list[Any]) -> list[tuple[int, int, str, bool]]:
    """(start, end, ERRANT code, is an insertion) in characters. An insertion's span runs from the end of the
    word before it to the start of the word after it: "be" -> "be a" inserts "a" between "be" and the next
    word, and the detection that says so ends at "be"."""
    spans = []
    length = len(original.text)
    for edit in edits:
        if edit.o_start < edit.o_end:
            last = original[edit.o_end - 1]
            spans.append((original[edit.o_start].idx, last.idx + len(last.text), edit.type, False))
        else:
            at = original[edit.o_start].idx if edit.o_start < len(original) else length
            before = original[edit.o_start - 1] if edit.o_start > 0 else None
            spans.append((before.idx + len(before.text) if before is not None else at, at, edit.type, True))
    return spans


def _code_for(detection: Detection, offset: int, spans: list[tuple[int, int, str, bool]]) -> str | None:
    start, end = detection.start - offset, detection.end - offset
    for span_start, span_end, code, insertion in spans:
        if insertion and (start <= span_start <= end or start <= span_end <= end):
            return code
        if not insertion and span_start < end and start < span_end:
            return code
    return None
