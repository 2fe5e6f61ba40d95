"""Length alone does not move the level (issue 20.1): a learner's text, its halves, and the text joined
with another text of the same learner are placed within one level of each other, and the longer text does
not score above its parts; written and as our transcription engine would write the same words spoken.

The learners are the two writers with two essays each in the committed Write & Improve sample."""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest

from adapters.cefr.model import LocalCefrModel
from domain.cefr.assessment import TextKind
from tests.integration.cefr.conftest import WRITE_AND_IMPROVE

SCORE_TOLERANCE = 3.0
"""Points of the 0-100 score (a level spans 15): how far a longer text may score above its best part."""


def _learners_with_two_essays() -> list[tuple[str, str]]:
    by_writer: dict[str, list[str]] = defaultdict(list)
    for path in sorted(WRITE_AND_IMPROVE.glob("*.train.json")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            by_writer[str(row["userid"])].append(row["text"])
    pairs = [(texts[0], texts[1]) for texts in by_writer.values() if len(texts) == 2]
    assert len(pairs) == 2, "the committed sample changed: pick two learners with two essays"
    return pairs


def _spoken(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s'-]", " ", text.lower()).split())


def _halves(text: str) -> tuple[str, str]:
    words = text.split()
    return " ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])


LENGTH_STILL_MOVES_THE_LEVEL = pytest.mark.xfail(
    strict=True,
    reason="issue 20 open: the length-robust model (cefr-lgbm-2026.12.06-length, BENCHMARKS.md, CEFR) still scores "
    "a 160-word essay above its halves (37.6 vs 21.7 / 31.6) and a spoken 162-word answer C1 against A2 for its "
    "81-word half; remove this mark when a model passes",
)


@pytest.mark.parametrize(
    ("kind", "pair"),
    [
        pytest.param(TextKind.WRITTEN, 0, marks=LENGTH_STILL_MOVES_THE_LEVEL),
        pytest.param(TextKind.WRITTEN, 1, marks=LENGTH_STILL_MOVES_THE_LEVEL),
        pytest.param(TextKind.SPOKEN, 0, marks=LENGTH_STILL_MOVES_THE_LEVEL),
        pytest.param(TextKind.SPOKEN, 1, marks=LENGTH_STILL_MOVES_THE_LEVEL),
    ],
)
def test_halves_and_doubled_texts_stay_within_one_level(cefr_model: LocalCefrModel, kind: TextKind, pair: int) -> None:
    first, second = _learners_with_two_essays()[pair]
    if kind is TextKind.SPOKEN:
        first, second = _spoken(first), _spoken(second)
    assess = lambda text: cefr_model.assess_sync(text, kind)  # noqa: E731
    whole, other, joined = assess(first), assess(second), assess(f"{first} {second}")
    halves = [assess(half) for half in _halves(first)]
    for result in (*halves, joined):
        assert abs(result.level.rank - whole.level.rank) <= 1, (whole.level, result.level, result.word_count)
    assert joined.score <= max(whole.score, other.score) + SCORE_TOLERANCE, (whole.score, other.score, joined.score)
    assert whole.score <= max(h.score for h in halves) + SCORE_TOLERANCE, (whole.score, [h.score for h in halves])
