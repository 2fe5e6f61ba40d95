"""Loads the grammar checker's measured per-type recall shipped with the package (`data/measured_recall.json`,
written by `englivo evaluate grammar --recall-out`; BENCHMARKS.md records the command and the data)."""

from __future__ import annotations

import json
from pathlib import Path

from domain.analysis.recall import MeasuredRecall

MEASURED_RECALL_FILE = Path(__file__).with_name("data") / "measured_recall.json"


def load_measured_recall(path: Path = MEASURED_RECALL_FILE) -> MeasuredRecall:
    return MeasuredRecall.from_dict(json.loads(path.read_text(encoding="utf-8")))
