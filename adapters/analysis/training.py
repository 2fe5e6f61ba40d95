"""Trains the learner-error tagger (`englivo train grammar`): gold M2 edits become per-word tags
(`tagger/tags.py`), a small pretrained BERT encoder with a tag head learns them, and the result is exported
to ONNX (int8) for `tagger/model.py`. Training needs the `train` extra (PyTorch, safetensors); the service
never imports this module."""

from __future__ import annotations

import json
import math
import random
import shutil
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog

from adapters.analysis.tagger.encoding import MAX_SUBWORDS, encode_words, load_tokenizer
from adapters.analysis.tagger.tags import IGNORE, KEEP, tag_sentence
from domain.analysis.m2 import parse_m2

log = structlog.get_logger(__name__)
CHECKPOINT_SECONDS = 900  # a crash late in a long CPU run loses at most this much


@dataclass(frozen=True)
class TaggedSentence:
    words: tuple[str, ...]
    tags: tuple[str, ...]  # one per position: $START, then each word


@dataclass(frozen=True)
class TrainingOptions:
    epochs: float = 1.0
    batch_size: int = 32
    encoder_lr: float = 5e-5
    head_lr: float = 1e-3
    max_minutes: float = 0.0  # 0: no time budget
    min_tag_count: int = 3
    max_tags: int = 5000
    correct_share: float = 0.5  # of the sentences without any edit, keep this share
    seed: int = 13
    threads: int = 2
    keep_weight: float = 1.0  # below 1: KEEP counts less in the loss, so the rarer changes are learned sooner
    warm_start: Path | None = None  # a checkpoint of an earlier run with the same tags to continue from


def read_m2(paths: Sequence[Path]) -> list[TaggedSentence]:
    """Every M2 sentence of the files, tagged; UNK edits (flagged without a correction) mark IGNORE."""
    sentences = []
    for path in paths:
        for sentence in parse_m2(path.read_text(encoding="utf-8")):
            edits = [(e.start, e.end, e.correction) for e in sentence.edits if e.type != "UNK"]
            tags = tag_sentence(sentence.tokens, edits)
            for edit in sentence.edits:
                if edit.type == "UNK":
                    for position in range(edit.start + 1, edit.end + 1):
                        tags[position] = IGNORE
            sentences.append(TaggedSentence(sentence.tokens, tuple(tags)))
    return sentences


def tag_vocabulary(sentences: Sequence[TaggedSentence], min_count: int, max_tags: int) -> list[str]:
    """KEEP first, then the tags seen at least `min_count` times, most frequent first."""
    counts = Counter(t for s in sentences for t in s.tags if t not in (KEEP, IGNORE))
    frequent = [tag for tag, n in counts.most_common(max_tags - 1) if n >= min_count]
    return [KEEP, *frequent]


def _subsample(sentences: Sequence[TaggedSentence], share: float, rng: random.Random) -> list[TaggedSentence]:
    return [s for s in sentences if any(t != KEEP for t in s.tags) or rng.random() < share]


def _encode(tokenizer: Any, sentence: TaggedSentence, index: dict[str, int]) -> tuple[list[int], list[int], list[int]]:
    encoded = encode_words(tokenizer, sentence.words)
    labels = [-100] * len(encoded.ids)
    for position, subword in enumerate(encoded.firsts):
        if subword is not None:
            tag = sentence.tags[position]
            labels[subword] = index.get(tag, -100) if tag != IGNORE else -100
    return encoded.ids, encoded.cases, labels


def _batches(encoded: list[tuple[list[int], list[int], list[int]]], size: int,
             rng: random.Random) -> Iterator[list[tuple[list[int], list[int], list[int]]]]:
    """Batches of sentences of similar length (less padding), in random order."""
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]) + rng.random())
    chunks = [order[i:i + size] for i in range(0, len(order), size)]
    rng.shuffle(chunks)
    for chunk in chunks:
        yield [encoded[i] for i in chunk]


def _tensors(batch: list[tuple[list[int], list[int], list[int]]]) -> tuple[Any, Any, Any, Any]:
    import torch

    width = max(len(ids) for ids, _, _ in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    cases = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    for row, (i, c, y) in enumerate(batch):
        ids[row, :len(i)] = torch.tensor(i)
        mask[row, :len(i)] = 1
        cases[row, :len(c)] = torch.tensor(c)
        labels[row, :len(y)] = torch.tensor(y)
    return ids, mask, cases, labels


def train_tagger(train_files: Sequence[Path], tune_files: Sequence[Path], encoder_dir: Path, out: Path,
                 options: TrainingOptions) -> dict[str, Any]:
    """Trains, exports `out/tagger.onnx` (+ tags and tokenizer) and returns the run's record."""
    import torch

    from adapters.analysis.tagger.network import TaggerNetwork

    torch.manual_seed(options.seed)
    torch.set_num_threads(options.threads)
    rng = random.Random(options.seed)
    started = time.monotonic()
    sentences = _subsample(read_m2(train_files), options.correct_share, rng)
    tune = read_m2(tune_files)
    tags = tag_vocabulary(sentences, options.min_tag_count, options.max_tags)
    index = {tag: i for i, tag in enumerate(tags)}
    tokenizer = load_tokenizer(encoder_dir / "tokenizer.json")
    encoded = [_encode(tokenizer, s, index) for s in sentences]
    tune_encoded = [_encode(tokenizer, s, index) for s in tune]
    network = TaggerNetwork.from_pretrained(encoder_dir, len(tags))
    if options.warm_start is not None:
        saved = torch.load(options.warm_start, weights_only=False)
        if saved["tags"] != tags:
            raise ValueError("the warm-start checkpoint was trained with other tags")
        network.load_state_dict(saved["state"])
    weights = torch.ones(len(tags))
    weights[0] = options.keep_weight
    steps_per_epoch = math.ceil(len(encoded) / options.batch_size)
    total_steps = max(1, int(steps_per_epoch * options.epochs))
    optimiser = torch.optim.AdamW([
        {"params": network.encoder_parameters(), "lr": options.encoder_lr},
        {"params": network.head_parameters(), "lr": options.head_lr},
    ], weight_decay=0.01)
    warm = max(1, total_steps // (200 if options.warm_start else 20))
    budget = options.max_minutes * 60
    bases = [group["lr"] for group in optimiser.param_groups]
    log.info("tagger.training", sentences=len(encoded), tags=len(tags), steps=total_steps)
    step, last_saved = 0, time.monotonic()
    network.train()
    while True:
        for batch in _batches(encoded, options.batch_size, rng):
            # The rate warms up, then falls linearly to zero at the last step or at the time budget,
            # whichever comes first, so a run cut by the budget still ends at a low rate.
            elapsed = time.monotonic() - started
            done = max(step / total_steps, elapsed / budget if budget else 0.0)
            if done >= 1.0:
                break
            factor = min((step + 1) / warm, 1.0 - done)
            for group, base in zip(optimiser.param_groups, bases, strict=True):
                group["lr"] = base * factor
            ids, mask, cases, labels = _tensors(batch)
            logits = network(ids, mask, cases)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, len(tags)), labels.reshape(-1), weight=weights)
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call,unused-ignore]
            torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
            optimiser.step()
            step += 1
            if step % 50 == 0:
                log.info("tagger.step", step=step, of=total_steps, loss=round(float(loss.detach()), 4),
                         minutes=round(elapsed / 60, 1), done=round(done, 3))
            if time.monotonic() - last_saved > CHECKPOINT_SECONDS:
                out.mkdir(parents=True, exist_ok=True)
                torch.save({"state": network.state_dict(), "tags": tags}, out / "checkpoint.pt")
                last_saved = time.monotonic()
        else:
            continue
        break
    network.eval()
    scores = tag_scores(network, tune_encoded, len(tags))
    record = {"sentences": len(encoded), "tags": len(tags), "steps": step, "of_steps": total_steps,
              "minutes": round((time.monotonic() - started) / 60, 1), "tune": scores,
              "options": {k: str(v) if isinstance(v, Path) else v for k, v in options.__dict__.items()},
              "train_files": [p.name for p in train_files]}
    export(network, tags, encoder_dir, out, record)
    # the trained state, for `--warm-start` of a longer run (the ONNX file is int8 and cannot resume)
    torch.save({"state": network.state_dict(), "tags": tags}, out / "checkpoint.pt")
    return record


def tag_scores(network: Any, encoded: list[tuple[list[int], list[int], list[int]]], size: int) -> dict[str, float]:
    """Precision and recall of the non-KEEP tags on held-out sentences (argmax, no bias): a development
    aid; the numbers that count come from `englivo evaluate grammar`."""
    import torch

    tp = fp = fn = 0
    with torch.no_grad():
        for start in range(0, len(encoded), 64):
            ids, mask, cases, labels = _tensors(encoded[start:start + 64])
            predicted = network(ids, mask, cases).argmax(-1)
            known = labels != -100
            tp += int(((predicted == labels) & (labels != 0) & known).sum())
            fp += int(((predicted != labels) & (predicted != 0) & known).sum())
            fn += int(((predicted != labels) & (labels != 0) & known).sum())
    return {"precision": round(tp / max(1, tp + fp), 4), "recall": round(tp / max(1, tp + fn), 4)}


def export(network: Any, tags: list[str], encoder_dir: Path, out: Path, record: dict[str, Any]) -> None:
    """`tagger.onnx` (int8 weights), `tags.json` and `tokenizer.json` into `out`."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    full = out / "tagger-fp32.onnx"
    ids = torch.ones((1, 8), dtype=torch.long)
    torch.onnx.export(
        network, (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(full),
        input_names=["input_ids", "attention_mask", "case_ids"], output_names=["logits"],
        dynamic_axes={name: {0: "batch", 1: "subwords"} for name in ("input_ids", "attention_mask", "case_ids",
                                                                       "logits")},
        opset_version=17, dynamo=False)
    quantize_dynamic(str(full), str(out / "tagger.onnx"), weight_type=QuantType.QInt8)
    full.unlink()
    shutil.copy(encoder_dir / "tokenizer.json", out / "tokenizer.json")
    version = time.strftime("minilm-%Y.%m.%d")
    (out / "tags.json").write_text(json.dumps({"version": version, "tags": tags, "max_subwords": MAX_SUBWORDS,
                                               "unpadded": True,
                                               "training": record}, indent=1) + "\n")


def export_checkpoint(checkpoint: Path, encoder_dir: Path, out: Path) -> None:
    """Exports a run's last checkpoint (written every CHECKPOINT_SECONDS), e.g. to try a model mid-run."""
    import torch

    from adapters.analysis.tagger.network import TaggerNetwork

    saved = torch.load(checkpoint, weights_only=False)
    network = TaggerNetwork(json.loads((encoder_dir / "config.json").read_text()), len(saved["tags"]))
    network.load_state_dict(saved["state"])
    network.eval()
    export(network, saved["tags"], encoder_dir, out, {"checkpoint": checkpoint.name})
