"""Feedback built offline from the errors, the metrics and (when known) the CEFR level."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from domain.analysis.errors import ErrorType, LearnerError
from domain.analysis.l1 import l1_note
from domain.analysis.metrics import TextMetrics
from domain.analysis.recall import NOT_MEASURED, MeasuredRecall
from domain.cefr.scale import CefrLevel

AREA_NAMES = {
    ErrorType.GRAMMAR: "grammar", ErrorType.VOCABULARY: "word choice", ErrorType.SPELLING: "spelling",
    ErrorType.TENSE: "verb tenses", ErrorType.ARTICLE: "articles (a, an, the)",
    ErrorType.PREPOSITION: "prepositions", ErrorType.AGREEMENT: "subject-verb agreement",
    ErrorType.WORD_ORDER: "word order", ErrorType.WORD_FORM: "word forms", ErrorType.PUNCTUATION: "punctuation",
    ErrorType.CAPITALISATION: "capital letters", ErrorType.COLLOCATION: "collocations",
    ErrorType.FLUENCY: "natural phrasing", ErrorType.PRONUNCIATION: "pronunciation",
}
CHECKED_AREAS = (ErrorType.SPELLING, ErrorType.AGREEMENT, ErrorType.TENSE, ErrorType.ARTICLE)
RICH_DIVERSITY = 60.0
LONG_SENTENCES = 14.0
ADVANCED_SHARE = 0.2


@dataclass(frozen=True)
class Feedback:
    strengths: tuple[str, ...]
    improvement_areas: tuple[str, ...]
    paragraph: str


def error_counts(errors: Sequence[LearnerError]) -> list[tuple[ErrorType, int]]:
    return Counter(e.type for e in errors if not e.is_hint).most_common()


def build_feedback(errors: Sequence[LearnerError], metrics: TextMetrics, level: CefrLevel | None,
                   native_language: str | None = None, recall: MeasuredRecall = NOT_MEASURED) -> Feedback:
    """`recall` is what the engine is measured to find: a strength about accuracy is only claimed where
    finding nothing is evidence (see `domain.analysis.recall`); unmeasured, none is claimed."""
    counts = error_counts(errors)
    strengths = _strengths(metrics, {e.type for e in errors}, recall)
    areas = tuple(f"{AREA_NAMES[t].capitalize()}: {n} error{'s' if n > 1 else ''}" for t, n in counts[:3])
    return Feedback(strengths, areas, _paragraph(counts, metrics, level, native_language, strengths))


def _strengths(metrics: TextMetrics, found: set[ErrorType], recall: MeasuredRecall) -> tuple[str, ...]:
    """`found`: every type with a finding in this text, hints included (a hint is still a doubt)."""
    strengths = []
    if metrics.words and metrics.errors_per_100_words < 2 and recall.knows_overall():
        strengths.append("Very few errors: your writing is accurate.")
    strengths.extend(f"Good control of {AREA_NAMES[t]}." for t in CHECKED_AREAS
                     if t not in found and recall.knows(t))
    if metrics.lexical_diversity >= RICH_DIVERSITY:
        strengths.append("A varied vocabulary: you repeat few words.")
    advanced = sum(share for level, share in metrics.vocabulary_levels if level.rank >= CefrLevel.B2.rank)
    if advanced >= ADVANCED_SHARE:
        strengths.append("You use a good number of advanced (B2 and above) words.")
    if metrics.mean_sentence_length >= LONG_SENTENCES:
        strengths.append("You build long, connected sentences.")
    return tuple(strengths[:4])


def _paragraph(counts: list[tuple[ErrorType, int]], metrics: TextMetrics, level: CefrLevel | None,
               native_language: str | None, strengths: tuple[str, ...]) -> str:
    parts = [f"You wrote {metrics.words} words in {metrics.sentences} sentence{'s' if metrics.sentences != 1 else ''}"
             + (f", at about level {level.value}." if level is not None else ".")]
    if strengths:
        parts.append(strengths[0])
    if counts:
        main, number = counts[0]
        parts.append(f"Focus first on {AREA_NAMES[main]} ({number} error{'s' if number > 1 else ''}).")
        note = l1_note(native_language, main)
        if note:
            parts.append(note)
    else:
        parts.append("We found no clear errors; try longer sentences and less common words next time.")
    return " ".join(parts)
