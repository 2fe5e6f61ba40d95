"""Chooses the tagger's decision thresholds on development data (not on the evaluation sets): the tagger runs
once over each sentence, then every (keep margin, minimum probability) pair is scored with ERRANT's
span-level correction F0.5, the tagger alone. Prints one JSON line per pair and the best pair last; the
chosen pair goes into the model's tags.json (`decision`) with `--write`.

    .venv/bin/python scripts/tune_tagger.py --model var/tagger/run1 --data var/eval/wi_tune.m2 [--write]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from adapters.analysis.evaluation import _hypothesis_edits, detokenise
from adapters.analysis.models import ModelManager
from adapters.analysis.tagger.detector import TaggerDecision, TaggerDetector
from adapters.analysis.tagger.model import TaggerModel
from domain.analysis.errors import without_overlaps
from domain.analysis.m2 import Counts, correction_counts, parse_m2

MARGINS = (-0.8, -0.6, -0.4, -0.2, 0.0, 0.2)
MINIMA = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--write", action="store_true", help="Store the best pair in the model's tags.json.")
    args = parser.parse_args()
    models = ModelManager().get()
    sentences = parse_m2(args.data.read_text())[: args.limit or None]
    detector = TaggerDetector(TaggerModel(args.model))
    texts = [detokenise(s.tokens) for s in sentences]
    docs = [models.nlp(t) for t in texts]
    guessed = detector.guesses(docs)
    best: dict[str, float] | None = None
    for margin in MARGINS:
        for minimum in MINIMA:
            decided = detector.decide(docs, guessed, TaggerDecision(margin, minimum))
            counts = Counts()
            for sentence, text, found in zip(sentences, texts, decided, strict=True):
                hypothesis, _ = _hypothesis_edits(models.annotator, text, without_overlaps(found), sentence.tokens)
                counts += correction_counts(hypothesis, sentence.edits)
            p, r, f = counts.scores()
            row = {"keep_margin": margin, "min_probability": minimum, "precision": p, "recall": r, "f0_5": f}
            print(json.dumps(row), flush=True)
            if best is None or f > best["f0_5"]:
                best = row
    print(json.dumps({"best": best, "data": args.data.name, "sentences": len(sentences)}))
    if args.write and best is not None:
        path = args.model / "tags.json"
        data = json.loads(path.read_text())
        data["decision"] = {"keep_margin": best["keep_margin"], "min_probability": best["min_probability"],
                            "tuned_on": f"{args.data.name} ({len(sentences)} sentences)", "f0_5": best["f0_5"]}
        path.write_text(json.dumps(data, indent=1) + "\n")


if __name__ == "__main__":
    main()
