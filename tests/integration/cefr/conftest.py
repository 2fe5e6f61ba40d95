"""The real shipped CEFR model, loaded once per test session, and learner texts from the shared data."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.cefr.model import LocalCefrModel
from tests.conftest import REPO_ROOT

SHARED_CEFR = Path(os.environ.get("ENGLIVO_TEST_SHARED_DATA", REPO_ROOT.parent / "shared" / "data")) / "cefr"


@pytest.fixture(scope="session")
def cefr_model() -> LocalCefrModel:
    model = LocalCefrModel()
    model.warm_up()
    return model


def _essays() -> Iterator[dict[str, str]]:
    folder = SHARED_CEFR / "write_and_improve"
    if not folder.is_dir():
        pytest.fail(f"the shared data is missing at {folder}; set ENGLIVO_TEST_SHARED_DATA")
    for path in sorted(folder.glob("*.json")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)


def essays_at(prefix: str, count: int, min_words: int = 150) -> list[str]:
    """The first `count` Write & Improve essays whose level starts with `prefix`, in file order."""
    found = [e["text"] for e in _essays() if e["cefr"].startswith(prefix) and len(e["text"].split()) >= min_words]
    return found[:count]
