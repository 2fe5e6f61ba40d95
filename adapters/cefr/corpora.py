"""Readers for training corpora in the formats of the shared data, so operators can retrain on their own.

- `write_and_improve/*.json`: JSON lines `{"text", "cefr": "B1.ii", "id", "userid"?}` (W&I 2.1 / BEA-2019).
- `speak_and_improve/*.json`: a JSON list of sessions `{"test_id", "P1_text", "P1_score", ..., "overall"}`
  (S&I 2025), holistic scores 1-6; each scored part is one sample (`si`), and each session with an overall
  score is one more (`si_session`: its parts joined). Both in the form our transcription engine writes
  (`spoken_form`).
- `cefr_sp/*.txt`: `sentence \\t level-1-6 \\t level-1-6` per line (CEFR-SP), tokenised text.
- `*.jsonl` anywhere under the folder: `{"text", "level": "B1"}` or `{"text", "score": 3.5}`, optional
  `"kind"` and `"group"`, the same lines `evaluate cefr` reads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from adapters.cefr.text import detokenize
from domain.cefr.assessment import TextKind
from domain.cefr.scale import CefrLevel

SUBLEVEL_OFFSET = {"i": -0.25, "ii": 0.25, "+": 0.4}
SI_PARTS = ("P1", "P2", "P3", "P4", "P5")
CORPUS_FAMILY = {"si_session": "si", "si_pair": "si"}
"""Corpora whose samples share their groups with another corpus: a test-taker's session and its parts fall
in the same cross-validation fold."""

_SI_HESITATION = re.compile(r"\(%\w+%\)")
_SI_PARTIAL = re.compile(r"\(\s*([\w']*-)\s*\)")
_SI_NOISE = re.compile(r"\bIGNORE_TIME_SEGMENT_IN_SCORING\b|<[^>]{1,30}>")
_NOT_SPOKEN = re.compile(r"[^\w\s'-]")
ENGINE_FILLERS = ("um", "uh")
"""What our transcripts write for a hesitation (Whisper in verbatim mode, lower-cased)."""


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
    annotator_levels: tuple[int, ...] | None = None
    """Each annotator's level (1-6) where the corpus has several (CEFR-SP); `position` is their mean."""

    @property
    def fold_group(self) -> str:
        """The cross-validation group: one writer or test-taker, whatever the sample's corpus."""
        return f"{CORPUS_FAMILY.get(self.corpus, self.corpus)}:{self.group}"


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


def spoken_form(transcript: str) -> str:
    """A Speak & Improve transcript as our transcription engine writes the same speech: hesitation marks
    become fillers ("um", "uh" in turn), false starts `(wor-)` a word with a trailing hyphen, scoring marks
    go, and no capitals or punctuation remain (Whisper's are not reliable, and the model must not need them)."""
    count = 0

    def filler(_: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f" {ENGINE_FILLERS[(count - 1) % len(ENGINE_FILLERS)]} "

    text = _SI_NOISE.sub(" ", transcript)
    text = _SI_HESITATION.sub(filler, text)
    text = _SI_PARTIAL.sub(r" \1 ", text)
    text = _NOT_SPOKEN.sub(" ", text.lower())
    return " ".join(text.split())


def read_speak_and_improve(path: Path) -> Iterator[Sample]:
    for session in json.loads(path.read_text(encoding="utf-8")):
        test_taker = str(session["test_id"])
        parts = [spoken_form(session.get(f"{part}_text") or "") for part in SI_PARTS]
        for part, text in zip(SI_PARTS, parts, strict=True):
            score = session.get(f"{part}_score")
            if score is not None and len(text.split()) >= 5:
                yield Sample(text, float(score), TextKind.SPOKEN, "si", test_taker)
        scored = [
            (text, float(session[f"{part}_score"]))
            for part, text in zip(SI_PARTS, parts, strict=True)
            if session.get(f"{part}_score") is not None and len(text.split()) >= 5
        ]
        for (text_a, score_a), (text_b, score_b) in pairwise(scored):
            yield Sample(f"{text_a} {text_b}", (score_a + score_b) / 2, TextKind.SPOKEN, "si_pair", test_taker)
        whole = " ".join(text for text in parts if text)
        if session.get("overall") is not None and len(whole.split()) >= 5:
            yield Sample(whole, float(session["overall"]), TextKind.SPOKEN, "si_session", test_taker)


def read_cefr_sp(path: Path) -> Iterator[Sample]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            cells = line.rstrip("\n").split("\t")
            if len(cells) >= 3 and cells[1].strip().isdigit():
                annotators = (int(cells[1]), int(cells[2]))
                position = sum(annotators) / 2
                group = f"{path.stem}:{number}"
                yield Sample(detokenize(cells[0]), position, TextKind.WRITTEN, "sp", group, annotator_levels=annotators)


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
