"""Builds adapters/analysis/data/vocabulary_levels.tsv (word, lowest CEFR level) from the CEFR-J
Vocabulary Profile 1.5 (A1-B2) and the Octanove Vocabulary Profile (C1-C2). See that folder's README.

    python scripts/build_vocabulary_levels.py
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The public data folder (README, "Data for training and evaluation"); default: ../shared/data beside the checkout.
PROFILES = Path(os.environ.get("ENGLIVO_PUBLIC_DATA", ROOT.parent / "shared" / "data")) / "cefr" / "profiles"
OUT = ROOT / "adapters" / "analysis" / "data" / "vocabulary_levels.tsv"
ORDER = ["A1", "A2", "B1", "B2", "C1", "C2"]


def main() -> None:
    levels: dict[str, str] = {}
    for name in ("cefrj-vocabulary-profile-1.5.csv", "octanove-vocabulary-profile-c1c2-1.0.csv"):
        with (PROFILES / name).open(newline="") as handle:
            for row in csv.DictReader(handle):
                level = row["CEFR"].strip().upper()
                if level not in ORDER:
                    continue
                for word in row["headword"].split("/"):
                    word = word.strip().lower()
                    if word and (word not in levels or ORDER.index(level) < ORDER.index(levels[word])):
                        levels[word] = level
    OUT.write_text("".join(f"{w}\t{lv}\n" for w, lv in sorted(levels.items())))
    print(len(levels), "words")


if __name__ == "__main__":
    main()
