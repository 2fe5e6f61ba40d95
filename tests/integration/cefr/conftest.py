"""The real shipped CEFR model, loaded once per test session, and learner essays from the committed
Write & Improve sample (tests/data/corpora)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from adapters.cefr.model import LocalCefrModel
from tests.conftest import CORPORA

WRITE_AND_IMPROVE = CORPORA / "cefr" / "write_and_improve"


@pytest.fixture(scope="session")
def cefr_model() -> LocalCefrModel:
    model = LocalCefrModel()
    model.warm_up()
    return model


def _essays() -> Iterator[dict[str, str]]:
    for path in sorted(WRITE_AND_IMPROVE.glob("*.train.json")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)


def essays_at(prefix: str, count: int, min_words: int = 150) -> list[str]:
    """The first `count` Write & Improve essays whose level starts with `prefix`, in file order; fails when
    the sample holds fewer, so a test never passes on less text than it asks for."""
    found = [e["text"] for e in _essays() if e["cefr"].startswith(prefix) and len(e["text"].split()) >= min_words]
    assert len(found) >= count, f"the sample in {WRITE_AND_IMPROVE} has {len(found)} {prefix} essays, not {count}"
    return found[:count]
