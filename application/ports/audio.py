"""Audio in: decoded samples, the decoder that makes them, and the speech recogniser for unscripted mode."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class DecodedAudio:
    samples: npt.NDArray[np.float32]  # mono, -1..1
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


class AudioDecoder(Protocol):
    """Bytes of any accepted container to float32 mono at 16 kHz; raises domain AudioRejected."""

    def decode(self, data: bytes) -> DecodedAudio: ...


@dataclass(frozen=True)
class RecognisedSegment:
    text: str
    start: float
    end: float


class SpeechRecognizer(Protocol):
    """What unscripted assessment needs from transcription: the words said, by segment with times."""

    def recognise(self, audio: DecodedAudio) -> list[RecognisedSegment]: ...
