"""A small local decoder (libsndfile: WAV, FLAC, OGG/Vorbis/Opus, MP3) to float32 16 kHz mono. The
transcription branch's PyAV decoder implements the same port for every container; this one keeps
pronunciation usable and testable on its own."""

from __future__ import annotations

import io
from math import gcd

import numpy as np
import numpy.typing as npt

from application.ports.audio import DecodedAudio
from domain.errors import AudioRejected

RATE = 16_000


def _resample(samples: npt.NDArray[np.float32], rate: int) -> npt.NDArray[np.float32]:
    if rate == RATE:
        return samples
    from scipy.signal import resample_poly

    g = gcd(rate, RATE)
    return np.asarray(resample_poly(samples, RATE // g, rate // g), dtype=np.float32)


def decode_bytes(data: bytes) -> DecodedAudio:
    import soundfile

    try:
        samples, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError) as exc:
        raise AudioRejected(f"audio could not be decoded: {exc}", code="unsupported_format") from None
    if samples.size == 0:
        raise AudioRejected("audio has no samples", code="corrupt")
    mono = np.asarray(samples.mean(axis=1), dtype=np.float32)
    return DecodedAudio(_resample(mono, int(rate)), RATE)


class SoundfileAudioDecoder:
    def decode(self, data: bytes) -> DecodedAudio:
        return decode_bytes(data)
