"""The shipped learner-error tagger, run with onnxruntime: words in, per position the most likely change
and how sure the model is of it. Each sentence goes through the encoder on its own (see `guess`): a text's
guesses do not depend on which other texts it was sent with."""

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
        results = []
        for one in encoded:
            # One sentence per encoder call. The int8 encoder quantises its activations with one scale per
            # call, so a sentence padded into a call with others came out differently by its company (a
            # text's findings differed between a batch and a single call); and every padded position is
            # computed: an essay's sentences padded together cost ~145 ms of CPU, one by one ~80 ms.
            ids = np.asarray([one.ids], dtype=np.int64)
            logits = session.run(["logits"], {"input_ids": ids, "attention_mask": np.ones_like(ids),
                                              "case_ids": np.asarray([one.cases], dtype=np.int64)})[0][0]
            firsts = [subword for subword in one.firsts if subword is not None]
            # only the words' first subwords are read: the softmax over ~2,500 tags skips the rest
            probabilities = iter(_softmax(logits[firsts]))
            results.append([_guess(next(probabilities), tags) if subword is not None
                            else PositionGuess(KEEP, 1.0, 1.0) for subword in one.firsts])
        return results


def _softmax(logits: Any) -> Any:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _guess(probabilities: Any, tags: list[str]) -> PositionGuess:
    keep = float(probabilities[0])
    best = int(np.argmax(probabilities[1:])) + 1
    return PositionGuess(tags[best], float(probabilities[best]), keep)
