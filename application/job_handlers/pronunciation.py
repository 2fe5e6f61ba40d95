"""`assessPronunciationAsync`: a pronunciation assessment as a job; the recording waits in the blob store."""

from __future__ import annotations

from typing import Any

from application.job_handlers.audio import audio_reference, check_audio_reference, stored_audio
from application.ports.blobs import BlobStore
from application.ports.jobs import ProgressReport
from application.pronunciation_codec import assessment_to_json
from application.use_cases.pronunciation import AssessPronunciation, AssessPronunciationCommand
from domain.errors import InvalidInput

KIND = "pronunciation"
_OPTIONS = ("user_id", "reference_text", "session_id", "language")


async def pronunciation_payload(command: AssessPronunciationCommand, blobs: BlobStore) -> dict[str, Any]:
    audio = await audio_reference(command.audio, command.url, blobs)
    return {"audio": audio, **{name: getattr(command, name) for name in _OPTIONS}}


class PronunciationJobHandler:
    kind = KIND

    def __init__(self, assess: AssessPronunciation, blobs: BlobStore) -> None:
        self._assess = assess
        self._blobs = blobs

    def validate(self, payload: dict[str, Any]) -> None:
        check_audio_reference(payload.get("audio"))
        self._assess.validate(_command(payload, b"" if "blob" in payload["audio"] else None))

    async def run(self, payload: dict[str, Any], report: ProgressReport) -> dict[str, Any]:
        data = await stored_audio(payload["audio"], self._blobs)
        await report(0.05)
        assessment = await self._assess.execute(_command(payload, data))
        return assessment_to_json(assessment)


def _command(payload: dict[str, Any], data: bytes | None) -> AssessPronunciationCommand:
    """`data` is None when the audio is given by URL: the use case fetches it when the job runs."""
    try:
        options: dict[str, Any] = {name: payload[name] for name in _OPTIONS if payload.get(name) is not None}
        return AssessPronunciationCommand(audio=data, url=None if data is not None else payload["audio"].get("url"),
                                          **options)
    except TypeError as exc:
        raise InvalidInput(f"not a pronunciation input: {exc}", field="input") from None
