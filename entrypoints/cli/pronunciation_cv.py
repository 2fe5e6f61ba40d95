"""`englivo evaluate pronunciation-cv`: speaker-fold cross-validation end to end. For each fold the
regressors are trained on the other folds' speakers (from cached measurements, as `englivo train
pronunciation` trains them) and this fold's recordings are assessed through the use case the API runs
(decoding, the recogniser beside the alignment, omissions, the "another text" check), with those
regressors; the predictions are pooled. `pronunciation-features-cv` is the older feature-level harness
(regressors scored on cached measurements and encoder states, no use case): a development aid.
"""

from __future__ import annotations

import json
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

import click

from entrypoints.cli.pronunciation import DEFAULT_CACHE, labels_option, pooled_readings


@click.command(name="pronunciation-cv", help="Speaker-fold cross-validation end to end: regressors trained on the "
                                             "other folds, each held-out recording assessed by the API's use case.")
@labels_option
@click.option("--cache", type=click.Path(path_type=Path), default=DEFAULT_CACHE, show_default=True,
              help="Measurements for training are cached here and reused (git-ignored).")
@click.option("--folds", default=5, show_default=True)
@click.option("--processes", default=1, show_default=True, help="Measuring processes for the training cache.")
@click.option("--limit", type=int, default=None, help="Only the first N utterances (all their speakers' folds).")
@click.option("--predictions", type=click.Path(path_type=Path), default=None,
              help="Also write each recording's held-out assessment (scores, warnings, labels) here as JSON lines.")
def crossvalidate_end_to_end(data: Path, cache: Path, folds: int, processes: int, limit: int | None,
                             predictions: Path | None) -> None:
    import joblib

    from adapters.pronunciation.dataset import measurements, read_labels
    from adapters.pronunciation.training import speaker_folds, train_bundle
    from entrypoints.cli.pronunciation_runtime import api_assessment
    from entrypoints.cli.pronunciation_scoring import AssessmentScores, assessed, prediction_row

    items = read_labels(data)[:limit]
    speakers = sorted({i.speaker for i in items})
    fold_of = speaker_folds(speakers, folds)
    measured = dict((i.utt, m) for i, m in measurements(items, cache, processes))
    readings = [i for i in items if i.utt in measured]
    states = dict(zip((i.utt for i in readings), pooled_readings([(i, measured[i.utt]) for i in readings], cache),
                      strict=True))
    pooled, per_fold = AssessmentScores(), []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, (predictions.open("w") if predictions else nullcontext()) as rows:
        for fold in range(folds):
            train = [(i, measured[i.utt]) for i in items if fold_of[i.speaker] != fold and i.utt in measured]
            bundle = Path(folder) / f"fold{fold}.joblib"
            joblib.dump(train_bundle(train, [states[i.utt] for i, _ in train]), bundle)
            scores = AssessmentScores()
            with api_assessment(bundle) as assess:
                for item in (i for i in items if fold_of[i.speaker] == fold):
                    result = assessed(assess, item)
                    scores.add(item, result)
                    pooled.add(item, result)
                    if rows:
                        rows.write(json.dumps({"fold": fold, **prediction_row(item, result)}) + "\n")
            per_fold.append({"fold": fold, "trained_on": len(train), **scores.report()})
            click.echo(json.dumps(per_fold[-1]), err=True)
    click.echo(json.dumps({"n": len(items), "speakers": len(speakers), "folds": folds, **pooled.report(),
                           "per_fold": per_fold, "seconds": round(time.perf_counter() - started)}))
