"""Offline grapheme-to-phoneme for words missing from the CMU dictionary: g2p-en's GRU encoder-decoder
(weights in `g2p_model/`, Apache-2.0) run with NumPy, greedy decoding."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import numpy.typing as npt

WEIGHTS = Path(__file__).with_name("g2p_model") / "checkpoint20.npz"
_GRAPHEMES = ["<pad>", "<unk>", "</s>", *"abcdefghijklmnopqrstuvwxyz"]
_PHONEMES = ["<pad>", "<unk>", "<s>", "</s>", *["AA0", "AA1", "AA2", "AE0", "AE1", "AE2", "AH0", "AH1", "AH2", "AO0", "AO1", "AO2", "AW0", "AW1", "AW2", "AY0", "AY1", "AY2", "B", "CH", "D", "DH", "EH0", "EH1", "EH2", "ER0", "ER1", "ER2", "EY0", "EY1", "EY2", "F", "G", "HH", "IH0", "IH1", "IH2", "IY0", "IY1", "IY2", "JH", "K", "L", "M", "N", "NG", "OW0", "OW1", "OW2", "OY0", "OY1", "OY2", "P", "R", "S", "SH", "T", "TH", "UH0", "UH1", "UH2", "UW", "UW0", "UW1", "UW2", "V", "W", "Y", "Z", "ZH"]]  # noqa: E501
_END = 3
_START = 2
_MAX_PHONES = 30

Array = npt.NDArray[np.float32]


def _sigmoid(x: Array) -> Array:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=np.float32)


class G2P:
    """Loads its 3 MB of weights on first use; safe to share between threads (read-only after load)."""

    def __init__(self, weights: Path = WEIGHTS) -> None:
        self._path = weights
        self._w: dict[str, Array] | None = None
        self._lock = threading.Lock()

    def _weights(self) -> dict[str, Array]:
        with self._lock:
            if self._w is None:
                with np.load(self._path) as data:
                    self._w = {k: data[k].astype(np.float32) for k in data.files}
            return self._w

    @staticmethod
    def _cell(x: Array, h: Array, w: dict[str, Array], prefix: str) -> Array:
        gi = x @ w[f"{prefix}_w_ih"].T + w[f"{prefix}_b_ih"]
        gh = h @ w[f"{prefix}_w_hh"].T + w[f"{prefix}_b_hh"]
        size = h.shape[-1]
        r = _sigmoid(gi[:, :size] + gh[:, :size])
        z = _sigmoid(gi[:, size:2 * size] + gh[:, size:2 * size])
        n = np.tanh(gi[:, 2 * size:] + r * gh[:, 2 * size:])
        return np.asarray((1 - z) * n + z * h, dtype=np.float32)

    def __call__(self, word: str) -> list[str]:
        """ARPAbet with stress digits, e.g. 'zorbly' -> ['Z', 'AO1', 'R', 'B', 'L', 'IY0']."""
        letters = [c for c in word.lower() if c.isalpha()]
        if not letters:
            return []
        w = self._weights()
        ids = [_GRAPHEMES.index(c) if c in _GRAPHEMES else 1 for c in letters] + [_END - 1]
        h = np.zeros((1, w["enc_w_hh"].shape[1]), np.float32)
        for i in ids:
            h = self._cell(w["enc_emb"][[i]], h, w, "enc")
        previous, phones = _START, []
        for _ in range(_MAX_PHONES):
            h = self._cell(w["dec_emb"][[previous]], h, w, "dec")
            previous = int(np.argmax(h @ w["fc_w"].T + w["fc_b"]))
            if previous == _END:
                break
            phones.append(_PHONEMES[previous])
        return [p for p in phones if not p.startswith("<")]
