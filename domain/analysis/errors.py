"""Learner errors: what a detector proposes (`Detection`) and what a learner is shown (`LearnerError`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum


class ErrorType(str, Enum):
    GRAMMAR = "grammar"
    VOCABULARY = "vocabulary"
    SPELLING = "spelling"
    TENSE = "tense"
    ARTICLE = "article"
    PREPOSITION = "preposition"
    AGREEMENT = "agreement"
    WORD_ORDER = "word_order"
    WORD_FORM = "word_form"
    PUNCTUATION = "punctuation"
    CAPITALISATION = "capitalisation"
    COLLOCATION = "collocation"
    FLUENCY = "fluency"
    PRONUNCIATION = "pronunciation"


class Severity(str, Enum):
    """How much the error hurts understanding, not how often it occurs."""

    MINOR = "minor"
    MODERATE = "moderate"
    MAJOR = "major"


@dataclass(frozen=True)
class Detection:
    """One proposed edit of the text, in code-point offsets, before it is typed for a learner.

    `rule` names the detector's own rule (`harper:MassNouns`, `rules:article.missing`, `llm:...`);
    `errant_code` is ERRANT's type of the edit (`R:VERB:TENSE`) when ERRANT could type it."""

    start: int
    end: int
    replacement: str
    rule: str
    detector: str
    confidence: float
    errant_code: str | None = None
    message: str | None = None

    def typed(self, errant_code: str | None) -> Detection:
        return replace(self, errant_code=errant_code)

    def overlaps(self, other: Detection) -> bool:
        if self.start == self.end or other.start == other.end:  # insertions clash only at the same point
            return self.start == other.start or (self.start < other.end and other.start < self.end)
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class LearnerError:
    type: ErrorType
    severity: Severity
    start: int
    end: int
    start_utf16: int
    end_utf16: int
    original_text: str
    corrected_text: str
    explanation: str
    suggestion: str
    rule: str
    detector: str
    confidence: float
    is_hint: bool


def utf16_offset(text: str, index: int) -> int:
    """The UTF-16 code-unit offset of code point `index` (JavaScript string indices)."""
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def apply_detections(text: str, detections: list[Detection]) -> str:
    """The text with every (non-overlapping) detection applied."""
    out = text
    for detection in sorted(detections, key=lambda d: (d.start, d.end), reverse=True):
        out = out[: detection.start] + detection.replacement + out[detection.end :]
    return out


def without_overlaps(detections: list[Detection]) -> list[Detection]:
    """Keeps the most confident of overlapping detections (ties: the earlier one), in text order."""
    kept: list[Detection] = []
    for candidate in sorted(detections, key=lambda d: (-d.confidence, d.start, d.end)):
        if not any(candidate.overlaps(k) for k in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda d: (d.start, d.end))
