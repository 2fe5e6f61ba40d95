"""The tagger's second pass: each sentence the first pass changed is corrected, tokenised again and tagged
again; a change the second pass proposes counts only where it touches text the first pass left as it was,
and it is mapped back to the original text's characters there."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from domain.analysis.errors import Detection, apply_detections, without_overlaps

if TYPE_CHECKING:
    from adapters.analysis.tagger.detector import GuessedWindow, TaggerDecision
    from adapters.analysis.tagger.model import TaggerModel


def again(model: TaggerModel, docs: Sequence[Any], first: list[GuessedWindow], found: list[list[Detection]],
          decision: TaggerDecision, tokenizer: Any) -> dict[int, list[Detection]]:
    """Per text, the second pass's detections in the original text's offsets."""
    from adapters.analysis.tagger.detector import GuessedWindow, decide_window

    jobs = []
    for window in first:
        start, end = window.tokens[0].idx, window.tokens[-1].idx + len(window.tokens[-1].text)
        inside = [d for d in found[window.text] if start <= d.start and d.end <= end]
        if not inside:
            continue
        inside = without_overlaps(inside)
        original = docs[window.text].text[start:end]
        shifted = [Detection(d.start - start, d.end - start, d.replacement, d.rule, d.detector, d.confidence)
                   for d in inside]
        corrected = apply_detections(original, shifted)
        tokens = [t for t in tokenizer(corrected) if not t.is_space]
        if tokens:
            jobs.append((window.text, start, corrected, tokens, _old_offsets(original, shifted)))
    if not jobs:
        return {}
    guesses = model.guess([[t.text for t in tokens] for _, _, _, tokens, _ in jobs])
    extra: dict[int, list[Detection]] = {}
    for (text, start, corrected, tokens, old), guessed in zip(jobs, guesses, strict=True):
        for detection in decide_window(corrected, GuessedWindow(text, tokens, guessed), decision):
            mapped = _mapped(detection, old, start)
            if mapped is not None:
                extra.setdefault(text, []).append(mapped)
    return extra


def _old_offsets(original: str, detections: list[Detection]) -> list[int | None]:
    """For each character offset of the corrected text (and its end), the original offset it came from;
    None inside what a detection wrote."""
    old: list[int | None] = []
    position = 0
    for detection in sorted(detections, key=lambda d: (d.start, d.end)):
        old.extend(range(position, detection.start))
        old.extend([None] * len(detection.replacement))
        position = detection.end
    old.extend(range(position, len(original) + 1))
    return old


def _mapped(detection: Detection, old: list[int | None], start: int) -> Detection | None:
    """The detection in original offsets, if every character it covers came unchanged from the original."""
    covered = old[detection.start:detection.end + 1]
    if not covered or any(o is None for o in covered):
        return None
    first, last = covered[0], covered[-1]
    assert first is not None and last is not None
    if last - first != detection.end - detection.start:  # a first-pass deletion lies inside
        return None
    return Detection(first + start, last + start, detection.replacement, detection.rule, detection.detector,
                     detection.confidence)
