"""Labelled utterances shaped like speechocean762's `labels.jsonl`, and their measurements cached on disk
(decoding 2,500 utterances takes a while on two cores; features are rebuilt from the cache in seconds)."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from adapters.pronunciation.measurement import Measurement

if TYPE_CHECKING:
    from adapters.pronunciation.neural import PhoneStateEncoder, States


@dataclass(frozen=True)
class LabelledUtterance:
    utt: str
    audio: Path
    speaker: str
    text: str
    labels: dict[str, Any]  # the line as read: sentence scores 0-10, words with accuracy and phone accuracies


def read_labels(path: Path) -> list[LabelledUtterance]:
    items = []
    for number, line in enumerate(path.read_text().splitlines()):
        if not line.strip():
            continue
        row = json.loads(line)
        audio = Path(row["audio"])
        items.append(LabelledUtterance(
            utt=str(row.get("utt", number)), audio=audio if audio.is_absolute() else path.parent / audio,
            speaker=str(row.get("speaker", row.get("utt", number))), text=row["text"], labels=row,
        ))
    return items


SPEAKER_FOLDS = 5


def speakers_part(items: list[LabelledUtterance], part: str) -> list[LabelledUtterance]:
    """`all`, or the `held-out` fifth of the speakers (every fifth in sorted order, from the first) or the
    `train` rest: what is calibrated on the training part is reported on speakers it never heard."""
    if part == "all":
        return items
    speakers = sorted({i.speaker for i in items})
    held_out = set(speakers[::SPEAKER_FOLDS])
    if part not in ("train", "held-out"):
        raise ValueError(f"unknown speaker part {part!r}")
    return [i for i in items if (i.speaker in held_out) == (part == "held-out")]


def read_audio(path: Path) -> npt.NDArray[np.float32]:
    from adapters.audio.decoder import ALL_FORMATS, decode_bytes

    return decode_bytes(path.read_bytes(), ALL_FORMATS).mono


_worker_models: Any = None


def _measure_one(item: LabelledUtterance) -> tuple[str, dict[str, Any]]:
    global _worker_models
    from adapters.pronunciation.acoustics import measure
    from adapters.pronunciation.sphinx import SphinxModels
    from domain.pronunciation.text import words_of

    if _worker_models is None:
        _worker_models = SphinxModels(1)
    words = [w["text"] for w in item.labels["words"]] if "words" in item.labels else words_of(item.text)
    return item.utt, measure(_worker_models, read_audio(item.audio), words).to_json()


def cached_utterances(cache: Path) -> set[str]:
    if not cache.exists():
        return set()
    return {json.loads(line)["utt"] for line in cache.read_text().splitlines() if line.strip()}


def measurements(items: list[LabelledUtterance], cache: Path | None, processes: int = 1) -> Iterator[
        tuple[LabelledUtterance, Measurement]]:
    """Each item with its measurement, from the cache file (JSON lines, appended as we go) when present."""
    done: dict[str, dict[str, Any]] = {}
    if cache is not None and cache.exists():
        for line in cache.read_text().splitlines():
            if line.strip():
                row = json.loads(line)
                done[row["utt"]] = row["measurement"]
    todo = [i for i in items if i.utt not in done]
    if todo:
        sink = None
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            sink = cache.open("a")
        try:
            if processes > 1:
                with multiprocessing.get_context("spawn").Pool(processes) as pool:
                    results: Iterator[tuple[str, dict[str, Any]]] = pool.imap_unordered(_measure_one, todo, 4)
                    _collect(results, done, sink)
            else:
                _collect(map(_measure_one, todo), done, sink)
        finally:
            if sink:
                sink.close()
    for item in items:
        yield item, Measurement.from_json(done[item.utt])


def _collect(results: Iterator[tuple[str, dict[str, Any]]], done: dict[str, dict[str, Any]], sink: Any) -> None:
    for utt, measured in results:
        done[utt] = measured
        if sink is not None:
            sink.write(json.dumps({"utt": utt, "measurement": measured}) + "\n")
            sink.flush()


def states_folder(cache: Path) -> Path:
    """Where the encoder states of the readings measured into `cache` are kept."""
    return cache.parent / "encoder-states-v1"


def pooled_reading_states(pairs: list[tuple[LabelledUtterance, Measurement]], encoder: PhoneStateEncoder,
                          folder: Path | None) -> list[States]:
    """Each reading's encoder states pooled over its aligned phones (`neural.pooled_states`). The states are
    computed once per reading and kept in `folder` (half precision, one .npy each); pooling is redone from
    them, so a new alignment needs no new encoding."""
    from adapters.pronunciation.neural import pooled_states as pool

    pooled = []
    for item, measurement in pairs:
        target = folder / f"{item.utt}.npy" if folder is not None else None
        if target is not None and target.is_file():
            states = np.load(target).astype(np.float32)
        else:
            states = encoder.states(read_audio(item.audio))
            if target is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                staging = target.with_suffix(".partial.npy")
                np.save(staging, states.astype(np.float16))
                staging.rename(target)
        pooled.append(pool(states, measurement))
    return pooled
