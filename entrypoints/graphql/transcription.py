"""The `transcribe` mutation, its GraphQL types, and the mappers from domain transcripts to them."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload

from adapters.security.urls import require_valid_url
from application.audio_limits import too_large
from application.use_cases.transcribe import TranscribeCommand
from domain.errors import InvalidInput, ProviderUnavailable, UserError
from domain.identifiers import check_id
from domain.transcription.metrics import SpeechMetrics
from domain.transcription.result import Transcript
from entrypoints.graphql.common import AudioInput, EngineInfoType, LearnerContextInput
from entrypoints.graphql.context import EngineInfo
from entrypoints.graphql.errors import (
    AudioRejectedType,
    InvalidInputType,
    ProviderUnavailableType,
    RateLimitedType,
    to_graphql_type,
)


@strawberry.type(name="Word")
class WordType:
    text: str
    start: float
    end: float
    confidence: float
    speaker: str | None
    is_filler: bool


@strawberry.type(name="Segment")
class SegmentType:
    id: int
    start: float
    end: float
    text: str
    avg_logprob: float | None
    no_speech_prob: float | None
    speaker: str | None


@strawberry.type(name="Pause")
class PauseType:
    start: float
    end: float
    filled: bool


@strawberry.type(name="SpeechMetrics", description="Fluency measures; definitions in domain/transcription/metrics.py.")
class SpeechMetricsType:
    speaking_time: float
    words_per_minute: float
    syllables_per_second: float
    articulation_rate: float
    pause_count: int
    total_pause: float
    mean_pause: float
    longest_pause: float
    pauses: list[PauseType]
    filler_count: int
    filler_rate: float = strawberry.field(description="Disfluencies per 100 words said.")
    mean_confidence: float


@strawberry.type(name="Transcription")
class TranscriptionType:
    text: str
    language: str
    duration: float
    words: list[WordType]
    segments: list[SegmentType]
    speakers: list[str]
    metrics: SpeechMetricsType
    engine: EngineInfoType
    processing_time: float
    warnings: list[str] = strawberry.field(
        description="What the engine noticed about the audio, e.g. a WAV file cut short (the rest is missing).")


@strawberry.input(name="TranscribeInput")
class TranscribeInput:
    audio: AudioInput
    learner: LearnerContextInput
    language: str = "en-US"
    diarize: bool = False
    max_speakers: int | None = None
    verbatim: bool = True
    require_speech: bool = strawberry.field(
        default=False,
        description="Refuse a recording without speech (AudioRejected no_speech) instead of an empty transcript.",
    )


TranscribeResult = Annotated[
    TranscriptionType | AudioRejectedType | InvalidInputType | RateLimitedType | ProviderUnavailableType,
    strawberry.union("TranscribeResult"),
]


def metrics_to_graphql(m: SpeechMetrics) -> SpeechMetricsType:
    return SpeechMetricsType(
        speaking_time=m.speaking_time,
        words_per_minute=m.words_per_minute,
        syllables_per_second=m.syllables_per_second,
        articulation_rate=m.articulation_rate,
        pause_count=m.pause_count,
        total_pause=m.total_pause,
        mean_pause=m.mean_pause,
        longest_pause=m.longest_pause,
        pauses=[PauseType(start=p.start, end=p.end, filled=p.filled) for p in m.pauses],
        filler_count=m.filler_count,
        filler_rate=m.filler_rate,
        mean_confidence=m.mean_confidence,
    )


def transcript_to_graphql(t: Transcript) -> TranscriptionType:
    return TranscriptionType(
        text=t.text,
        language=t.language,
        duration=t.duration,
        words=[
            WordType(
                text=w.text, start=w.start, end=w.end, confidence=w.confidence, speaker=w.speaker, is_filler=w.is_filler
            )
            for w in t.words
        ],
        segments=[
            SegmentType(
                id=s.id,
                start=s.start,
                end=s.end,
                text=s.text,
                avg_logprob=s.avg_logprob,
                no_speech_prob=s.no_speech_prob,
                speaker=s.speaker,
            )
            for s in t.segments
        ],
        speakers=list(t.speakers),
        metrics=metrics_to_graphql(t.metrics),
        engine=EngineInfoType(
            capability=t.engine.capability, engine=t.engine.engine, model=t.engine.model, version=t.engine.version
        ),
        processing_time=t.processing_time,
        warnings=list(t.warnings),
    )


async def _read_upload(upload: Upload, max_bytes: int) -> bytes:
    """At most one byte past the limit is read, so an oversized upload is refused without buffering it."""
    data: bytes = await upload.read(max_bytes + 1)  # type: ignore[attr-defined]
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    return data


async def _command(data: TranscribeInput, max_bytes: int) -> TranscribeCommand:
    audio = data.audio
    if (audio.url is None) == (audio.file is None):
        raise InvalidInput("Give exactly one of audio.url or audio.file.", field="audio")
    require_valid_url(audio.url, "audio.url")
    return TranscribeCommand(
        audio=await _read_upload(audio.file, max_bytes) if audio.file is not None else None,
        url=audio.url,
        language=data.language,
        diarize=data.diarize,
        max_speakers=data.max_speakers,
        verbatim=data.verbatim,
        require_speech=data.require_speech,
        user_id=str(data.learner.user_id),
        session_id=check_id(str(data.learner.session_id), "learner.sessionId") if data.learner.session_id else None,
    )


@strawberry.type
class TranscriptionMutation:
    @strawberry.mutation(description="Transcribe a recording: timed words, segments, speakers and fluency metrics.")
    async def transcribe(self, info: EngineInfo, input: TranscribeInput) -> TranscribeResult:
        services = info.context.services
        refusal = await info.context.check_user_rate(str(input.learner.user_id), "learner.userId")
        if refusal:
            return to_graphql_type(refusal)  # type: ignore[return-value]
        if services.transcribe is None:
            return to_graphql_type(  # type: ignore[return-value]
                ProviderUnavailable("Transcription is switched off on this engine.", provider="transcription")
            )
        try:
            command = await _command(input, services.transcribe_max_bytes)
            return transcript_to_graphql(await services.transcribe.execute(command))
        except UserError as error:
            return to_graphql_type(error)  # type: ignore[return-value]
