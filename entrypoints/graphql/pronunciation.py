"""GraphQL types for pronunciation, their mapper from the domain, and the `assessPronunciation` mutation."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from adapters.security.urls import require_valid_url
from application.use_cases.pronunciation import AssessPronunciationCommand
from domain import errors as domain
from domain.identifiers import check_id
from domain.pronunciation.assessment import PronunciationAssessment, WordErrorKind
from entrypoints.graphql.common import AudioInput, EngineInfoType, LearnerContextInput
from entrypoints.graphql.context import EngineInfo
from entrypoints.graphql.errors import (
    AudioRejectedType,
    InvalidInputType,
    ProviderUnavailableType,
    RateLimitedType,
    to_graphql_type,
)


@strawberry.enum(name="WordErrorKind")
class WordErrorKindType(Enum):
    NONE = "none"
    OMISSION = "omission"
    INSERTION = "insertion"
    MISPRONUNCIATION = "mispronunciation"


@strawberry.type(name="PhonemeScore")
class PhonemeScoreType:
    expected: str = strawberry.field(description="ARPAbet, without stress.")
    expected_ipa: str
    heard: str | None = strawberry.field(description=(
        "ARPAbet of the phone heard, given only where the neural phone classifier names `expected` (99 % of such "
        "phones were judged acceptable on speakers it never heard); null otherwise (where it names another phone "
        "the judges found an error in at most 19 % of cases)."))
    accuracy: float
    start: float
    end: float
    confidence: float = strawberry.field(description="0-1: how far to trust accuracy and heard.")
    mispronounced: bool = strawberry.field(description="Flagged only when the engine is confident.")


@strawberry.type(name="WordPronunciation")
class WordPronunciationType:
    text: str
    accuracy: float
    error_kind: WordErrorKindType
    start: float | None
    end: float | None
    confidence: float
    phonemes: list[PhonemeScoreType]


@strawberry.type(name="PronunciationMetrics")
class PronunciationMetricsType:
    duration: float
    speaking_time: float
    words_per_minute: float
    articulation_rate: float = strawberry.field(description="Phones per second of speech.")
    pause_count: int
    mean_pause: float
    longest_pause: float
    pitch_range_semitones: float
    intensity_range_db: float


@strawberry.type(name="PronunciationAssessment")
class PronunciationAssessmentType:
    reference_text: str
    scripted: bool = strawberry.field(description="False when the reference was transcribed from the audio.")
    accuracy: float
    fluency: float
    completeness: float
    prosody: float
    pronunciation: float
    words: list[WordPronunciationType]
    common_issues: list[str]
    improvement_tips: list[str]
    words_to_practise: list[str]
    metrics: PronunciationMetricsType
    warnings: list[str]
    engine: EngineInfoType
    processing_time: float


@strawberry.input(name="AssessPronunciationInput")
class AssessPronunciationInput:
    audio: AudioInput
    learner: LearnerContextInput
    reference_text: str | None = strawberry.field(default=None, description="Omit for unscripted assessment.")
    language: str = "en-US"


AssessPronunciationResult = Annotated[
    PronunciationAssessmentType | AudioRejectedType | InvalidInputType | RateLimitedType | ProviderUnavailableType,
    strawberry.union("AssessPronunciationResult"),
]


def assessment_to_graphql(a: PronunciationAssessment) -> PronunciationAssessmentType:
    words = [
        WordPronunciationType(
            text=w.text, accuracy=w.accuracy, error_kind=WordErrorKindType(WordErrorKind(w.error).value),
            start=w.start, end=w.end, confidence=w.confidence,
            phonemes=[PhonemeScoreType(expected=p.expected, expected_ipa=p.expected_ipa, heard=p.heard,
                                       accuracy=p.accuracy, start=p.start, end=p.end, confidence=p.confidence,
                                       mispronounced=p.mispronounced) for p in w.phonemes],
        )
        for w in a.words
    ]
    m, s, e = a.metrics, a.scores, a.engine
    return PronunciationAssessmentType(
        reference_text=a.reference_text, scripted=a.scripted, accuracy=s.accuracy, fluency=s.fluency,
        completeness=s.completeness, prosody=s.prosody, pronunciation=s.pronunciation, words=words,
        common_issues=list(a.common_issues), improvement_tips=list(a.improvement_tips),
        words_to_practise=list(a.words_to_practise),
        metrics=PronunciationMetricsType(
            duration=m.duration, speaking_time=m.speaking_time, words_per_minute=m.words_per_minute,
            articulation_rate=m.articulation_rate, pause_count=m.pause_count, mean_pause=m.mean_pause,
            longest_pause=m.longest_pause, pitch_range_semitones=m.pitch_range_semitones,
            intensity_range_db=m.intensity_range_db),
        warnings=list(a.warnings), engine=EngineInfoType(capability=e.capability, engine=e.engine, model=e.model,
                                                         version=e.version),
        processing_time=a.processing_time,
    )


async def _upload(audio: AudioInput) -> bytes | None:
    """The uploaded bytes, or None for a URL (the use case fetches it and checks that exactly one is given)."""
    if audio.file is None:
        return None
    data = await audio.file.read()  # type: ignore[attr-defined]
    return bytes(data)


async def command_from_input(input: AssessPronunciationInput) -> AssessPronunciationCommand:
    """The use case's command for a GraphQL input (the sync and async mutations share it)."""
    require_valid_url(input.audio.url, "audio.url")
    return AssessPronunciationCommand(
        audio=await _upload(input.audio), url=input.audio.url, user_id=str(input.learner.user_id),
        reference_text=input.reference_text,
        session_id=check_id(str(input.learner.session_id), "learner.sessionId") if input.learner.session_id else None,
        language=input.language,
    )


@strawberry.type
class PronunciationMutation:
    @strawberry.mutation(description="Score a recording against a reference text (or its own transcript).")
    async def assess_pronunciation(
        self, info: EngineInfo, input: AssessPronunciationInput
    ) -> AssessPronunciationResult:
        user_id = str(input.learner.user_id)
        try:
            refusal = await info.context.check_user_rate(user_id, "learner.userId")
            if refusal:
                raise refusal
            command = await command_from_input(input)
            assessment = await info.context.services.assess_pronunciation.execute(command)
        except domain.UserError as error:
            return to_graphql_type(error)  # type: ignore[return-value]
        return assessment_to_graphql(assessment)
