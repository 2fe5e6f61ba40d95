"""`englivo train pronunciation-omissions` and `englivo evaluate pronunciation-miscues`: fit and measure the
omission decision on a miscue set made from real recordings (adapters/pronunciation/miscues.py).

Both sample utterances of a part of the speakers (--speakers, --limit, --seed) and share the measurement
cache. The numbers to quote are the shipped decision, fitted with `--speakers train`, judged with
`--speakers held-out` (speakers it never heard), and the speaker-fold cross-validation within a part
(`miscues.cross_validate`). Every word of the reference is counted: one the aligner left without a span is
reported omitted by the assessor, and counted so.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click

from entrypoints.cli.pronunciation import labels_option, speakers_option

# Named for what `measure` records: a change to the measurement needs a new file, not the old cache.
DEFAULT_CACHE = Path("var/pronunciation/miscues-v8.jsonl")
limit_option = click.option("--limit", default=120, show_default=True,
                            help="Utterances sampled (each gives an untouched, a cut and, every other one, a "
                                 "spliced variant); 120 take about 5 minutes to measure on two busy cores.")
seed_option = click.option("--seed", default=0, show_default=True, help="Sampling and cutting seed.")
cache_option = click.option("--cache", type=click.Path(path_type=Path), default=DEFAULT_CACHE, show_default=True,
                            help="Measurements of the variants are cached here and reused (git-ignored).")


def _miscue_words(data: Path, limit: int, seed: int, cache: Path, speakers: str) -> list[Any]:
    from adapters.pronunciation.dataset import read_labels, speakers_part
    from adapters.pronunciation.miscues import build, sample, words_of_set
    from entrypoints.cli.pronunciation_runtime import reading_recogniser

    items = sample(speakers_part(read_labels(data), speakers), limit, seed)
    started = time.perf_counter()
    records = []
    with reading_recogniser() as heard:
        for number, record in enumerate(build(items, cache, heard, seed), 1):
            records.append(record)
            if number % 25 == 0:
                click.echo(f"{number} variants, {time.perf_counter() - started:.0f}s", err=True)
    return words_of_set(items, records)


def _previous_rule(word: Any) -> bool:
    """The decision shipped before calibration: squeezed to minimum length, or 80 % loop silence."""
    return word.features is None or bool(word.features[0] >= 1.0 or word.features[3] >= 0.8)


def _sizes(words: list[Any]) -> dict[str, int]:
    return {"utterances": len({w.utt for w in words}), "speakers": len({w.speaker for w in words}),
            "words": len(words)}


max_false_option = click.option("--max-false-omissions", default=0.01, show_default=True,
                                help="Largest false omission rate on well-said words of the fitting speakers.")


@click.command(name="pronunciation-omissions", help="Fit the omission decision on a miscue set built from --data.")
@labels_option
@limit_option
@seed_option
@cache_option
@max_false_option
@speakers_option
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Default: the shipped parameters.")
def train_omissions(data: Path, limit: int, seed: int, cache: Path, max_false_omissions: float, speakers: str,
                    out: Path | None) -> None:
    from adapters.pronunciation.miscues import fit
    from adapters.pronunciation.omission import PARAMETERS

    words = _miscue_words(data, limit, seed, cache, speakers)
    decision = fit(words, max_false_omissions)
    target = out or PARAMETERS
    command = (f"englivo train pronunciation-omissions --data {data.name} --limit {limit} --seed {seed} "
               f"--max-false-omissions {max_false_omissions} --speakers {speakers}")
    trained_on = {"data": data.name, **_sizes(words), "command": command}
    target.write_text(json.dumps({**decision.to_json(), "trained_on": trained_on}, indent=1) + "\n")
    click.echo(json.dumps({"parameters": str(target), **trained_on}))


@click.command(name="pronunciation-miscues", help="False omissions and omission recall on a miscue set from --data.")
@labels_option
@limit_option
@seed_option
@cache_option
@max_false_option
@speakers_option
def evaluate_miscues(data: Path, limit: int, seed: int, cache: Path, max_false_omissions: float, speakers: str) -> None:
    from adapters.pronunciation.miscues import cross_validate, report
    from adapters.pronunciation.omission import OmissionDecision

    words = _miscue_words(data, limit, seed, cache, speakers)
    shipped = OmissionDecision.load()
    click.echo(json.dumps({
        "set": _sizes(words), "seed": seed, "speakers": speakers,
        "speaker_fold_cv": cross_validate(words, max_false_omissions),
        "shipped": report(words, lambda w: shipped.omitted(w.features, w.heard)),
        # the same decision as if no recogniser had listened (a service without one)
        "shipped_without_recognition": report(words, lambda w: shipped.omitted(w.features)),
        "previous_rule": report(words, _previous_rule),
    }))


COMMANDS = {"evaluate": [evaluate_miscues], "train": [train_omissions]}
