"""GraphQL types of text analysis, their mapper from the domain, and the `analyzeText` mutation."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, cast

import strawberry

from application.use_cases.analyze_text import AnalyzeTextCommand
from domain.analysis.analysis import TextAnalysis, TextKind
from domain.analysis.errors import ErrorType, LearnerError, Severity
from domain.analysis.metrics import TextMetrics
from domain.analysis.tasks import PracticeTask
from domain.engines import EngineInfo as DomainEngineInfo
from domain.errors import UserError
from domain.identifiers import check_id
from entrypoints.graphql.cefr import CefrAssessmentType, assessment_to_graphql
from entrypoints.graphql.common import CefrLevelEnum, EngineInfoType, LearnerContextInput
from entrypoints.graphql.common import TextKindType as TextKindEnum
from entrypoints.graphql.context import EngineInfo
from entrypoints.graphql.errors import InvalidInputType, ProviderUnavailableType, RateLimitedType, to_graphql_type

ErrorTypeEnum = strawberry.enum(ErrorType, name="ErrorType")
SeverityEnum = strawberry.enum(Severity, name="Severity")


@strawberry.type(name="TextSpan")
class TextSpanType:
    start: int
    end: int
    start_utf16: int
    end_utf16: int


@strawberry.type(name="LearnerError", description=(
    "One finding. The same finding at several places (same rule, words and correction) is one error: "
    "`start`/`end` give its first place, `occurrences` its places."))
class LearnerErrorType:
    type: ErrorTypeEnum  # type: ignore[valid-type]
    severity: SeverityEnum  # type: ignore[valid-type]
    start: int = strawberry.field(description="Unicode code point offset of the first character.")
    end: int = strawberry.field(description="Code point offset just past the last character.")
    start_utf16: int = strawberry.field(description="`start` in UTF-16 code units (JavaScript strings).")
    end_utf16: int
    original_text: str
    corrected_text: str
    explanation: str
    suggestion: str
    rule: str | None
    detector: str
    confidence: float
    is_hint: bool = strawberry.field(description="A low-confidence detection: something to check, not a fix.")
    occurrences: list[TextSpanType] = strawberry.field(
        description="Every place of this finding in text order, the first being `start`/`end`; at most 50.")
    occurrence_count: int = strawberry.field(description="How many places, also those beyond the 50 listed.")


@strawberry.type(name="LevelShare")
class LevelShareType:
    level: CefrLevelEnum  # type: ignore[valid-type]
    share: float


@strawberry.type(name="ErrorRate")
class ErrorRateType:
    type: ErrorTypeEnum  # type: ignore[valid-type]
    per_100_words: float


@strawberry.type(name="TextMetrics")
class TextMetricsType:
    words: int
    sentences: int
    mean_sentence_length: float
    mean_word_length: float
    lexical_diversity: float = strawberry.field(description="MTLD (McCarthy & Jarvis 2010).")
    vocabulary_levels: list[LevelShareType] = strawberry.field(
        description="Share of words listed at each level (CEFR-J / Octanove vocabulary profiles).")
    rare_word_share: float
    errors_per_100_words: float
    errors_per_100_words_by_type: list[ErrorRateType]
    readability: float = strawberry.field(description="Flesch Reading Ease: higher is easier.")


@strawberry.type(name="PracticeTask")
class PracticeTaskType:
    id: strawberry.ID
    title: str
    why: str
    example: str
    level: CefrLevelEnum  # type: ignore[valid-type]
    targets: list[ErrorTypeEnum]  # type: ignore[valid-type]


@strawberry.type(name="TextAnalysis")
class TextAnalysisType:
    cefr: CefrAssessmentType | None = strawberry.field(
        description="The same assessment the `cefr` query gives; null when CEFR assessment is switched off.")
    errors: list[LearnerErrorType]
    metrics: TextMetricsType
    feedback: str
    strengths: list[str]
    improvement_areas: list[str]
    recommended_tasks: list[PracticeTaskType]
    warnings: list[str]
    engines: list[EngineInfoType]
    processing_time: float


@strawberry.enum(name="AnalysisProvider", description="Who reviews a text besides the offline checker.")
class AnalysisProviderType(Enum):
    OFFLINE = "offline"
    GEMINI = "gemini"
    OPENAI = "openai"


@strawberry.input(name="AnalyzeTextInput")
class AnalyzeTextInput:
    text: str
    learner: LearnerContextInput
    kind: TextKindEnum = TextKindEnum.WRITTEN
    context: str | None = None
    provider: AnalysisProviderType | None = strawberry.field(
        default=None, description="OFFLINE: the offline checker alone; GEMINI or OPENAI: that LLM's review too, "
                                  "when it is configured (else ProviderUnavailable); unset: the configured default.")


AnalyzeTextResult = Annotated[
    TextAnalysisType | InvalidInputType | RateLimitedType | ProviderUnavailableType,
    strawberry.union("AnalyzeTextResult"),
]


def _engine(info: DomainEngineInfo) -> EngineInfoType:
    return EngineInfoType(capability=info.capability, engine=info.engine, model=info.model, version=info.version)


def _error(error: LearnerError) -> LearnerErrorType:
    return LearnerErrorType(
        type=error.type, severity=error.severity, start=error.start, end=error.end, start_utf16=error.start_utf16,
        end_utf16=error.end_utf16, original_text=error.original_text, corrected_text=error.corrected_text,
        explanation=error.explanation, suggestion=error.suggestion, rule=error.rule, detector=error.detector,
        confidence=error.confidence, is_hint=error.is_hint,
        occurrences=[TextSpanType(start=o.start, end=o.end, start_utf16=o.start_utf16, end_utf16=o.end_utf16)
                     for o in error.occurrences or (error.span,)],
        occurrence_count=error.occurrence_count,
    )


def _metrics(metrics: TextMetrics) -> TextMetricsType:
    return TextMetricsType(
        words=metrics.words, sentences=metrics.sentences, mean_sentence_length=metrics.mean_sentence_length,
        mean_word_length=metrics.mean_word_length, lexical_diversity=metrics.lexical_diversity,
        vocabulary_levels=[LevelShareType(level=lv, share=s) for lv, s in metrics.vocabulary_levels],
        rare_word_share=metrics.rare_word_share, errors_per_100_words=metrics.errors_per_100_words,
        errors_per_100_words_by_type=[ErrorRateType(type=t, per_100_words=r)
                                      for t, r in metrics.errors_per_100_words_by_type],
        readability=metrics.readability,
    )


def _task(task: PracticeTask) -> PracticeTaskType:
    return PracticeTaskType(id=strawberry.ID(task.id), title=task.title, why=task.why, example=task.example,
                            level=task.level, targets=list(task.targets))


def analysis_to_graphql(analysis: TextAnalysis) -> TextAnalysisType:
    return TextAnalysisType(
        cefr=assessment_to_graphql(analysis.cefr) if analysis.cefr is not None else None,
        errors=[_error(e) for e in analysis.errors], metrics=_metrics(analysis.metrics),
        feedback=analysis.feedback.paragraph, strengths=list(analysis.feedback.strengths),
        improvement_areas=list(analysis.feedback.improvement_areas),
        recommended_tasks=[_task(t) for t in analysis.recommended_tasks], warnings=list(analysis.warnings),
        engines=[_engine(e) for e in analysis.engines], processing_time=analysis.processing_time,
    )


def command_from_input(data: AnalyzeTextInput) -> AnalyzeTextCommand:
    learner = data.learner
    return AnalyzeTextCommand(
        text=data.text, user_id=str(learner.user_id), kind=TextKind(data.kind.value),
        session_id=check_id(str(learner.session_id), "learner.sessionId") if learner.session_id is not None else None,
        native_language=learner.native_language, context=data.context,
        provider=data.provider.value if data.provider is not None else None,
    )


@strawberry.type
class AnalysisMutation:
    @strawberry.mutation(description="Errors with corrections, metrics, feedback and practice tasks for a text.")
    async def analyze_text(self, info: EngineInfo, input: AnalyzeTextInput) -> AnalyzeTextResult:
        refusal = await info.context.check_user_rate(str(input.learner.user_id), "learner.userId")
        if refusal:
            return cast(AnalyzeTextResult, to_graphql_type(refusal))
        try:
            analysis = await info.context.services.analyze_text.execute(command_from_input(input))
        except UserError as error:
            return cast(AnalyzeTextResult, to_graphql_type(error))
        return analysis_to_graphql(analysis)
