"""Tables of the engine, in the placeholder schema `englivo`.

`Database` translates the placeholder into the configured schema on PostgreSQL and into none on SQLite,
so one set of tables serves both. Alembic revisions are frozen copies of these; a test keeps them equal.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Dialect,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

SCHEMA_PLACEHOLDER = "englivo"

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on the way in and out; SQLite keeps no zone, so it stores naive UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()}: store timezone-aware times only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is UTC:  # asyncpg already returns UTC: skip the costly conversion
            return value
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def json_type() -> Any:
    # none_as_null: Python None becomes SQL NULL, not the JSON literal 'null'
    return JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


metadata = MetaData(schema=SCHEMA_PLACEHOLDER, naming_convention=NAMING_CONVENTION)

jobs = Table(
    "jobs",
    metadata,
    Column("id", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("status", String, nullable=False),
    Column("user_id", String, nullable=True),
    Column("progress", Float, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("input", json_type(), nullable=False),
    Column("result", json_type(), nullable=True),
    Column("error", json_type(), nullable=True),
    Column("idempotency_key", String, nullable=True),
    Column("callback_url", String, nullable=True),
    Column("meta", json_type(), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("id", name="pk_jobs"),
    UniqueConstraint("user_id", "idempotency_key", name="uq_jobs_user_id_idempotency_key"),
    Index("ix_jobs_user_id_created_at", "user_id", "created_at"),
    Index("ix_jobs_status", "status"),
)

# NULL user ids never collide in the unique constraint above, so anonymous keys need their own index.
Index(
    "uq_jobs_anonymous_idempotency_key",
    jobs.c.idempotency_key,
    unique=True,
    postgresql_where=jobs.c.user_id.is_(None),
    sqlite_where=jobs.c.user_id.is_(None),
)

analysis_results = Table(
    "analysis_results",
    metadata,
    Column("id", String, nullable=False),
    Column("user_id", String, nullable=False),
    Column("session_id", String, nullable=True),
    Column("kind", String, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("engine_version", String, nullable=False),
    Column("score", Float, nullable=True),
    Column("input_hash", String, nullable=True),
    Column("payload", json_type(), nullable=False),
    PrimaryKeyConstraint("id", name="pk_analysis_results"),
    Index("ix_analysis_results_user_id_created_at", "user_id", "created_at"),
    Index("ix_analysis_results_user_id_session_id", "user_id", "session_id"),
)


# Inputs too big for a job's JSON (uploaded audio), kept by content hash until the retention sweep.
blobs = Table(
    "blobs",
    metadata,
    Column("id", String, nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("id", name="pk_blobs"),
    Index("ix_blobs_created_at", "created_at"),
)


# Progress: one row per recorded result with its summary numbers, and the parts a learner's progress
# counts (errors, first use of each lemma, phoneme scores) in narrow rows the database can group quickly.
progress_results = Table(
    "progress_results",
    metadata,
    Column("id", String, nullable=False),  # the stored result's id
    Column("user_id", String, nullable=False),
    Column("session_id", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("engine_version", String, nullable=False),
    Column("scoring_version", String, nullable=False),
    Column("scale", String, nullable=False),
    Column("words", Integer, nullable=False),
    Column("cefr_score", Float, nullable=True),
    Column("cefr_level", String, nullable=True),
    Column("pronunciation", Float, nullable=True),
    Column("accuracy", Float, nullable=True),
    Column("fluency", Float, nullable=True),
    Column("completeness", Float, nullable=True),
    Column("prosody", Float, nullable=True),
    Column("words_per_minute", Float, nullable=True),
    Column("pause_count", Integer, nullable=True),
    Column("mean_pause", Float, nullable=True),
    Column("filler_rate", Float, nullable=True),
    Column("speaking_time", Float, nullable=True),
    PrimaryKeyConstraint("id", name="pk_progress_results"),
    Index("ix_progress_results_user_id_at", "user_id", "at"),
    Index("ix_progress_results_user_id_session_id", "user_id", "session_id"),
)

error_occurrences = Table(
    "error_occurrences",
    metadata,
    Column("id", Integer, nullable=False, autoincrement=True),
    Column("user_id", String, nullable=False),
    Column("session_id", String, nullable=False),
    Column("result_id", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("scale", String, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("type", String, nullable=False),
    Column("rule", String, nullable=True),
    Column("example", String, nullable=False),
    PrimaryKeyConstraint("id", name="pk_error_occurrences"),
    Index("ix_error_occurrences_user_id_at", "user_id", "at"),
    Index("ix_error_occurrences_user_id_type_at", "user_id", "type", "at"),
    Index("ix_error_occurrences_result_id", "result_id"),
)

# The occurrences counted per result, type and rule when they are recorded: the progress query groups these
# few rows per session instead of scanning every occurrence.
error_counts = Table(
    "error_counts",
    metadata,
    Column("result_id", String, nullable=False),
    Column("type", String, nullable=False),
    Column("rule", String, nullable=False),  # "" when the detector named no rule
    Column("user_id", String, nullable=False),
    Column("session_id", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("scale", String, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("count", Integer, nullable=False),
    PrimaryKeyConstraint("result_id", "type", "rule", name="pk_error_counts"),
    # covering on PostgreSQL: the progress query's per-session and per-rule groupings read only the index
    Index("ix_error_counts_user_id_at", "user_id", "at",
          postgresql_include=["session_id", "kind", "scale", "type", "rule", "count"]),
    Index("ix_error_counts_user_id_session_id", "user_id", "session_id"),  # a page of sessions' counts
)

# One row per lemma a learner has used: when and in which session it was first seen.
vocabulary = Table(
    "vocabulary",
    metadata,
    Column("user_id", String, nullable=False),
    Column("lemma", String, nullable=False),
    Column("level", String, nullable=True),
    Column("first_seen_at", UtcDateTime, nullable=False),
    Column("session_id", String, nullable=False),
    PrimaryKeyConstraint("user_id", "lemma", name="pk_vocabulary"),
    Index("ix_vocabulary_user_id_first_seen_at", "user_id", "first_seen_at"),
    Index("ix_vocabulary_user_id_session_id", "user_id", "session_id"),  # a page of sessions' new words
)

phoneme_scores = Table(
    "phoneme_scores",
    metadata,
    Column("id", Integer, nullable=False, autoincrement=True),
    Column("user_id", String, nullable=False),
    Column("session_id", String, nullable=False),
    Column("result_id", String, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("phoneme", String, nullable=False),
    Column("accuracy", Float, nullable=False),
    PrimaryKeyConstraint("id", name="pk_phoneme_scores"),
    Index("ix_phoneme_scores_user_id_at", "user_id", "at"),
)


def metadata_in(schema: str | None) -> MetaData:
    """A copy of `metadata` with its tables in `schema` (None on SQLite), for Alembic's comparisons."""
    copy = MetaData(naming_convention=NAMING_CONVENTION)
    target: Any = schema  # None means "no schema" at run time; the stubs only admit names
    for table in metadata.tables.values():
        table.to_metadata(copy, schema=target)
    return copy
