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

    def measure(self, audio: DecodedAudio, reference_text: str) -> object:
        """The slow part, kept for `score`: what it returns is the adapter's own."""
        ...

    def score(self, measured: object, heard: str | None = None) -> PronunciationAssessment:
        """The assessment of a `measure` result. `heard`: what a speech recogniser heard in the same
        recording, where one listened; the assessor weighs it to decide which reference words were said."""
        ...

    def assess(self, audio: DecodedAudio, reference_text: str, heard: str | None = None) -> PronunciationAssessment:
        """`score(measure(audio, reference_text), heard)`."""
        ...
