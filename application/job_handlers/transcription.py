"""`transcribeAsync`: a transcription as a job. Uploaded audio waits in the blob store, so the job (and any
worker that runs it) reads the same bytes the request sent; the job's input stays small JSON."""

from __future__ import annotations

from typing import Any

from application.job_handlers.audio import audio_reference, check_audio_reference, stored_audio
from application.ports.blobs import BlobStore
from application.ports.jobs import ProgressReport
from application.transcription_codec import transcript_to_dict
from application.use_cases.transcribe import Transcribe, TranscribeCommand

KIND = "transcription"
_OPTIONS = ("language", "diarize", "max_speakers", "verbatim", "require_speech", "user_id", "session_id")


async def transcription_payload(command: TranscribeCommand, blobs: BlobStore) -> dict[str, Any]:
    """The job input for a command: the upload goes to the blob store, the rest is plain JSON."""
    audio = await audio_reference(command.audio, command.url, blobs)
    return {"audio": audio, **{name: getattr(command, name) for name in _OPTIONS}}


class TranscriptionJobHandler:
    kind = KIND

    def __init__(self, transcribe: Transcribe, blobs: BlobStore) -> None:
        self._transcribe = transcribe
        self._blobs = blobs

    def validate(self, payload: dict[str, Any]) -> None:
        check_audio_reference(payload.get("audio"))
        Transcribe.check_options(_command(payload, None))

    async def run(self, payload: dict[str, Any], report: ProgressReport) -> dict[str, Any]:
        data = await stored_audio(payload["audio"], self._blobs)
        await report(0.05)
        transcript = await self._transcribe.execute(_command(payload, data))
        return transcript_to_dict(transcript)


def _command(payload: dict[str, Any], data: bytes | None) -> TranscribeCommand:
    options: dict[str, Any] = {name: payload[name] for name in _OPTIONS if payload.get(name) is not None}
    url = None if data is not None else payload["audio"].get("url")
    return TranscribeCommand(audio=data, url=url, **options)
