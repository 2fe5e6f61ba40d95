"""Hand-built learner histories for the aggregation tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.cefr.scale import CefrLevel
from domain.progress.records import ErrorExample, LearnerHistory, NewLemmas, RuleCount, SessionRecord
from domain.results import ResultKind

START = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)  # a Monday


def text_session(
    index: int, score: float, errors: dict[str, int], *, words: int = 100, scale: str = "v1", days_apart: int = 7,
) -> SessionRecord:
    return SessionRecord(
        session_id=f"s{index}", kind=ResultKind.TEXT_ANALYSIS, scale=scale,
        at=START + timedelta(days=days_apart * index), results=1, words=words, cefr_score=score,
        error_counts=tuple(sorted(errors.items())),
    )


def history(*records: SessionRecord, **extra: object) -> LearnerHistory:
    return LearnerHistory("learner", records, **extra)  # type: ignore[arg-type]


def falling_articles() -> LearnerHistory:
    """Five weekly sessions: article errors 8, 6, 4, 3, 1 per 100 words; tense errors flat at 2."""
    records = tuple(text_session(i, 40 + 3 * i, {"article": n, "tense": 2}) for i, n in enumerate((8, 6, 4, 3, 1)))
    examples = tuple(ErrorExample("article", "rules:article.a_an", f"a apple {i}", r.at) for i, r in enumerate(records))
    lemmas = tuple(NewLemmas(r.session_id, r.at, ((CefrLevel.A1, 20 - 3 * i), (CefrLevel.B1, 2 + 2 * i)))
                   for i, r in enumerate(records))
    return history(*records, examples=examples, rules=(RuleCount("article", "rules:article.a_an", 20),
                                                       RuleCount("article", "harper:AnA", 2),
                                                       RuleCount("tense", None, 10)),
                   new_lemmas=lemmas, known_lemmas_before=50)
