"""Ports of the transcription capability: where audio comes from, how it is decoded, who recognises it.

Adapters raise `domain.errors.AudioRejected` for audio the caller sent wrong (with its code) and
`SpeechEngineError` for a failure of the engine itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from domain.engines import EngineInfo
from domain.transcription.transcript import Recognition, SpeakerTurn

Samples = npt.NDArray[np.float32]


class SpeechEngineError(Exception):
    """The engine failed (model missing, inference timed out, provider down): not the caller's fault."""


@dataclass(frozen=True)
class DecodedAudio:
    """PCM at `sample_rate`: `channels` is (n_channels, n_samples), float32 in [-1, 1]; at most 2 channels."""

    channels: Samples
    sample_rate: int
    warnings: tuple[str, ...] = ()
    """What the decoder noticed but could work around (a WAV file shorter than its header says)."""

    @property
    def duration(self) -> float:
        return float(self.channels.shape[1]) / self.sample_rate

    @property
    def mono(self) -> Samples:
        mixed: Samples = self.channels.mean(axis=0, dtype=np.float32)
        return mixed


@dataclass(frozen=True)
class RecognitionOptions:
    language: str = "en"
    verbatim: bool = True
    spell_numbers: bool = False
    """Numbers as words ("twelve", not "12"), for a transcript that serves as a reference text to align
    against (whisperX suppresses Whisper's digit tokens for the same reason)."""
    aligned_words: bool = True
    """False: the caller needs the words, not their exact times; an engine that times words by forced
    alignment (Moonshine) spreads them over the voiced time instead, and spares that work."""


class AudioFetcher(Protocol):
    """Downloads audio a caller pointed at.

    Raises AudioRejected (host_not_allowed, unreachable, too_large).
    """

    async def fetch(self, url: str, max_bytes: int) -> bytes: ...


class AudioDecoder(Protocol):
    """Decodes any accepted container to PCM. Raises AudioRejected (unsupported_format, corrupt)."""

    async def decode(self, data: bytes) -> DecodedAudio: ...


class SpeechRecognizer(Protocol):
    @property
    def engine(self) -> EngineInfo: ...

    async def recognize(self, audio: DecodedAudio, options: RecognitionOptions) -> Recognition: ...


@runtime_checkable
class ReadingVerifier(Protocol):
    """A recogniser that can also say how likely a given text is as the transcript of a recording."""

    async def reading_likelihood(self, audio: DecodedAudio, text: str) -> float | None:
        """Mean log-probability per token of `text` as what was said in `audio` (the recogniser's model
        reading the text instead of choosing the words), or None where it cannot be measured."""
        ...


class SpeakerDiarizer(Protocol):
    async def diarize(self, audio: DecodedAudio, max_speakers: int | None) -> Sequence[SpeakerTurn]: ...
