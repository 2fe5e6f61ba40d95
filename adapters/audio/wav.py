"""Decoded audio back to bytes: 16-bit mono WAV, what cloud speech services and our own decoder all read."""

from __future__ import annotations

import io
import wave

import numpy as np

from application.ports.speech import DecodedAudio


def wav_bytes(audio: DecodedAudio) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(audio.sample_rate)
        out.writeframes(np.asarray(np.clip(audio.mono, -1, 1) * 32767, dtype=np.int16).tobytes())
    return buffer.getvalue()
