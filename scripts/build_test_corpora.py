"""Builds the small corpora committed in tests/data/corpora/ from the public data sets, so that the tests
and `englivo seed-demo` need nothing beside the repository.

    python scripts/build_test_corpora.py          # reads ../shared/data, or $ENGLIVO_PUBLIC_DATA

Writes the same layout and file formats as the full public data (see the README, "Data for training and
evaluation"), so every reader that takes `--data` reads this sample too:

- `cefr/write_and_improve/{A,B,C}.train.json`: 30 Write & Improve 2.1 essays per file, unchanged lines,
  chosen in file order by sublevel quota and length (what the CEFR tests and the demo ladder need).
- `speechocean762/train/labels.jsonl`: 12 adult speechocean762 readings with their human scores, from a
  total of 4.0 to 9.95; four of them are new FLAC files beside it, eight are the clips already in
  tests/data (referred to by relative paths, not copied twice).

Deterministic: same input, same files.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path(os.environ.get("ENGLIVO_PUBLIC_DATA", ROOT.parent / "shared" / "data"))
OUT = ROOT / "tests" / "data" / "corpora"

# sublevel: (essays, fewest words, most words, most characters). The limits serve the tests: CEFR
# placement of A1 (>= 40 words), A2, B and C1 (>= 150 words) and C2 essays (>= 200 words), and the demo
# ladder (A1.ii to B2.i essays of 300-1,200 characters, see entrypoints/cli/seed_demo.py).
QUOTAS: dict[str, dict[str, tuple[int, int, int, int]]] = {
    "A": {"A1.i": (6, 40, 200, 1_200), "A1.ii": (6, 60, 200, 1_200),
          "A2.i": (9, 150, 210, 1_200), "A2.ii": (9, 150, 210, 1_200)},
    "B": {"B1.i": (8, 150, 210, 1_200), "B1.ii": (8, 150, 210, 1_200),
          "B2.i": (8, 150, 210, 1_200), "B2.ii": (6, 150, 260, 1_600)},
    "C": {"C1.i": (5, 150, 260, 1_600), "C1.ii": (5, 150, 260, 1_600),
          "C2.i": (9, 200, 280, 1_800), "C2.ii": (9, 200, 280, 1_800), "C2+": (2, 150, 400, 2_400)},
}
# Adult readings of four words or more, spread over the human total score (0-10).
NEW_READINGS = ("096110013", "096460010", "005940234", "005940195")  # totals 4.0, 4.76, 5.2, 6.2
COMMITTED_READINGS = {  # already in tests/data, copied unchanged from speechocean762 train/
    "009600343": "pronunciation", "004820370": "pronunciation", "001350180": "pronunciation",
    "001350219": "pronunciation", "000360013": ".", "004820005": ".", "010120148": ".", "024020047": ".",
}


def select_essays(lines: list[str], quotas: dict[str, tuple[int, int, int, int]]) -> list[str]:
    """The first essays, in file order, that fill each sublevel's quota within its length limits."""
    left = {level: quota[0] for level, quota in quotas.items()}
    chosen = []
    for line in lines:
        essay = json.loads(line)
        level, words, characters = essay["cefr"], len(essay["text"].split()), len(essay["text"])
        if left.get(level, 0) > 0:
            _, fewest, most, most_characters = quotas[level]
            if fewest <= words <= most and characters <= most_characters:
                chosen.append(line)
                left[level] -= 1
    if any(left.values()):
        raise SystemExit(f"too few essays for {left}")
    return chosen


def build_write_and_improve() -> None:
    source = SOURCE / "cefr" / "write_and_improve"
    target = OUT / "cefr" / "write_and_improve"
    target.mkdir(parents=True, exist_ok=True)
    for name, quotas in QUOTAS.items():
        lines = (source / f"{name}.train.json").read_text(encoding="utf-8").splitlines()
        (target / f"{name}.train.json").write_text("\n".join(select_essays(lines, quotas)) + "\n", encoding="utf-8")
    shutil.copyfile(source / "licence.wi.txt", target / "licence.wi.txt")


def build_speechocean762() -> None:
    source = SOURCE / "speechocean762" / "train"
    target = OUT / "speechocean762" / "train"
    target.mkdir(parents=True, exist_ok=True)
    rows = {row["utt"]: row for row in map(json.loads, (source / "labels.jsonl").read_text().splitlines())}
    out = []
    for utt in NEW_READINGS:
        shutil.copyfile(source / f"{utt}.flac", target / f"{utt}.flac")
        out.append(rows[utt])
    for utt, folder in COMMITTED_READINGS.items():
        committed = ROOT / "tests" / "data" / folder / f"{utt}.flac"
        if committed.read_bytes() != (source / f"{utt}.flac").read_bytes():
            raise SystemExit(f"{committed} differs from the corpus file")
        out.append(rows[utt] | {"audio": os.path.relpath(committed, target)})
    out.sort(key=lambda row: (row["total"], row["utt"]))
    (target / "labels.jsonl").write_text("".join(json.dumps(row) + "\n" for row in out), encoding="utf-8")


if __name__ == "__main__":
    build_write_and_improve()
    build_speechocean762()
