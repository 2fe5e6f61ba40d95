"""Measures each LanguageTool rule's precision on development essays and writes the table the LanguageTool
detector reads (adapters/analysis/data/languagetool_rules.json).

Development data only: the Write & Improve essays that `scripts/build_wi_m2.py` does NOT hold out (same
split, by essay id), and other corpora in the same JSON shape (`--json`, e.g. FCE's fce.train.json). Never
the evaluation sets (FCE dev, CoNLL-2013, the W&I held-out essays).

Every rule runs (`LanguageToolOptions(calibrated=False)`: confidence 1, the suggestion the detector picks);
each of its edits is right when a gold edit makes the same change: both are compared in words (split at
spaces), with the words they share at either end left out ("am agree" -> "agree" is the same change as
deleting "am"). This is faster than ERRANT on every unit and reads the essays' own character offsets.

    .venv/bin/python scripts/calibrate_languagetool.py --limit 250 --json ../shared/data/gec/fce/fce.train.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_wi_m2 import DATA, held_out

from adapters.analysis.languagetool import (
    RULE_PRECISION_FILE,
    LanguageToolDetector,
    LanguageToolOptions,
    rule_precision_rows,
)

WORD = re.compile(r"\S+")
Change = tuple[int, int, tuple[str, ...]]


def change(words: list[tuple[int, int]], text: str, start: int, end: int, replacement: str) -> Change:
    """The edit as (first word, end word, new words), without the words it keeps at either end."""
    first = next((i for i, (s, e) in enumerate(words) if e > start), len(words))
    last = next((i for i, (s, e) in enumerate(words) if s >= end), len(words)) if end > start else first
    # the replacement is for the characters start:end; extend it to whole words
    prefix = text[words[first][0]:start] if first < len(words) and words[first][0] < start else ""
    suffix = text[end:words[last - 1][1]] if last > first and words[last - 1][1] > end else ""
    old = [text[s:e] for s, e in words[first:last]]
    new = (prefix + replacement + suffix).split()
    while old and new and old[0] == new[0]:
        old, new, first = old[1:], new[1:], first + 1
    while old and new and old[-1] == new[-1]:
        old, new = old[:-1], new[:-1]
    return first, first + len(old), tuple(new)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path, action="append", default=[],
                        help="Another development corpus in the W&I JSON shape (FCE's fce.train.json), all of it, "
                             "besides the W&I essays that build_wi_m2.py does not hold out.")
    parser.add_argument("--held-out-percent", type=int, default=20)
    parser.add_argument("--limit", type=int, default=0, help="Essays per file (0: all).")
    parser.add_argument("--out", type=Path, default=RULE_PRECISION_FILE)
    args = parser.parse_args()

    from adapters.cefr.model import load_spacy

    nlp = load_spacy()
    detector = LanguageToolDetector(LanguageToolOptions(calibrated=False, deadline_seconds=1e9))
    proposed: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    essays = 0
    wi = [DATA / f"{level}.train.json" for level in "ABC"]
    for source in wi + args.json:
        lines = source.read_text().splitlines()
        for line in lines[: args.limit or None]:
            essay = json.loads(line)
            if source in wi and held_out(essay["id"], args.held_out_percent):
                continue
            essays += 1
            text = essay["text"]
            words = [(m.start(), m.end()) for m in WORD.finditer(text)]
            gold = {change(words, text, s, e, r) for s, e, r, *_ in essay["edits"][0][1] if r is not None}
            for detection in detector.detect(nlp(text))[0]:
                rule = detection.rule.removeprefix("languagetool:")
                proposed[rule] += 1
                correct[rule] += change(words, text, detection.start, detection.end, detection.replacement) in gold
    command = "scripts/calibrate_languagetool.py " + " ".join(
        [f"--json {p.name}" for p in args.json] + ([f"--limit {args.limit}"] if args.limit else []))
    rules = rule_precision_rows(proposed, correct)
    table = {"source": f"{command} (development essays: {essays}; "
                       f"the W&I essays not held out{''.join(', ' + p.name for p in args.json)})",
             "essays": essays, "rules": rules}
    args.out.write_text(json.dumps(table, indent=1) + "\n")
    print(json.dumps({"essays": essays, "rules": len(rules), "edits": sum(proposed.values()),
                      "correct": sum(correct.values())}))


if __name__ == "__main__":
    main()
