"""Learner errors: what a detector proposes (`Detection`) and what a learner is shown (`LearnerError`)."""

from __future__ import annotations

from bisect import bisect_left
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
class Evidence:
    """What the parse shows about why an edit is right, as the words of the text, for the explanation to name.
    Empty strings where nothing was found. Found by the adapters (from the parse), read by the taxonomy."""

    subject: str = ""  # the subject the verb agrees with: "She"
    number: str = ""  # "singular" or "plural": of the subject (agreement) or of the quantifier (noun number)
    marker: str = ""  # the words that mark the time: "Last week", "two days ago", "tomorrow"
    time: str = ""  # "past" or "future": the time the marker marks, when the correction fits it
    noun: str = ""  # the noun an article or a preposition's object belongs to: "village"
    quantifier: str = ""  # the word that sets a noun's number: "many", "two", "a"
    trigger: str = ""  # the word after which this verb form is needed: "didn't", "can", "enjoy"
    form: str = ""  # the verb form the correction is: "base", "ing", "participle", "to"
    head: str = ""  # the word a preposition goes with: "married" (married to)

    def known(self) -> dict[str, str]:
        return {name: value for name, value in self.__dict__.items() if value}


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
    evidence: Evidence = Evidence()

    def finding(self, text: str) -> tuple[str, str, str]:
        """What makes two detections the same finding at different places: rule, words and correction."""
        return self.rule, text[self.start:self.end], self.replacement

    def typed(self, errant_code: str | None) -> Detection:
        return replace(self, errant_code=errant_code)

    def with_evidence(self, evidence: Evidence) -> Detection:
        return replace(self, evidence=evidence)

    def overlaps(self, other: Detection) -> bool:
        if self.start == self.end or other.start == other.end:  # insertions clash only at the same point
            return self.start == other.start or (self.start < other.end and other.start < self.end)
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class TextSpan:
    """Where a finding occurs: code points, and UTF-16 code units for JavaScript."""

    start: int
    end: int
    start_utf16: int
    end_utf16: int


@dataclass(frozen=True)
class LearnerError:
    """One finding. The same finding at several places (same rule, words and correction) is one error:
    `start`/`end` are its first place, `occurrences` lists its places (at most MAX_LISTED_OCCURRENCES, the
    first included; empty: only `start`/`end`, as in results stored before grouping) and `occurrence_count`
    counts them all."""

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
    occurrences: tuple[TextSpan, ...] = ()
    occurrence_count: int = 1

    @property
    def span(self) -> TextSpan:
        return TextSpan(self.start, self.end, self.start_utf16, self.end_utf16)


def utf16_offset(text: str, index: int) -> int:
    """The UTF-16 code-unit offset of code point `index` (JavaScript string indices)."""
    if text.isascii():
        return index
    return len(text[:index].encode("utf-16-le", errors="surrogatepass")) // 2


def apply_detections(text: str, detections: list[Detection]) -> str:
    """The text with every (non-overlapping) detection applied."""
    out = text
    for detection in sorted(detections, key=lambda d: (d.start, d.end), reverse=True):
        out = out[: detection.start] + detection.replacement + out[detection.end :]
    return out


def core_edit(text: str, detection: Detection) -> tuple[int, int, str]:
    """The change a detection makes, without the characters it keeps at either end: "am" -> "am a" and
    "student" -> "a student" both insert "a" before "student" (an insertion of a new word sits where the
    next word starts, its text stripped)."""
    original, replacement = text[detection.start:detection.end], detection.replacement
    prefix = _shared_length(original, replacement)
    original, replacement = original[prefix:], replacement[prefix:]
    suffix = _shared_length(original[::-1], replacement[::-1])
    start, end = detection.start + prefix, detection.end - suffix
    replacement = replacement[:len(replacement) - suffix]
    if start < end:
        return start, end, replacement
    if replacement[:1].isspace():  # a new word after this one: it goes where the next word starts
        while start < len(text) and text[start].isspace():
            start += 1
    return start, start, replacement.strip()


def _shared_length(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def without_duplicates(text: str, detections: list[Detection]) -> list[Detection]:
    """One detection per change, the most confident: two detectors can propose the same change on
    different words ("am" -> "am a", "student" -> "a student"), which no span overlap reveals."""
    best: dict[tuple[int, int, str], Detection] = {}
    for detection in detections:
        key = core_edit(text, detection)
        if key not in best or detection.confidence > best[key].confidence:
            best[key] = detection
    chosen = {id(d) for d in best.values()}
    return [d for d in detections if id(d) in chosen]


def without_overlaps(detections: list[Detection]) -> list[Detection]:
    """Keeps the most confident of overlapping detections (ties: the earlier one), in text order."""
    # `kept` stays in text order and its spans do not overlap, so their ends rise with their starts: only
    # the neighbours of a candidate's place can clash with it (linear in practice, not quadratic).
    kept: list[Detection] = []
    places: list[tuple[int, int]] = []
    for candidate in sorted(detections, key=lambda d: (-d.confidence, d.start, d.end)):
        at = bisect_left(places, (candidate.start, candidate.end))
        before = at - 1
        clash = False
        while not clash and before >= 0 and kept[before].end >= candidate.start:
            clash = candidate.overlaps(kept[before])
            before -= 1
        after = at
        while not clash and after < len(kept) and kept[after].start <= candidate.end:
            clash = candidate.overlaps(kept[after])
            after += 1
        if not clash:
            kept.insert(at, candidate)
            places.insert(at, (candidate.start, candidate.end))
    return kept
