"""PyAV decoding of wav, mp3, m4a, ogg/opus, flac and webm to 16 kHz float32, one or two channels.

Two channels are kept (stereo diarization splits them); more are mixed down to mono. The container is
sniffed from the bytes, never trusted from a file name.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Literal

import numpy as np

from application.ports.inference import InferenceRunner
from application.ports.speech import DecodedAudio
from domain.errors import AudioRejected

# PyAV's names for the containers we accept, by the names settings use
CONTAINERS = {
    "wav": {"wav"},
    "mp3": {"mp3"},
    "m4a": {"mov", "mp4", "m4a", "3gp", "3g2", "mj2"},
    "ogg": {"ogg"},
    "opus": {"ogg"},
    "flac": {"flac"},
    "webm": {"matroska", "webm"},
}
ALL_FORMATS = tuple(CONTAINERS)  # for offline tools (training, benchmarks) that take what PyAV reads


def _accepted(formats: Sequence[str]) -> set[str]:
    return set().union(*(CONTAINERS.get(f.lower(), set()) for f in formats))


def decode_bytes(data: bytes, formats: Sequence[str], sample_rate: int = 16_000) -> DecodedAudio:
    """The one decoder of both speech capabilities, and so the one source of `unsupported_format` and
    `corrupt`: the same bytes are refused the same way whoever decodes them."""
    import av

    if not data:
        raise AudioRejected("The audio file is empty.", code="corrupt")
    try:
        container = av.open(io.BytesIO(data), mode="r", metadata_errors="ignore")
    except av.FFmpegError as exc:
        raise AudioRejected("The file is not audio in a format we read.", code="unsupported_format") from exc
    with container:
        names = set(container.format.name.split(","))
        if not names & _accepted(formats):
            raise AudioRejected(
                f"Audio in {container.format.long_name or container.format.name} is not accepted; "
                f"send one of: {', '.join(formats)}.",
                code="unsupported_format",
            )
        missing = _wav_bytes_missing(data) if "wav" in names else None
        if not container.streams.audio:
            raise AudioRejected("The file has no audio track.", code="unsupported_format")
        stream = container.streams.audio[0]
        layout = "stereo" if (stream.codec_context.channels or 1) == 2 else "mono"
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=sample_rate)
        try:
            pieces = [
                out.to_ndarray() for frame in container.decode(stream) for out in resampler.resample(frame)
            ]
            pieces.extend(out.to_ndarray() for out in resampler.resample(None))
        except (av.FFmpegError, ValueError) as exc:
            raise AudioRejected(
                "The audio could not be decoded; the file looks damaged.", code="corrupt"
            ) from exc
    if not pieces:
        raise AudioRejected("The audio track is empty or damaged.", code="corrupt")
    channels = np.concatenate(pieces, axis=1).astype(np.float32, copy=False)
    audio = DecodedAudio(np.clip(channels, -1.0, 1.0), sample_rate)
    if missing is not None:
        declared, present, byte_rate = missing
        audio = DecodedAudio(audio.channels, sample_rate, (truncated_wav_warning(declared, present, byte_rate),))
    return audio


def truncated_wav_warning(declared: int, present: int, byte_rate: int) -> str:
    if byte_rate > 0:
        return (f"The WAV file is cut short: its header announces {declared / byte_rate:.1f} s of audio but "
                f"the file holds {present / byte_rate:.1f} s; only that part was used.")
    return (f"The WAV file is cut short: its header announces {declared} bytes of audio but the file holds "
            f"{present}; only that part was used.")


def _wav_bytes_missing(data: bytes) -> tuple[int, int, int] | None:
    """(bytes the `data` chunk declares, bytes present, bytes per second) when a RIFF/WAVE file ends before its
    `data` chunk does; None when it is whole. FFmpeg decodes what there is without a word: a recording cut
    off by a failed upload would be transcribed as if it were all."""
    if len(data) < 12 or data[:4] not in (b"RIFF", b"RIFX") or data[8:12] != b"WAVE":
        return None
    order: Literal["little", "big"] = "little" if data[:4] == b"RIFF" else "big"
    position, byte_rate = 12, 0
    while position + 8 <= len(data):
        chunk, size = data[position:position + 4], int.from_bytes(data[position + 4:position + 8], order)
        body = position + 8
        if chunk == b"fmt " and size >= 12 and body + 12 <= len(data):
            byte_rate = int.from_bytes(data[body + 8:body + 12], order)
        if chunk == b"data":
            present = len(data) - body
            # 0 and 0xFFFFFFFF are what streaming writers put before they know the length
            if size in (0, 0xFFFFFFFF) or size <= present:
                return None
            return size, present, byte_rate
        position = body + size + (size & 1)  # chunks are padded to an even length
    return None


class PyAvDecoder:
    def __init__(self, runner: InferenceRunner, formats: Sequence[str], sample_rate: int = 16_000) -> None:
        self._runner = runner
        self._formats = tuple(formats)
        self._rate = sample_rate

    async def decode(self, data: bytes) -> DecodedAudio:
        return await self._runner.run(decode_bytes, data, self._formats, self._rate)
