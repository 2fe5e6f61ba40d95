from __future__ import annotations

from typing import Protocol

from application.ports.speech import DecodedAudio
from domain.engines import EngineInfo
from domain.pronunciation.assessment import PronunciationAssessment


class PronunciationAssessor(Protocol):
    """Scores a recording against the text the learner meant to say. Blocking: run it through an
    `InferenceRunner`. Raises domain errors only (ProviderUnavailable for a cloud provider that fails)."""

    engine: EngineInfo

    @property
    def loaded(self) -> bool: ...

    def load(self) -> None: ...

    def assess(self, audio: DecodedAudio, reference_text: str) -> PronunciationAssessment: ...
