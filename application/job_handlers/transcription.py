"""`transcribeAsync`: a transcription as a job. Uploaded audio waits in the blob store, so the job (and any
worker that runs it) reads the same bytes the request sent; the job's input stays small JSON."""

from __future__ import annotations

from typing import Any

from application.ports.blobs import BlobStore
from application.ports.jobs import ProgressReport
from application.transcription_codec import transcript_to_dict
from application.use_cases.transcribe import Transcribe, TranscribeCommand
from domain.errors import InvalidInput

KIND = "transcription"
_OPTIONS = ("language", "diarize", "max_speakers", "verbatim", "require_speech", "user_id", "session_id")


async def transcription_payload(command: TranscribeCommand, blobs: BlobStore) -> dict[str, Any]:
    """The job input for a command: the upload goes to the blob store, the rest is plain JSON."""
    if (command.audio is None) == (command.url is None):
        raise InvalidInput("Give exactly one of audio.url or audio.file.", field="audio")
    audio = {"blob": await blobs.put(command.audio)} if command.audio is not None else {"url": command.url}
    return {"audio": audio, **{name: getattr(command, name) for name in _OPTIONS}}


class TranscriptionJobHandler:
    kind = KIND

    def __init__(self, transcribe: Transcribe, blobs: BlobStore) -> None:
        self._transcribe = transcribe
        self._blobs = blobs

    def validate(self, payload: dict[str, Any]) -> None:
        audio = payload.get("audio")
        if not isinstance(audio, dict) or len(audio) != 1 or not {"blob", "url"} & audio.keys():
            raise InvalidInput("Give exactly one of audio.url or audio.file.", field="audio")
        Transcribe.check_options(_command(payload, None))

    async def run(self, payload: dict[str, Any], report: ProgressReport) -> dict[str, Any]:
        data: bytes | None = None
        if "blob" in payload["audio"]:
            data = await self._blobs.get(payload["audio"]["blob"])
            if data is None:
                raise InvalidInput("The uploaded audio is no longer stored; upload it again.", field="audio.file")
        await report(0.05)
        transcript = await self._transcribe.execute(_command(payload, data))
        return transcript_to_dict(transcript)


def _command(payload: dict[str, Any], data: bytes | None) -> TranscribeCommand:
    options: dict[str, Any] = {name: payload[name] for name in _OPTIONS if payload.get(name) is not None}
    url = None if data is not None else payload["audio"].get("url")
    return TranscribeCommand(audio=data, url=url, **options)
