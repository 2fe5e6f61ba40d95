"""CLI commands of the CEFR capability: train, cross-validate, evaluate, benchmark.

Exposed as click commands for the main CLI to register; `python -m entrypoints.cli.cefr` runs them alone.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import click

from domain.cefr.assessment import TextKind
from domain.cefr.distribution import position_from_score
from domain.cefr.scale import CefrLevel, CefrThresholds

# No default: the corpora are public but not part of the repository (licences and size); the tests train
# on the small sample in tests/data/corpora/cefr.
data_dir_option = click.option(
    "--data-dir",
    "--data",
    "data_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    required=True,
    help="A folder of corpora: write_and_improve/*.json (Write & Improve 2.1, BEA-2019), "
    "speak_and_improve/*.json (Speak & Improve 2025), cefr_sp/*.txt (CEFR-SP) and/or *.jsonl "
    '{"text", "level"|"score"} (formats: adapters/cefr/corpora.py; where to get them: the README, '
    "'Data for training and evaluation').",
)
BENCH_TEXT = (
    "Last summer I went to the seaside with my family and we stayed in a small hotel near the beach. "
    "Every morning we had breakfast on the terrace, and then we walked along the coast to find a quiet place "
    "to swim. The water was colder than I expected, but after a few minutes it felt wonderful. In the "
    "afternoon my brother and I usually played volleyball with some other children who were staying in the "
    "same hotel, while our parents read books under an umbrella. One day it rained so heavily that we could "
    "not leave the hotel, so we played cards and watched an old film about pirates. I think that was the "
    "funniest day of the holiday, because my father tried to explain the rules of a game he had forgotten. "
    "In the evenings we often ate fish in a restaurant by the harbour, where the owner told us stories about "
    "the town when he was young. If I could choose, I would go back there next year, although my sister "
    "says she would prefer to visit a big city with museums and shops. Anyway, it was a holiday that I will "
    "remember for a long time, and I have already shown my photos to all my friends at school."
)


def _err(message: str) -> None:
    click.echo(message, err=True)


def _model(model_path: Path | None) -> Any:
    from adapters.cefr.model import LocalCefrModel

    return LocalCefrModel(model_path)


@click.command("train_cefr")
@data_dir_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Model file to write; default: the shipped adapters/cefr/model/cefr-model.npz.",
)
def train_cefr(data_dir: Path, out: Path | None) -> None:
    """Train the CEFR model on the corpora in DATA_DIR and write the model file."""
    from adapters.cefr.bundle import DEFAULT_MODEL_PATH
    from adapters.cefr.training import train

    target = out or DEFAULT_MODEL_PATH
    bundle = train(data_dir, target, _err)
    click.echo(json.dumps({"model": str(target), "version": bundle.version, **bundle.info}))


@click.command("cv_cefr")
@data_dir_option
@click.option("--folds", default=5, show_default=True)
@click.option(
    "--seed",
    "seeds",
    type=int,
    multiple=True,
    help="Tree seed (repeat for several, averaged as the shipped model averages its five); default: the "
    "shipped seeds. One seed per run measures how much the seed alone moves the numbers.",
)
def cv_cefr(data_dir: Path, folds: int, seeds: tuple[int, ...]) -> None:
    """Grouped k-fold cross-validation of the full training pipeline over every corpus at once (writers,
    test-takers and sentences as groups); last line: the measures per corpus as JSON (`wi`: W&I essays,
    `si`: S&I single answers, `si_session`: whole S&I sessions, `sp`: CEFR-SP sentences)."""
    from adapters.cefr.corpora import read_corpora
    from adapters.cefr.evaluation import cross_validate
    from adapters.cefr.training import TREE_SEEDS, featurize

    data = featurize(read_corpora(data_dir), _err)
    tree_seeds = seeds or TREE_SEEDS
    report = cross_validate(data, folds, _err, tree_seeds)
    click.echo(json.dumps({"folds": folds, "tree_seeds": list(tree_seeds), **report}))


def _level_metrics(gold: list[int], pred: list[int]) -> dict[str, float]:
    from sklearn.metrics import cohen_kappa_score, f1_score

    n = len(gold)
    return {
        "n": n,
        "accuracy": round(sum(g == p for g, p in zip(gold, pred, strict=True)) / n, 4),
        "macro_f1": round(float(f1_score(gold, pred, average="macro", labels=sorted(set(gold)))), 4),
        "adjacent_accuracy": round(sum(abs(g - p) <= 1 for g, p in zip(gold, pred, strict=True)) / n, 4),
        "qwk": round(float(cohen_kappa_score(gold, pred, weights="quadratic", labels=list(range(6)))), 4),
    }


def _score_metrics(gold: list[float], pred: list[float]) -> dict[str, float]:
    n = len(gold)
    rmse = math.sqrt(sum((g - p) ** 2 for g, p in zip(gold, pred, strict=True)) / n)
    pearson = statistics.correlation(gold, pred) if n > 1 and len(set(pred)) > 1 else 0.0
    return {"n": n, "pearson": round(pearson, 4), "rmse": round(rmse, 4)}


@click.command("evaluate_cefr")
@click.option(
    "--data",
    "data_file",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    required=True,
    help='JSON lines: {"text", "level": "B1"} or {"text", "score": 3.5 (1-6)}, optional "kind" (public '
    "levelled texts: the README, 'Data for training and evaluation').",
)
@click.option("--model", "model_path", type=click.Path(path_type=Path, dir_okay=False), default=None)
def evaluate_cefr(data_file: Path, model_path: Path | None) -> None:
    """Score the CEFR model on a labelled file; progress on stderr, last stdout line: the metrics as JSON."""
    model = _model(model_path)
    thresholds = CefrThresholds()
    gold_levels: list[int] = []
    pred_levels: list[int] = []
    gold_scores: list[float] = []
    pred_scores: list[float] = []
    lines = [line for line in data_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    for number, line in enumerate(lines, 1):
        item = json.loads(line)
        kind = TextKind(str(item.get("kind", "WRITTEN")).upper())
        result = model.assess_sync(item["text"], kind)
        if "level" in item:
            gold_levels.append(CefrLevel(str(item["level"])[:2]).rank)
            pred_levels.append(result.level.rank)
        elif "score" in item:
            gold_scores.append(float(item["score"]))
            pred_scores.append(position_from_score(result.score, thresholds))
        gold = item.get("level", item.get("score"))
        _err(f"[{number}/{len(lines)}] {result.level.value} score={result.score} gold={gold}")
    report: dict[str, Any] = {}
    if gold_levels:
        report.update(_level_metrics(gold_levels, pred_levels))
    if gold_scores:
        scores = _score_metrics(gold_scores, pred_scores)
        report.update(scores if not gold_levels else {f"score_{k}": v for k, v in scores.items()})
    click.echo(json.dumps(report))


@click.command("bench_cefr")
@click.option("--runs", default=30, show_default=True)
@click.option("--model", "model_path", type=click.Path(path_type=Path, dir_okay=False), default=None)
def bench_cefr(runs: int, model_path: Path | None) -> None:
    """Milliseconds per 200-word text on one core after warm-up (median of RUNS); last line JSON."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    model = _model(model_path)
    text = " ".join(BENCH_TEXT.split()[:200])
    started = time.perf_counter()
    model.warm_up()
    load_s = time.perf_counter() - started
    for _ in range(3):
        model.assess_sync(text, TextKind.WRITTEN)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        model.assess_sync(text, TextKind.WRITTEN)
        times.append((time.perf_counter() - t) * 1000)
    click.echo(
        json.dumps(
            {
                "words": len(text.split()),
                "runs": runs,
                "median_ms": round(statistics.median(times), 2),
                "p90_ms": round(sorted(times)[int(0.9 * (runs - 1))], 2),
                "load_s": round(load_s, 2),
                "cores": 1,
            }
        )
    )


COMMANDS = (train_cefr, cv_cefr, evaluate_cefr, bench_cefr)


@click.group()
def main() -> None:
    """CEFR model commands (standalone; the engine's CLI registers the same commands)."""


for _command in COMMANDS:
    main.add_command(_command)

if __name__ == "__main__":
    sys.exit(main())
