"""Resemblyzer's pretrained speaker encoder (GE2E, Apache-2.0) as ONNX, run with onnxruntime.

The ONNX file is converted once by scripts/convert_voice_encoder.py; its graph takes the power
spectrogram (25 ms Hann windows every 10 ms, 16 kHz) and applies the 40-band mel filter bank itself, so
the only front end left here is an STFT. An utterance embedding is the L2-normed mean of 1.6 s partials.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

SAMPLE_RATE = 16_000
N_FFT = 400
HOP = 160
PARTIAL_FRAMES = 160
EMBEDDING_SIZE = 256
DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "voice_encoder.onnx"

Floats = npt.NDArray[np.float32]


def power_spectrogram(wav: Floats) -> Floats:
    """|STFT|^2 as librosa computes it (centred frames, zero padding, periodic Hann): (frames, 201)."""
    padded = np.pad(wav.astype(np.float32), (N_FFT // 2, N_FFT // 2))
    n_frames = 1 + (len(padded) - N_FFT) // HOP
    index = np.arange(N_FFT)[None, :] + HOP * np.arange(n_frames)[:, None]
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)
    spectrum = np.fft.rfft(padded[index] * window, n=N_FFT, axis=1)
    return (np.abs(spectrum) ** 2).astype(np.float32)


def normalise_volume(wav: Floats, target_dbfs: float = -30.0) -> Floats:
    """Raise quiet audio to -30 dBFS RMS, as the encoder was trained on; loud audio is left alone."""
    rms = float(np.sqrt(np.mean(np.square(wav, dtype=np.float64)))) if len(wav) else 0.0
    if rms <= 0:
        return wav
    change_db = target_dbfs - 20 * np.log10(rms)
    return wav if change_db < 0 else (wav * 10 ** (change_db / 20)).astype(np.float32)


def partial_starts(n_frames: int, step: int = 80) -> list[int]:
    """Start frames of 1.6 s partials every `step` frames (0.8 s); one partial for a short clip."""
    if n_frames <= PARTIAL_FRAMES:
        return [0]
    return list(range(0, n_frames - PARTIAL_FRAMES + 1, step))


def _one_partial(power: Floats) -> Floats:
    if len(power) >= PARTIAL_FRAMES:
        return power[:PARTIAL_FRAMES]
    return np.pad(power, ((0, PARTIAL_FRAMES - len(power)), (0, 0)))


class VoiceEncoder:
    """Thread-safe, lazily loaded; `embed` maps waveforms (16 kHz float32) to unit vectors."""

    def __init__(self, model_path: Path = DEFAULT_MODEL, threads: int = 1) -> None:
        self._path = model_path
        self._threads = threads
        self._session: Any = None
        self._lock = threading.Lock()

    def _get_session(self) -> Any:
        with self._lock:
            if self._session is None:
                import onnxruntime

                options = onnxruntime.SessionOptions()
                options.intra_op_num_threads = self._threads
                options.inter_op_num_threads = 1
                self._session = onnxruntime.InferenceSession(
                    str(self._path), options, providers=["CPUExecutionProvider"]
                )
            return self._session

    def embed_partials(self, wav: Floats) -> Floats:
        """One embedding per 1.6 s partial of `wav`: (n_partials, 256)."""
        power = power_spectrogram(normalise_volume(wav))
        if len(power) < PARTIAL_FRAMES:
            power = np.pad(power, ((0, PARTIAL_FRAMES - len(power)), (0, 0)))
        batch = np.stack([power[s : s + PARTIAL_FRAMES] for s in partial_starts(len(power))])
        (embeddings,) = self._get_session().run(None, {"power": batch})
        return np.asarray(embeddings, dtype=np.float32)

    def embed_windows(self, windows: list[Floats]) -> Floats:
        """One embedding per window, each cut or padded to one 1.6 s partial: (n_windows, 256)."""
        if not windows:
            return np.zeros((0, EMBEDDING_SIZE), dtype=np.float32)
        batch = np.stack([_one_partial(power_spectrogram(normalise_volume(w))) for w in windows])
        (embeddings,) = self._get_session().run(None, {"power": batch})
        return np.asarray(embeddings, dtype=np.float32)

    def embed(self, wav: Floats) -> Floats:
        partials = self.embed_partials(wav)
        mean = partials.mean(axis=0)
        unit: Floats = (mean / max(float(np.linalg.norm(mean)), 1e-9)).astype(np.float32)
        return unit
