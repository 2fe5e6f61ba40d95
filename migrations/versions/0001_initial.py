"""Jobs and analysis results.

Revision ID: 0001
Revises:
Create Date: 2025-11-23
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _schema() -> str | None:
    """The engine's schema on PostgreSQL, None on SQLite (set by migrations/env.py)."""
    return op.get_context().opts.get("englivo_schema")


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    schema = _schema()
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=True),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("input", _json(), nullable=False),
        sa.Column("result", _json(), nullable=True),
        sa.Column("error", _json(), nullable=True),
        sa.Column("idempotency_key", sa.String(), nullable=True),
        sa.Column("callback_url", sa.String(), nullable=True),
        sa.Column("meta", _json(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_jobs"),
        sa.UniqueConstraint("user_id", "idempotency_key", name="uq_jobs_user_id_idempotency_key"),
        schema=schema,
    )
    op.create_index("ix_jobs_user_id_created_at", "jobs", ["user_id", "created_at"], schema=schema)
    op.create_index("ix_jobs_status", "jobs", ["status"], schema=schema)
    op.create_index(
        "uq_jobs_anonymous_idempotency_key",
        "jobs",
        ["idempotency_key"],
        unique=True,
        schema=schema,
        postgresql_where=sa.text("user_id IS NULL"),
        sqlite_where=sa.text("user_id IS NULL"),
    )

    op.create_table(
        "analysis_results",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("engine_version", sa.String(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("input_hash", sa.String(), nullable=True),
        sa.Column("payload", _json(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_analysis_results"),
        schema=schema,
    )
    op.create_index(
        "ix_analysis_results_user_id_created_at", "analysis_results", ["user_id", "created_at"], schema=schema
    )
    op.create_index(
        "ix_analysis_results_user_id_session_id", "analysis_results", ["user_id", "session_id"], schema=schema
    )


def downgrade() -> None:
    schema = _schema()
    op.drop_table("analysis_results", schema=schema)
    op.drop_table("jobs", schema=schema)
