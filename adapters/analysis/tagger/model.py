"""The shipped learner-error tagger, run with onnxruntime: words in, per position the most likely change
and how sure the model is of it. Sentences go through the encoder together, padded, so a batch of texts
costs fewer calls than its sentences one by one."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from adapters.analysis.tagger.encoding import encode_words, load_tokenizer
from adapters.analysis.tagger.tags import KEEP

MODEL_DIR = Path(__file__).parent / "model"
ROWS_PER_CALL = 32  # sentences per encoder call: padding waste stays small, memory bounded


@dataclass(frozen=True)
class PositionGuess:
    """The best change at one position ($START or a word) and the probabilities that decide on it."""

    tag: str
    probability: float
    keep_probability: float


class TaggerModel:
    """Loads on first use (one thread builds, the others wait); safe to call from several threads."""

    def __init__(self, directory: Path = MODEL_DIR, threads: int = 1) -> None:
        self._directory = directory
        self._threads = threads
        self._lock = threading.Lock()
        self._loaded: tuple[Any, Any, list[str]] | None = None

    @property
    def available(self) -> bool:
        return (self._directory / "tagger.onnx").is_file()

    def version(self) -> str:
        return str(self._manifest.get("version", "unversioned"))

    def settings(self) -> dict[str, Any]:
        """The thresholds tuned on development data that ship with the model (`decision` in tags.json)."""
        return dict(self._manifest.get("decision", {}))

    @cached_property
    def _manifest(self) -> dict[str, Any]:
        """tags.json (tags, version, decision, training record), read once."""
        data: dict[str, Any] = json.loads((self._directory / "tags.json").read_text())
        return data

    def _get(self) -> tuple[Any, Any, list[str]]:
        loaded = self._loaded
        if loaded is not None:
            return loaded
        with self._lock:
            if self._loaded is None:
                import onnxruntime
                options = onnxruntime.SessionOptions()
                options.intra_op_num_threads = self._threads
                options.inter_op_num_threads = 1
                session = onnxruntime.InferenceSession(
                    str(self._directory / "tagger.onnx"), options, providers=["CPUExecutionProvider"])
                tokenizer = load_tokenizer(self._directory / "tokenizer.json",
                                           unpadded=bool(self._manifest.get("unpadded", False)))
                self._loaded = (session, tokenizer, list(self._manifest["tags"]))
            return self._loaded

    def warm_up(self) -> None:
        self.guess([["I", "goes", "home", "."]])

    def guess(self, sentences: Sequence[Sequence[str]]) -> list[list[PositionGuess]]:
        """Per sentence, one guess per position: $START, then each word (words past the encoder's length
        get KEEP with certainty: callers cut long sentences into windows first)."""
        session, tokenizer, tags = self._get()
        encoded = [encode_words(tokenizer, words) for words in sentences]
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i].ids))
        results: list[list[PositionGuess]] = [[] for _ in encoded]
        for start in range(0, len(order), ROWS_PER_CALL):
            rows = order[start:start + ROWS_PER_CALL]
            width = max(len(encoded[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            cases = np.zeros_like(ids)
            for row, i in enumerate(rows):
                size = len(encoded[i].ids)
                ids[row, :size], mask[row, :size], cases[row, :size] = encoded[i].ids, 1, encoded[i].cases
            logits = session.run(["logits"], {"input_ids": ids, "attention_mask": mask, "case_ids": cases})[0]
            probabilities = _softmax(logits)
            for row, i in enumerate(rows):
                results[i] = [_guess(probabilities[row, subword], tags) if subword is not None
                              else PositionGuess(KEEP, 1.0, 1.0) for subword in encoded[i].firsts]
        return results


def _softmax(logits: Any) -> Any:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _guess(probabilities: Any, tags: list[str]) -> PositionGuess:
    keep = float(probabilities[0])
    best = int(np.argmax(probabilities[1:])) + 1
    return PositionGuess(tags[best], float(probabilities[best]), keep)
