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
        if value is None:
            return None
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


def metadata_in(schema: str | None) -> MetaData:
    """A copy of `metadata` with its tables in `schema` (None on SQLite), for Alembic's comparisons."""
    copy = MetaData(naming_convention=NAMING_CONVENTION)
    target: Any = schema  # None means "no schema" at run time; the stubs only admit names
    for table in metadata.tables.values():
        table.to_metadata(copy, schema=target)
    return copy
