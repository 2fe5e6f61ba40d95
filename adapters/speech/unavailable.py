"""A recogniser standing in for a provider that is selected but not configured: every call is refused
with ProviderUnavailable, so the API answers with that typed error instead of failing to start."""

from __future__ import annotations

from application.ports.speech import DecodedAudio, RecognitionOptions
from domain.engines import EngineInfo
from domain.errors import ProviderUnavailable
from domain.transcription.transcript import Recognition


class UnavailableRecognizer:
    def __init__(self, provider: str, reason: str) -> None:
        self._provider = provider
        self._reason = reason

    @property
    def engine(self) -> EngineInfo:
        return EngineInfo("transcription", self._provider, "unconfigured", "0")

    async def recognize(self, audio: DecodedAudio, options: RecognitionOptions) -> Recognition:
        raise ProviderUnavailable(self._reason, provider=self._provider)
