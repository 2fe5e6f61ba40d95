"""ERRANT types each detection from the edit it makes; an insertion written as a replacement of the word
before it ("be" -> "be a", as the tagger's appends are) is typed like one written at the next word."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.analysis.errant_typing import type_detections
from adapters.analysis.models import ModelManager
from domain.analysis.errors import Detection

TEXT = "To be journalist, I must study very hard so I will try."


@pytest.fixture(scope="module")
def models() -> Any:
    return ModelManager().get()


@pytest.mark.parametrize(("wrong", "replacement", "code"), [
    ("be", "be a", "M:DET"),  # the word before the insertion
    ("journalist", "a journalist", "M:DET"),  # the word after it
    ("hard", "hard,", "M:PUNCT"),
])
def test_an_insertion_is_typed_whichever_word_carries_it(models: Any, wrong: str, replacement: str,
                                                          code: str) -> None:
    start = TEXT.index(wrong)
    detection = Detection(start, start + len(wrong), replacement, "tagger:append", "tagger", 0.7)
    (typed,) = type_detections(models.annotator, models.nlp(TEXT), [detection])
    assert typed.errant_code == code
