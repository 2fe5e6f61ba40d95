"""Readers for training corpora in the formats of the shared data, so operators can retrain on their own.

- `write_and_improve/*.json`: JSON lines `{"text", "cefr": "B1.ii", "id", "userid"?}` (W&I 2.1 / BEA-2019).
- `speak_and_improve/*.json`: a JSON list of sessions `{"test_id", "P1_text", "P1_score", ...}` (S&I 2025),
  holistic scores 1-6; each scored part is one sample.
- `cefr_sp/*.txt`: `sentence \\t level-1-6 \\t level-1-6` per line (CEFR-SP), tokenised text.
- `*.jsonl` anywhere under the folder: `{"text", "level": "B1"}` or `{"text", "score": 3.5}`, optional
  `"kind"` and `"group"`, the same lines `evaluate cefr` reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from adapters.cefr.text import detokenize
from domain.cefr.assessment import TextKind
from domain.cefr.scale import CefrLevel

SUBLEVEL_OFFSET = {"i": -0.25, "ii": 0.25, "+": 0.4}


@dataclass(frozen=True)
class Sample:
    text: str
    position: float
    """Target on the 1-6 scale (1 = A1 ... 6 = C2)."""
    kind: TextKind
    corpus: str
    group: str
    errors_per_word: float | None = None
    """Annotated error edits per word, where the corpus has them (W&I): a second training target."""
    error_spans: tuple[tuple[int, int], ...] | None = None
    """Character spans of those edits in `text` (insertions are empty spans): token-level error labels."""


def position_of_label(label: str) -> float:
    """`B1` -> 3.0, `B1.i` -> 2.75, `B1.ii` -> 3.25, `C2+` -> 6.4."""
    label = label.strip()
    base = CefrLevel(label[:2]).rank + 1
    rest = label[2:].lstrip(".")
    return base + SUBLEVEL_OFFSET.get(rest, 0.0)


def read_write_and_improve(path: Path) -> Iterator[Sample]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                group = str(row.get("userid") or row.get("id"))
                edits = row.get("edits") or []
                errors = len(edits[0][1]) / max(len(row["text"].split()), 1) if edits else None
                spans = tuple((int(e[0]), int(e[1])) for e in edits[0][1]) if edits else None
                position = position_of_label(row["cefr"])
                yield Sample(row["text"], position, TextKind.WRITTEN, "wi", group, errors, spans)


def read_speak_and_improve(path: Path) -> Iterator[Sample]:
    for session in json.loads(path.read_text(encoding="utf-8")):
        for part in ("P1", "P2", "P3", "P4", "P5"):
            text, score = session.get(f"{part}_text"), session.get(f"{part}_score")
            if text and score is not None and len(text.split()) >= 5:
                yield Sample(text, float(score), TextKind.SPOKEN, "si", str(session["test_id"]))


def read_cefr_sp(path: Path) -> Iterator[Sample]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            cells = line.rstrip("\n").split("\t")
            if len(cells) >= 3 and cells[1].strip().isdigit():
                position = (int(cells[1]) + int(cells[2])) / 2
                yield Sample(detokenize(cells[0]), position, TextKind.WRITTEN, "sp", f"{path.stem}:{number}")


def read_jsonl(path: Path) -> Iterator[Sample]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if not line.strip():
                continue
            row = json.loads(line)
            position = position_of_label(row["level"]) if "level" in row else float(row["score"])
            kind = TextKind(str(row.get("kind", "WRITTEN")).upper())
            yield Sample(row["text"], position, kind, "jsonl", str(row.get("group", f"{path.stem}:{number}")))


def read_corpora(data_dir: Path) -> list[Sample]:
    samples: list[Sample] = []
    for path in sorted(data_dir.glob("write_and_improve/*.json")):
        samples += read_write_and_improve(path)
    for path in sorted(data_dir.glob("speak_and_improve/*.json")):
        samples += read_speak_and_improve(path)
    for path in sorted(data_dir.glob("cefr_sp/*.txt")):
        samples += read_cefr_sp(path)
    for path in sorted(data_dir.rglob("*.jsonl")):
        samples += read_jsonl(path)
    if not samples:
        raise FileNotFoundError(f"no training data found under {data_dir}")
    return samples
