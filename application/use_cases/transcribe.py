"""Transcribe a recording: audio in (bytes or URL), transcript with words, speakers and metrics out."""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

from application.audio_limits import AudioLimits
from application.caching import cache_key, cached
from application.ports.cache import Cache
from application.ports.clock import Clock
from application.ports.metrics import OperationMetrics
from application.ports.persistence import UnitOfWorkFactory
from application.ports.speech import (
    AudioDecoder,
    AudioFetcher,
    DecodedAudio,
    RecognitionOptions,
    SpeakerDiarizer,
    SpeechRecognizer,
)
from application.progress_entries import engine_version_of, entry_from_transcription
from application.speech_presence import require_speech
from application.transcription_codec import decode_transcript, encode_transcript, transcript_to_dict
from domain.errors import InvalidInput, ProviderUnavailable
from domain.results import ResultKind, StoredResult
from domain.transcription.result import Transcript, build_transcript
from domain.transcription.transcript import SpeakerTurn

_LANGUAGE = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{2,8})*$")
CACHE_PREFIX = "transcription"


@dataclass(frozen=True)
class TranscribeCommand:
    """Exactly one of `audio` (uploaded bytes) or `url`. `language` is a BCP-47 tag ("en-US").

    `require_speech` turns "nobody spoke" from an empty transcript into AudioRejected(no_speech).
    """

    audio: bytes | None = None
    url: str | None = None
    language: str = "en-US"
    diarize: bool = False
    max_speakers: int | None = None
    verbatim: bool = True
    require_speech: bool = False
    user_id: str | None = None
    session_id: str | None = None


class Transcribe:
    def __init__(
        self,
        recognizer: SpeechRecognizer,
        decoder: AudioDecoder,
        limits: AudioLimits,
        *,
        fetcher: AudioFetcher | None = None,
        diarizer: SpeakerDiarizer | None = None,
        cache: Cache | None = None,
        ttl_seconds: int | None = None,
        metrics: OperationMetrics | None = None,
        uow: UnitOfWorkFactory | None = None,
        clock: Clock | None = None,
        spoken_numbers: bool = True,
    ) -> None:
        """`spoken_numbers`: numbers as the learner said them ("five seven one three"), not as digits."""
        self._recognizer = recognizer
        self._spoken_numbers = spoken_numbers
        self._decoder = decoder
        self._limits = limits
        self._fetcher = fetcher
        self._diarizer = diarizer
        self._cache = cache
        self._ttl = ttl_seconds
        self._metrics = metrics
        self._uow = uow
        self._clock = clock

    async def execute(self, command: TranscribeCommand) -> Transcript:
        started = time.perf_counter()
        outcome = "error"
        try:
            language = self.check_options(command)
            data = await self._read(command)
            transcript = await self._transcribe_bytes(data, language, command)
            if command.require_speech:
                require_speech(transcript.words)
            await self._store(command, transcript)
            outcome = "ok"
            return transcript.with_processing_time(time.perf_counter() - started)
        finally:
            if self._metrics is not None:
                engine = self._recognizer.engine.engine
                seconds = time.perf_counter() - started
                self._metrics.observe_operation("transcription", engine, outcome, seconds)

    @staticmethod
    def check_options(command: TranscribeCommand) -> str:
        """Checks everything but the audio (no I/O) and returns Whisper's language code; raises InvalidInput."""
        if command.max_speakers is not None and not 1 <= command.max_speakers <= 10:
            raise InvalidInput("maxSpeakers must be between 1 and 10.", field="maxSpeakers")
        return _whisper_language(command.language)

    async def _read(self, command: TranscribeCommand) -> bytes:
        if (command.audio is None) == (command.url is None):
            raise InvalidInput("Give exactly one of an audio file or an audio URL.", field="audio")
        if command.audio is not None:
            data = command.audio
        elif self._fetcher is None:
            raise InvalidInput("Audio URLs are not accepted here; upload the file.", field="audio.url")
        else:
            data = await self._fetcher.fetch(command.url or "", self._limits.max_bytes)
        return self._limits.check_size(data)  # an empty file is the decoder's to refuse, as for pronunciation

    async def _transcribe_bytes(self, data: bytes, language: str, command: TranscribeCommand) -> Transcript:
        engine = self._recognizer.engine

        async def compute() -> Transcript:
            audio = await self._decoder.decode(data)
            self._limits.check_duration(audio)
            options = RecognitionOptions(
                language=language, verbatim=command.verbatim, spell_numbers=self._spoken_numbers)
            recognition = await self._recognizer.recognize(audio, options)
            turns = None
            if command.diarize and recognition.words:
                turns = recognition.turns or await self._diarize(audio, command.max_speakers)
            return replace(build_transcript(recognition, engine, turns), warnings=audio.warnings)

        if self._cache is None:
            return await compute()
        inputs = {
            "audio_sha256": hashlib.sha256(data).hexdigest(),
            "language": language,
            "diarize": command.diarize,
            "max_speakers": command.max_speakers if command.diarize else None,
            "verbatim": command.verbatim,
            "spoken_numbers": self._spoken_numbers,
        }
        key = cache_key(CACHE_PREFIX, f"{engine.engine}-{engine.model}-{engine.version}", inputs)
        return await cached(self._cache, key, self._ttl, compute, encode_transcript, decode_transcript)

    async def _diarize(self, audio: DecodedAudio, max_speakers: int | None) -> Sequence[SpeakerTurn]:
        if self._diarizer is None:
            raise ProviderUnavailable("Speaker diarization is not configured.", provider="diarization")
        return await self._diarizer.diarize(audio, max_speakers)

    async def _store(self, command: TranscribeCommand, transcript: Transcript) -> None:
        """A learner's transcript is kept, with its speech metrics recorded for progress, in one transaction."""
        if self._uow is None or self._clock is None or not (command.user_id or "").strip():
            return
        result = StoredResult(
            id=uuid.uuid4().hex, user_id=command.user_id or "", kind=ResultKind.TRANSCRIPTION,
            created_at=self._clock.now(), engine_version=engine_version_of(transcript.engine),
            payload=transcript_to_dict(transcript), session_id=command.session_id,
        )
        async with self._uow() as uow:
            await uow.results.add(result)
            # with several speakers the metrics mix the learner's speech with the others': not the learner's
            if len(transcript.speakers) <= 1:
                await uow.progress.record(entry_from_transcription(result, transcript))
            await uow.commit()


def _whisper_language(tag: str) -> str:
    """ "en-US" -> "en": recognisers take the primary language subtag."""
    match = _LANGUAGE.match(tag.strip())
    if match is None:
        raise InvalidInput(f"Not a language tag: {tag!r} (expected e.g. en-US).", field="language")
    return match.group(1).lower()
