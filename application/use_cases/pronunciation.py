"""Assess a learner's pronunciation: validate, fetch or take the upload, decode, (transcribe when unscripted),
score, cache, store."""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

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
    ReadingVerifier,
    RecognitionOptions,
    SpeechRecognizer,
)
from application.progress_entries import entry_from_pronunciation
from application.pronunciation_codec import assessment_from_json, assessment_to_json
from application.speech_presence import require_speech
from domain.engines import EngineInfo
from domain.errors import AudioRejected, InvalidInput, ProviderUnavailable
from domain.pronunciation.assessment import PronunciationAssessment
from domain.pronunciation.mismatch import unheard_as_omitted
from domain.pronunciation.text import reading_similarity, reference_coverage, reference_problem, words_of
from domain.results import ResultKind, StoredResult
from domain.transcription.transcript import Recognition

UNSCRIPTED_WARNING = ("unscripted: the recording was assessed against its own transcript, so the scores are only "
                      "as good as the speech recognition")
# Below this letter similarity between the reference and what the recogniser heard, the recording is of
# another text. Chosen on 200 readings of speechocean762's training speakers: 4 genuine readings fall below
# 0.4, and 181 of 200 recordings paired with another reading's text; on 200 of the held-out speakers 7 and
# 184. The word coverage below 0.3 used before flagged 18 and 34 genuine readings (BENCHMARKS.md, issue 19).
MISMATCH_SIMILARITY = 0.4
# ...unless the recogniser's own model, made to read the reference, finds it a likely transcript (mean
# log-probability per token): then the recogniser misheard a reading. Of 308 recordings of the training
# speakers paired with another reading's text, none reached -2.89; -2.5 leaves a margin (BENCHMARKS.md).
PLAUSIBLE_READING = -2.5
MISHEARD_WARNING = ("the speech recogniser made out little of this reading, though it matches the reference: which "
                    "words were said was judged from the acoustics alone")
_Result = TypeVar("_Result")


def reading_recognition(language: str) -> RecognitionOptions:
    """How a recording assessed against a text is recognised. Not verbatim: fillers stay out of a transcript
    used as the reference, so the phone loop reports them as insertions. Numbers spelled out: a reference is
    made of words ("12" has no pronunciation). Words not force-aligned: the assessor aligns the reference itself,
    and the recogniser's alignment would hold the interpreter beside it."""
    return RecognitionOptions(language=language.split("-")[0].lower(), verbatim=False, spell_numbers=True,
                              aligned_words=False)


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
    """The cache key of an assessment. The recogniser's model and version are part of the input: unscripted,
    its transcript is the reference; scripted, what it heard decides whether the recording is a reading of
    the text at all. Another model may hear other words."""
    inputs: dict[str, str | None] = {
        "audio": hashlib.sha256(audio).hexdigest(), "text": reference_text, "engine": assessor.engine,
    }
    if recognizer is not None:
        inputs["recognizer"] = f"{recognizer.engine}:{recognizer.model}:{recognizer.version}"
    return cache_key("pronunciation", assessor.version, inputs)


class AssessPronunciation:
    def __init__(
        self, decoder: AudioDecoder, assessor: PronunciationAssessor, recognizer: SpeechRecognizer | None,
        runner: InferenceRunner, cache: Cache, uow: UnitOfWorkFactory | None, clock: Clock, limits: AudioLimits,
        ttl_seconds: int | None, *, fetcher: AudioFetcher | None = None, verifier: ReadingVerifier | None = None,
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
        self._verifier = verifier

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
        if command.reference_text is None:
            assessment = await self._unscripted(audio, command.language)
        else:
            assessment = await self._scripted(audio, command.reference_text, command.language)
        if audio.warnings:  # what the decoder noticed (a truncated file) comes first
            assessment = replace(assessment, warnings=(*audio.warnings, *assessment.warnings))
        return assessment

    async def _unscripted(self, audio: DecodedAudio, language: str) -> PronunciationAssessment:
        transcript = await self._transcribe(audio, language)
        assessment = await self._score(audio, transcript, transcript)  # every word of it was heard
        return replace(assessment, reference_text=transcript, scripted=False,
                       warnings=(UNSCRIPTED_WARNING, *assessment.warnings))

    async def _scripted(self, audio: DecodedAudio, text: str, language: str) -> PronunciationAssessment:
        if self._recognizer is None:
            return await self._score(audio, text)
        # Recognition and the acoustic measurement run side by side; the recognition decides whether anything
        # was said, and which reference words were (the assessor weighs what it heard against the alignment).
        heard, measured = await asyncio.gather(self._recognise(audio, language), self._measure(audio, text),
                                               return_exceptions=True)
        if isinstance(heard, BaseException):
            raise heard
        require_speech(heard.words)
        if isinstance(measured, BaseException):
            raise measured
        if reading_similarity(text, heard.text) >= MISMATCH_SIMILARITY:
            return await self._run(self._assessor.score, measured, heard.text)
        if await self._misheard(audio, text):
            scored = await self._run(self._assessor.score, measured, None)
            return replace(scored, warnings=(*scored.warnings, MISHEARD_WARNING))
        return as_another_text(await self._run(self._assessor.score, measured, heard.text), heard.text)

    async def _misheard(self, audio: DecodedAudio, text: str) -> bool:
        """Whether a recording the recogniser heard as little like `text` is still a likely reading of it."""
        if self._verifier is None:
            return False
        likelihood = await self._verifier.reading_likelihood(audio, text)
        return likelihood is not None and likelihood >= PLAUSIBLE_READING

    async def _score(self, audio: DecodedAudio, text: str, heard: str | None = None) -> PronunciationAssessment:
        return await self._run(self._assessor.assess, audio, text, heard)

    async def _measure(self, audio: DecodedAudio, text: str) -> object:
        return await self._run(self._assessor.measure, audio, text)

    async def _run(self, work: Callable[..., _Result], *args: object) -> _Result:
        try:
            return await self._runner.run(work, *args)
        except InferenceTimeout as exc:
            raise ProviderUnavailable(str(exc), provider="inference") from None

    async def _recognise(self, audio: DecodedAudio, language: str) -> Recognition:
        assert self._recognizer is not None
        return await self._recognizer.recognize(audio, reading_recognition(language))

    async def _transcribe(self, audio: DecodedAudio, language: str) -> str:
        """Unscripted mode, as Azure recommends: transcribe first, then assess against the transcript."""
        if self._recognizer is None:
            raise ProviderUnavailable("unscripted assessment needs a speech recogniser", provider="transcription",
                                      field="referenceText")
        recognition = await self._recognise(audio, language)
        require_speech(recognition.words)
        if not words_of(recognition.text):  # heard only digits or symbols: nothing to align against
            raise AudioRejected("No words were recognised in the recording.", code="no_speech")
        return recognition.text

    async def _store(self, command: AssessPronunciationCommand, assessment: PronunciationAssessment, key: str) -> None:
        if self._uow is None:  # the command line: nothing to keep
            return
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


def as_another_text(assessment: PronunciationAssessment, heard: str) -> PronunciationAssessment:
    """A recording that is not a reading of its reference: accuracy and completeness are judged over the
    words the learner was asked to read, so they cannot exceed the share of those words that were heard, and
    the learner is told why; the words it did not hear are reported omitted, whatever the aligner measured
    where it placed them."""
    assessment = unheard_as_omitted(assessment, heard)
    coverage = reference_coverage(assessment.reference_text, heard)
    ceiling = round(100 * coverage, 1)
    s = assessment.scores
    scores = replace(s, accuracy=min(s.accuracy, ceiling), completeness=min(s.completeness, ceiling),
                     pronunciation=min(s.pronunciation, ceiling))
    warning = (f"the recording does not sound like a reading of the reference text: {round(100 * coverage)} % of "
               "its words were recognised")
    return replace(assessment, scores=scores, warnings=(*assessment.warnings, warning))
