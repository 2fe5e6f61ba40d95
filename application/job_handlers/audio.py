"""Audio in a job's input: an upload waits in the blob store (so any worker reads the bytes the request sent)
and the input keeps only `{"blob": id}`, or `{"url": ...}` for audio fetched when the job runs."""

from __future__ import annotations

from typing import Any

from application.ports.blobs import BlobStore
from domain.errors import InvalidInput

ONE_OF = "Give exactly one of audio.url or audio.file."


async def audio_reference(data: bytes | None, url: str | None, blobs: BlobStore) -> dict[str, str]:
    if (data is None) == (url is None):
        raise InvalidInput(ONE_OF, field="audio")
    return {"blob": await blobs.put(data)} if data is not None else {"url": url}  # type: ignore[dict-item]


def check_audio_reference(audio: Any) -> None:
    if not isinstance(audio, dict) or len(audio) != 1 or not {"blob", "url"} & audio.keys():
        raise InvalidInput(ONE_OF, field="audio")


async def stored_audio(audio: dict[str, Any], blobs: BlobStore) -> bytes | None:
    """The uploaded bytes, or None when the audio is given by URL."""
    if "blob" not in audio:
        return None
    data = await blobs.get(audio["blob"])
    if data is None:
        raise InvalidInput("The uploaded audio is no longer stored; upload it again.", field="audio.file")
    return data
