"""Assess a learner's pronunciation: validate, fetch or take the upload, decode, (transcribe when unscripted),
score, cache, store."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, replace

from application.audio_limits import AudioLimits
from application.caching import cache_key, cached
from application.ports.cache import Cache
from application.ports.clock import Clock
from application.ports.inference import InferenceRunner, InferenceTimeout
from application.ports.persistence import UnitOfWorkFactory
from application.ports.pronunciation import PronunciationAssessor
from application.ports.speech import (
    AudioDecoder,
    AudioFetcher,
    DecodedAudio,
    RecognitionOptions,
    SpeechRecognizer,
)
from application.progress_entries import entry_from_pronunciation
from application.pronunciation_codec import assessment_from_json, assessment_to_json
from domain.engines import EngineInfo
from domain.errors import AudioRejected, InvalidInput, ProviderUnavailable
from domain.pronunciation.assessment import PronunciationAssessment
from domain.pronunciation.text import reference_problem, words_of
from domain.results import ResultKind, StoredResult


@dataclass(frozen=True)
class AssessPronunciationCommand:
    """Exactly one of `audio` (uploaded bytes) and `url`. No `reference_text`: unscripted, the transcript
    of the recording becomes the reference."""

    audio: bytes | None
    user_id: str
    reference_text: str | None = None
    session_id: str | None = None
    language: str = "en-US"
    url: str | None = None


def assessment_key(audio: bytes, reference_text: str | None, assessor: EngineInfo,
                   recognizer: EngineInfo | None) -> str:
    """The cache key of an assessment. Unscripted, the reference is the recogniser's transcript, so its
    model and version are part of the input: another Whisper model may hear other words."""
    inputs: dict[str, str | None] = {
        "audio": hashlib.sha256(audio).hexdigest(), "text": reference_text, "engine": assessor.engine,
    }
    if reference_text is None and recognizer is not None:
        inputs["recognizer"] = f"{recognizer.engine}:{recognizer.model}:{recognizer.version}"
    return cache_key("pronunciation", assessor.version, inputs)


class AssessPronunciation:
    def __init__(
        self, decoder: AudioDecoder, assessor: PronunciationAssessor, recognizer: SpeechRecognizer | None,
        runner: InferenceRunner, cache: Cache, uow: UnitOfWorkFactory, clock: Clock, limits: AudioLimits,
        ttl_seconds: int | None, *, fetcher: AudioFetcher | None = None,
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
        self._fetcher = fetcher

    async def execute(self, command: AssessPronunciationCommand) -> PronunciationAssessment:
        self._validate(command)
        data = await self._audio(command)
        recognizer = self._recognizer.engine if self._recognizer is not None else None
        key = assessment_key(data, command.reference_text, self._assessor.engine, recognizer)
        assessment = await cached(self._cache, key, self._ttl, lambda: self._assess(data, command),
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
        if (command.audio is None) == (command.url is None):
            raise InvalidInput("give exactly one of audio.url and audio.file", field="audio")
        if command.audio is not None:
            self._limits.check_size(command.audio)

    async def _audio(self, command: AssessPronunciationCommand) -> bytes:
        """The upload, or the bytes behind the URL (the transcription fetcher: host rules and the same cap)."""
        if command.audio is not None:
            return command.audio
        if self._fetcher is None:
            raise ProviderUnavailable("this engine fetches no audio URLs; upload the file", provider="audio_fetcher",
                                      field="audio.url")
        assert command.url is not None
        return self._limits.check_size(await self._fetcher.fetch(command.url, self._limits.max_bytes))

    async def _assess(self, data: bytes, command: AssessPronunciationCommand) -> PronunciationAssessment:
        audio = await self._decoder.decode(data)
        self._limits.check_duration(audio)
        if command.reference_text is not None:
            text = command.reference_text
            assessment = await self._score(audio, text)
        else:
            transcript = await self._transcribe(audio, command.language)
            assessment = replace(await self._score(audio, transcript), reference_text=transcript, scripted=False)
        if audio.warnings:  # what the decoder noticed (a truncated file) comes first
            assessment = replace(assessment, warnings=(*audio.warnings, *assessment.warnings))
        return assessment

    async def _score(self, audio: DecodedAudio, text: str) -> PronunciationAssessment:
        try:
            return await self._runner.run(self._assessor.assess, audio, text)
        except InferenceTimeout as exc:
            raise ProviderUnavailable(str(exc), provider="inference") from None

    async def _transcribe(self, audio: DecodedAudio, language: str) -> str:
        """Unscripted mode, as Azure recommends: transcribe first, then assess against the transcript. Not
        verbatim: fillers stay out of the reference, so the phone loop reports them as insertions. Numbers
        spelled out: a reference is made of words ("12" would have no pronunciation to compare with)."""
        if self._recognizer is None:
            raise ProviderUnavailable("unscripted assessment needs a speech recogniser", provider="transcription",
                                      field="referenceText")
        recognition = await self._recognizer.recognize(
            audio, RecognitionOptions(language=language.split("-")[0].lower(), verbatim=False, spell_numbers=True))
        text = recognition.text
        if not words_of(text):
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
