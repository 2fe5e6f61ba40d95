"""The one set of audio refusals both speech capabilities give (transcription and pronunciation): the same
input gets the same `AudioRejected` code and message whichever capability it was sent to. Decoding
refusals (`unsupported_format`, `corrupt`) come from the one decoder (`AudioDecoder`)."""

from __future__ import annotations

from dataclasses import dataclass

from application.ports.speech import DecodedAudio
from domain.errors import AudioRejected


@dataclass(frozen=True)
class AudioLimits:
    max_bytes: int
    max_seconds: float
    min_seconds: float

    @property
    def max_megabytes(self) -> str:
        return megabytes(self.max_bytes)

    def check_size(self, data: bytes, field: str = "audio") -> bytes:
        if len(data) > self.max_bytes:
            raise too_large(self.max_bytes, field)
        return data

    def check_duration(self, audio: DecodedAudio) -> None:
        if audio.duration > self.max_seconds:
            raise AudioRejected(f"The recording is longer than {self.max_seconds:g} seconds.", code="too_long",
                                limit=f"{self.max_seconds:g} s")
        if audio.duration < self.min_seconds:
            raise AudioRejected(f"The recording is shorter than {self.min_seconds:g} seconds.", code="too_short",
                                limit=f"{self.min_seconds:g} s")


def megabytes(max_bytes: int) -> str:
    return f"{max_bytes / 1_000_000:g} MB"


def too_large(max_bytes: int, field: str = "audio") -> AudioRejected:
    """Also for an upload refused while it is read, before any use case sees it."""
    limit = megabytes(max_bytes)
    return AudioRejected(f"The audio file is larger than {limit}.", code="too_large", field=field, limit=limit)
