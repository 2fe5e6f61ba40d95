"""Progress for dashboards: chart-ready series (points with time, value and label) and the summary numbers.

A progress query reads the learner's history once, grouped per session by the database, and every field
below resolves from that one object: no resolver goes back to the database per series or per point."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any, NewType

import strawberry

from application.use_cases.progress import AnalyzeSessionsCommand, ProgressQuery, SessionReportQuery
from domain.errors import InvalidInput, UserError
from domain.progress.patterns import Direction
from domain.progress.records import Granularity
from domain.progress.report import Progress
from domain.progress.series import Point
from entrypoints.graphql.common import CefrLevelEnum
from entrypoints.graphql.context import EngineInfo
from entrypoints.graphql.errors import InvalidInputType, RateLimitedType, to_graphql_type
from entrypoints.graphql.progress_history import ProgressHistoryQueries


def _column(values: Any) -> list[Any]:
    return list(values)


def _times(values: Any) -> list[str]:
    return [at.isoformat() for at in values]


# A series column is one scalar (a JSON array) rather than a GraphQL list: GraphQL completes every item of a
# list one by one, which for a dashboard's ~9,000 points cost more than reading and aggregating the history.
TimeColumn = NewType("TimeColumn", list[Any])
NumberColumn = NewType("NumberColumn", list[Any])
LabelColumn = NewType("LabelColumn", list[Any])
COLUMN_SCALARS: dict[object, Any] = {
    TimeColumn: strawberry.scalar(name="TimeColumn", serialize=_times, parse_value=_column,
                                  description="ISO 8601 times as one JSON array, oldest first."),
    NumberColumn: strawberry.scalar(name="NumberColumn", serialize=_column, parse_value=_column,
                                    description="Numbers as one JSON array."),
    LabelColumn: strawberry.scalar(name="LabelColumn", serialize=_column, parse_value=_column,
                                   description="Strings or nulls as one JSON array."),
}


@strawberry.enum(name="Granularity")
class GranularityType(Enum):
    SESSION = "session"
    DAY = "day"
    WEEK = "week"


@strawberry.enum(name="TrendDirection")
class DirectionType(Enum):
    IMPROVING = "improving"
    STABLE = "stable"
    WORSENING = "worsening"


@strawberry.type(name="Point")
class PointType:
    at: datetime
    value: float
    label: str | None


@strawberry.type(name="Series", description="One measure over time, all on one engine/scoring scale.")
class SeriesType:
    name: str
    unit: str
    scale: str | None = strawberry.field(description="The engine/scoring version of every point; null if none.")
    data: strawberry.Private[tuple[Point, ...]]

    @strawberry.field(description="Oldest first.")
    def points(self) -> list[PointType]:
        return [PointType(at=p.at, value=p.value, label=p.label) for p in self.data]

    @strawberry.field(description="The points as columns (with `values` and `labels`), oldest first: the same "
                                  "data as `points` for charting libraries that take arrays, and much cheaper "
                                  "to send for long series.")
    def times(self) -> TimeColumn:
        return TimeColumn([p.at for p in self.data])

    @strawberry.field(description="The points' values, in the order of `times`.")
    def values(self) -> NumberColumn:
        return NumberColumn([p.value for p in self.data])

    @strawberry.field(description="The points' labels (session id, day, week or CEFR level), in the order of `times`.")
    def labels(self) -> LabelColumn:
        return LabelColumn([p.label for p in self.data])


@strawberry.type(name="ErrorPattern")
class ErrorPatternType:
    type: str
    rule: str | None = strawberry.field(description="The most frequent detector rule of this type.")
    count: int
    sessions: int = strawberry.field(description="Sessions in which the error occurred.")
    per_100_words: float = strawberry.field(name="per100Words")
    trend: float | None = strawberry.field(description="Change of per100Words per session; null below 3 sessions.")
    direction: DirectionType | None
    examples: list[str]


@strawberry.type(name="Recommendation")
class RecommendationType:
    area: str
    title: str
    why: str
    priority: float


@strawberry.type(name="LevelShift", description="Share of newly used words at a level: early vs recent sessions.")
class LevelShiftType:
    level: CefrLevelEnum | None  # type: ignore[valid-type]
    early: float
    recent: float


@strawberry.type(name="PhonemeStat")
class PhonemeStatType:
    phoneme: str
    accuracy: float
    count: int


@strawberry.type(name="Progress")
class ProgressType:
    user_id: strawberry.ID
    sessions: int
    first_at: datetime | None
    last_at: datetime | None
    current_score: float | None
    current_level: CefrLevelEnum | None  # type: ignore[valid-type]
    improvement_per_week: float | None = strawberry.field(description="CEFR score points per week (least squares).")
    improvement_standard_error: float | None
    improvement_significant: bool
    series: list[SeriesType]
    error_patterns: list[ErrorPatternType]
    vocabulary_size: int
    vocabulary_new: int
    level_shift: list[LevelShiftType]
    weakest_phonemes: list[PhonemeStatType]
    recommendations: list[RecommendationType]
    mixed_engine_versions: bool = strawberry.field(
        description="Some measure in this range was taken by more than one engine or scoring version; "
                    "each version has its own series and trends use the most recent one.")
    scales: list[str]


AnalyzeSessionsResult = Annotated[
    ProgressType | InvalidInputType | RateLimitedType, strawberry.union("AnalyzeSessionsResult")
]


def progress_to_graphql(p: Progress) -> ProgressType:
    rate = p.improvement
    return ProgressType(
        user_id=strawberry.ID(p.user_id), sessions=p.sessions, first_at=p.first_at, last_at=p.last_at,
        current_score=p.current_score, current_level=p.current_level,
        improvement_per_week=rate.per_week if rate else None,
        improvement_standard_error=rate.standard_error if rate else None,
        improvement_significant=rate.significant if rate else False,
        series=[SeriesType(name=s.name, unit=s.unit, scale=s.scale, data=s.points) for s in p.series],
        error_patterns=[ErrorPatternType(
            type=e.type, rule=e.rule, count=e.count, sessions=e.sessions, per_100_words=e.per_100_words,
            trend=e.trend, direction=_direction(e.direction), examples=list(e.examples),
        ) for e in p.error_patterns],
        vocabulary_size=p.vocabulary_size, vocabulary_new=p.vocabulary_new,
        level_shift=[LevelShiftType(level=s.level, early=s.early, recent=s.recent) for s in p.level_shift],
        weakest_phonemes=[PhonemeStatType(phoneme=s.phoneme, accuracy=s.accuracy, count=s.count)
                          for s in p.weakest_phonemes],
        recommendations=[RecommendationType(area=r.area, title=r.title, why=r.why, priority=r.priority)
                         for r in p.recommendations],
        mixed_engine_versions=p.mixed_engine_versions, scales=list(p.scales),
    )


def _direction(direction: Direction | None) -> DirectionType | None:
    return DirectionType(direction.value) if direction is not None else None


@strawberry.type
class ProgressQueries(ProgressHistoryQueries):
    @strawberry.field(description="A learner's progress in [from, to), bucketed by session, day or week.")
    async def progress(
        self, info: EngineInfo, user_id: strawberry.ID,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None, to: datetime | None = None,
        granularity: GranularityType = GranularityType.SESSION,
    ) -> ProgressType:
        refusal = await info.context.check_user_rate(str(user_id))
        if refusal:
            raise refusal
        query = ProgressQuery(str(user_id), _aware(from_, "from"), _aware(to, "to"), Granularity(granularity.value))
        return progress_to_graphql(await info.context.services.get_progress.execute(query))

    @strawberry.field(description="One session on its own (no trend); null for an unknown session.")
    async def session_report(
        self, info: EngineInfo, user_id: strawberry.ID, session_id: strawberry.ID
    ) -> ProgressType | None:
        refusal = await info.context.check_user_rate(str(user_id))
        if refusal:
            raise refusal
        report = await info.context.services.session_report.execute(SessionReportQuery(str(user_id), str(session_id)))
        return progress_to_graphql(report) if report is not None else None


@strawberry.type
class ProgressMutation:
    @strawberry.mutation(description="The cross-session analysis of a chosen set of a learner's sessions.")
    async def analyze_sessions(
        self, info: EngineInfo, user_id: strawberry.ID, session_ids: list[strawberry.ID]
    ) -> AnalyzeSessionsResult:
        refusal = await info.context.check_user_rate(str(user_id))
        if refusal:
            return to_graphql_type(refusal)  # type: ignore[return-value]
        command = AnalyzeSessionsCommand(str(user_id), tuple(str(s) for s in session_ids))
        try:
            return progress_to_graphql(await info.context.services.analyze_sessions.execute(command))
        except UserError as error:
            return to_graphql_type(error)  # type: ignore[return-value]


def _aware(value: datetime | None, field: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise InvalidInput(f"`{field}` needs a time zone (e.g. 2026-03-01T00:00:00Z)", field=field)
    return value
