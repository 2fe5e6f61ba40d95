"""Pitch and intensity of a recording, enough for prosody features: a plain autocorrelation pitch tracker
(10 ms hop, 40 ms window, 70-400 Hz) and RMS energy in dB."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

RATE = 16_000
HOP = 160
WINDOW = 640
_MIN_LAG, _MAX_LAG = RATE // 400, RATE // 70
_VOICING = 0.45


def _frames(samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    if len(samples) < WINDOW:
        samples = np.pad(samples, (0, WINDOW - len(samples)))
    count = 1 + (len(samples) - WINDOW) // HOP
    index = np.arange(WINDOW)[None, :] + HOP * np.arange(count)[:, None]
    return np.asarray(samples[index], dtype=np.float32)


def pitch_and_intensity(samples: npt.NDArray[np.float32]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(f0 in Hz per frame, 0 where unvoiced; intensity in dB per frame)."""
    frames = _frames(samples)
    frames = frames - frames.mean(axis=1, keepdims=True)
    energy = np.sqrt(np.mean(frames ** 2, axis=1)) + 1e-7
    intensity = 20 * np.log10(energy)
    spectrum = np.fft.rfft(frames * np.hanning(WINDOW), n=2 * WINDOW)
    autocorr = np.fft.irfft(np.abs(spectrum) ** 2)[:, :_MAX_LAG + 1]
    normalised = autocorr / (autocorr[:, :1] + 1e-12)
    lags = np.argmax(normalised[:, _MIN_LAG:], axis=1) + _MIN_LAG
    strength = normalised[np.arange(len(lags)), lags]
    loud = intensity > intensity.max() - 35
    f0 = np.where((strength > _VOICING) & loud, RATE / lags, 0.0)
    return f0, intensity


def prosody_summary(samples: npt.NDArray[np.float32], speech: npt.NDArray[np.bool_] | None = None) -> dict[str, float]:
    """Pitch and intensity statistics over the speech frames (all frames when `speech` is None)."""
    f0, intensity = pitch_and_intensity(samples)
    if speech is not None:
        n = min(len(speech), len(f0))
        f0, intensity = f0[:n][speech[:n]], intensity[:n][speech[:n]]
    voiced = f0[f0 > 0]
    if len(voiced) < 5:
        return {"voiced_share": 0.0, "pitch_sd_st": 0.0, "pitch_range_st": 0.0, "pitch_slope_abs": 0.0,
                "intensity_sd_db": 0.0, "intensity_range_db": 0.0}
    semitones = 12 * np.log2(voiced / np.median(voiced))
    steps = np.abs(np.diff(semitones))
    loud = intensity[intensity > intensity.max() - 40] if len(intensity) else intensity
    return {
        "voiced_share": float(len(voiced) / max(1, len(f0))),
        "pitch_sd_st": float(np.std(semitones)),
        "pitch_range_st": float(np.percentile(semitones, 95) - np.percentile(semitones, 5)),
        "pitch_slope_abs": float(np.mean(steps[steps < 3])) if np.any(steps < 3) else 0.0,
        "intensity_sd_db": float(np.std(loud)) if len(loud) else 0.0,
        "intensity_range_db": float(np.percentile(loud, 95) - np.percentile(loud, 5)) if len(loud) else 0.0,
    }
