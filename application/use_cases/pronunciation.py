"""Assess a learner's pronunciation: validate, decode, (transcribe when unscripted), score, cache, store."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass

from application.caching import cache_key, cached
from application.ports.audio import AudioDecoder, DecodedAudio, SpeechRecognizer
from application.ports.cache import Cache
from application.ports.clock import Clock
from application.ports.inference import InferenceRunner
from application.ports.persistence import UnitOfWorkFactory
from application.ports.pronunciation import PronunciationAssessor
from application.progress_entries import entry_from_pronunciation
from application.pronunciation_codec import assessment_from_json, assessment_to_json
from domain.errors import AudioRejected, InvalidInput, ProviderUnavailable
from domain.pronunciation.assessment import PronunciationAssessment
from domain.pronunciation.text import reference_problem
from domain.results import ResultKind, StoredResult


@dataclass(frozen=True)
class AudioLimits:
    max_bytes: int
    min_seconds: float
    max_seconds: float


@dataclass(frozen=True)
class AssessPronunciationCommand:
    audio: bytes
    user_id: str
    reference_text: str | None = None
    session_id: str | None = None
    language: str = "en-US"


class AssessPronunciation:
    def __init__(
        self, decoder: AudioDecoder, assessor: PronunciationAssessor, recognizer: SpeechRecognizer | None,
        runner: InferenceRunner, cache: Cache, uow: UnitOfWorkFactory, clock: Clock, limits: AudioLimits,
        ttl_seconds: int | None,
    ) -> None:
        self._decoder = decoder
        self._assessor = assessor
        self._recognizer = recognizer
        self._runner = runner
        self._cache = cache
        self._uow = uow
        self._clock = clock
        self._limits = limits
        self._ttl = ttl_seconds

    async def execute(self, command: AssessPronunciationCommand) -> PronunciationAssessment:
        self._validate(command)
        key = cache_key("pronunciation", self._assessor.engine.version, {
            "audio": hashlib.sha256(command.audio).hexdigest(), "text": command.reference_text,
            "engine": self._assessor.engine.engine,
        })
        assessment = await cached(self._cache, key, self._ttl, lambda: self._assess(command),
                                  lambda a: json.dumps(assessment_to_json(a)).encode(),
                                  lambda raw: assessment_from_json(json.loads(raw)))
        await self._store(command, assessment, key)
        return assessment

    def validate(self, command: AssessPronunciationCommand) -> None:
        """Checks the command without decoding or scoring it (no I/O); raises a UserError."""
        self._validate(command)

    def _validate(self, command: AssessPronunciationCommand) -> None:
        if not command.language.lower().startswith("en"):
            raise InvalidInput("only English (en-US) is assessed", field="language")
        if command.reference_text is not None and (problem := reference_problem(command.reference_text)):
            raise InvalidInput(problem, field="referenceText")
        if len(command.audio) > self._limits.max_bytes:
            raise AudioRejected("audio file is too large", code="too_large",
                                limit=f"{self._limits.max_bytes / 1_000_000:g} MB")

    async def _assess(self, command: AssessPronunciationCommand) -> PronunciationAssessment:
        audio = await self._runner.run(lambda: self._decoder.decode(command.audio))
        self._check_duration(audio)
        text = command.reference_text
        if text is None:
            text = await self._transcribe(audio)
        reference = text
        return await self._runner.run(lambda: self._assessor.assess(audio, reference))

    def _check_duration(self, audio: DecodedAudio) -> None:
        if audio.duration < self._limits.min_seconds:
            raise AudioRejected("audio is too short", code="too_short", limit=f"{self._limits.min_seconds:g} s")
        if audio.duration > self._limits.max_seconds:
            raise AudioRejected("audio is too long", code="too_long", limit=f"{self._limits.max_seconds:g} s")

    async def _transcribe(self, audio: DecodedAudio) -> str:
        """Unscripted mode, as Azure recommends: transcribe first, then assess against the transcript."""
        if self._recognizer is None:
            raise ProviderUnavailable("unscripted assessment needs a speech recogniser", provider="transcription",
                                      field="referenceText")
        recognizer = self._recognizer
        segments = await self._runner.run(lambda: recognizer.recognise(audio))
        text = " ".join(s.text.strip() for s in segments if s.text.strip())
        if reference_problem(text):
            raise AudioRejected("no speech was recognised", code="no_speech")
        return text

    async def _store(self, command: AssessPronunciationCommand, assessment: PronunciationAssessment, key: str) -> None:
        result = StoredResult(
            id=str(uuid.uuid4()), user_id=command.user_id, kind=ResultKind.PRONUNCIATION,
            created_at=self._clock.now(), engine_version=f"{assessment.engine.engine}:{assessment.engine.version}",
            payload=assessment_to_json(assessment), session_id=command.session_id,
            score=assessment.scores.pronunciation, input_hash=key,
        )
        async with self._uow() as uow:
            await uow.results.add(result)
            if command.user_id.strip():
                await uow.progress.record(entry_from_pronunciation(result, assessment))
            await uow.commit()
