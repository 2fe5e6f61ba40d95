"""The `cefr` query, its GraphQL types, and the mappers from the domain assessment to them."""

from __future__ import annotations

import strawberry

from application.use_cases.assess_cefr import AssessCefrCommand
from domain.cefr.assessment import CefrAssessment, Evidence, TextKind
from domain.errors import ProviderUnavailable
from entrypoints.graphql.common import CefrLevelEnum as CefrLevelType
from entrypoints.graphql.common import EngineInfoType, TextKindType
from entrypoints.graphql.context import EngineInfo


@strawberry.type(name="LevelProbability")
class LevelProbabilityType:
    level: CefrLevelType  # type: ignore[valid-type]
    probability: float


@strawberry.type(name="Evidence", description="An observation; `examples` quote the learner's own words.")
class EvidenceType:
    label: str
    detail: str
    examples: list[str]


@strawberry.type(name="CefrFeature")
class CefrFeatureType:
    name: str
    value: float


@strawberry.type(name="CefrAssessment")
class CefrAssessmentType:
    level: CefrLevelType  # type: ignore[valid-type]
    score: float = strawberry.field(description="0-100; the level follows from the configured thresholds.")
    confidence: float = strawberry.field(description="Probability of the reported level.")
    range: list[CefrLevelType] = strawberry.field(description="Levels holding 80% of the probability.")  # type: ignore[valid-type]
    probabilities: list[LevelProbabilityType]
    strengths: list[EvidenceType]
    weaknesses: list[EvidenceType]
    next_level_requirements: list[EvidenceType]
    features: list[CefrFeatureType]
    kind: TextKindType
    word_count: int
    rough: bool = strawberry.field(description="True below 20 words: the estimate is rough, the range wider.")
    warnings: list[str]
    model_version: str
    engine: EngineInfoType


def _evidence(items: tuple[Evidence, ...]) -> list[EvidenceType]:
    return [EvidenceType(label=e.label, detail=e.detail, examples=list(e.examples)) for e in items]


def assessment_to_graphql(a: CefrAssessment) -> CefrAssessmentType:
    return CefrAssessmentType(
        level=CefrLevelType(a.level.value),
        score=a.score,
        confidence=a.confidence,
        range=[CefrLevelType(level.value) for level in a.range],
        probabilities=[
            LevelProbabilityType(level=CefrLevelType(p.level.value), probability=p.probability) for p in a.probabilities
        ],
        strengths=_evidence(a.strengths),
        weaknesses=_evidence(a.weaknesses),
        next_level_requirements=_evidence(a.next_level_requirements),
        features=[CefrFeatureType(name=f.name, value=f.value) for f in a.features],
        kind=TextKindType(a.kind.value.lower()),
        word_count=a.word_count,
        rough=a.rough,
        warnings=list(a.warnings),
        model_version=a.model_version,
        engine=EngineInfoType(capability="cefr", engine="local", model="cefr-model.npz", version=a.model_version),
    )


@strawberry.type
class CefrQuery:
    @strawberry.field(description="The CEFR level of a text, how sure the engine is, and what to work on next.")
    async def cefr(self, info: EngineInfo, text: str, kind: TextKindType = TextKindType.WRITTEN) -> CefrAssessmentType:
        use_case = info.context.services.assess_cefr
        if use_case is None:
            raise ProviderUnavailable("CEFR assessment is switched off", provider="cefr")
        result = await use_case.execute(AssessCefrCommand(text, TextKind(kind.value.upper())))
        return assessment_to_graphql(result)
