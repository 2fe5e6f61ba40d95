"""PyAV decoding of wav, mp3, m4a, ogg/opus, flac and webm to 16 kHz float32, one or two channels.

Two channels are kept (stereo diarization splits them); more are mixed down to mono. The container is
sniffed from the bytes, never trusted from a file name.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

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
    import av

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
    return DecodedAudio(np.clip(channels, -1.0, 1.0), sample_rate)


class PyAvDecoder:
    def __init__(self, runner: InferenceRunner, formats: Sequence[str], sample_rate: int = 16_000) -> None:
        self._runner = runner
        self._formats = tuple(formats)
        self._rate = sample_rate

    async def decode(self, data: bytes) -> DecodedAudio:
        return await self._runner.run(decode_bytes, data, self._formats, self._rate)
