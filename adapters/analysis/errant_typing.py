"""Types every detection with ERRANT: each sentence is corrected with its detections, ERRANT aligns the
two versions (`annotate`) and its edit types are matched back to the detections by character offsets."""

from __future__ import annotations

from typing import Any

from domain.analysis.errors import Detection, apply_detections


def type_detections(annotator: Any, doc: Any, detections: list[Detection]) -> list[Detection]:
    if not detections:
        return []
    groups: list[tuple[Any, list[Detection]]] = []
    for sentence in doc.sents:
        inside = [d for d in detections if sentence.start_char <= d.start < sentence.end_char
                  or (d.start == d.end == sentence.end_char)]
        if inside:
            groups.append((sentence, inside))
    originals = [sentence.as_doc() for sentence, _ in groups]
    corrected_texts = [
        apply_detections(sentence.text, [_shifted(d, -sentence.start_char) for d in inside])
        for sentence, inside in groups
    ]
    typed: list[Detection] = []
    for original, corrected, (sentence, inside) in zip(
            originals, annotator.nlp.pipe(corrected_texts), groups, strict=True):
        spans = _edit_spans(original, annotator.annotate(original, corrected))
        for detection in inside:
            typed.append(detection.typed(_code_for(detection, sentence.start_char, spans)))
    return typed


def _shifted(detection: Detection, by: int) -> Detection:
    return Detection(detection.start + by, detection.end + by, detection.replacement, detection.rule,
                     detection.detector, detection.confidence, detection.errant_code, detection.message)


def _edit_spans(original: Any, edits: list[Any]) -> list[tuple[int, int, str]]:
    spans = []
    length = len(original.text)
    for edit in edits:
        if edit.o_start < edit.o_end:
            last = original[edit.o_end - 1]
            spans.append((original[edit.o_start].idx, last.idx + len(last.text), edit.type))
        else:
            at = original[edit.o_start].idx if edit.o_start < len(original) else length
            spans.append((at, at, edit.type))
    return spans


def _code_for(detection: Detection, offset: int, spans: list[tuple[int, int, str]]) -> str | None:
    start, end = detection.start - offset, detection.end - offset
    for span_start, span_end, code in spans:
        if (span_start < end and start < span_end) or (span_start == span_end and start <= span_start <= end):
            return code
    return None
