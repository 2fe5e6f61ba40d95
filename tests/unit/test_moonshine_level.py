"""The level Moonshine hears (adapters/speech/moonshine.at_level): every recording at the same peak."""

from __future__ import annotations

import numpy as np

from adapters.speech.moonshine import MAX_GAIN, PEAK_LEVEL, at_level


def _tone(peak: float) -> np.ndarray:
    return (peak * np.sin(np.linspace(0, 200 * np.pi, 16_000))).astype(np.float32)


def test_quiet_and_loud_readings_reach_the_same_peak() -> None:
    for peak in (0.08, 0.3, 0.95):
        levelled = at_level(_tone(peak))
        assert levelled.dtype == np.float32
        assert np.isclose(np.abs(levelled).max(), PEAK_LEVEL, atol=1e-4)


def test_a_near_silent_recording_is_amplified_at_most_max_gain_times() -> None:
    levelled = at_level(_tone(0.001))
    assert np.isclose(np.abs(levelled).max(), 0.001 * MAX_GAIN, atol=1e-5)


def test_digital_silence_stays_silent() -> None:
    silence = np.zeros(16_000, dtype=np.float32)
    assert not at_level(silence).any()
