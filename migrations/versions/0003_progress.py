"""Progress: per-result summaries, error occurrences, vocabulary and phoneme scores, for aggregation.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)


def _schema() -> str | None:
    return op.get_context().opts.get("englivo_schema")


def upgrade() -> None:
    schema = _schema()
    op.create_table(
        "progress_results",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("engine_version", sa.String(), nullable=False),
        sa.Column("scoring_version", sa.String(), nullable=False),
        sa.Column("scale", sa.String(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("cefr_score", sa.Float(), nullable=True),
        sa.Column("cefr_level", sa.String(), nullable=True),
        sa.Column("pronunciation", sa.Float(), nullable=True),
        sa.Column("accuracy", sa.Float(), nullable=True),
        sa.Column("fluency", sa.Float(), nullable=True),
        sa.Column("completeness", sa.Float(), nullable=True),
        sa.Column("prosody", sa.Float(), nullable=True),
        sa.Column("words_per_minute", sa.Float(), nullable=True),
        sa.Column("pause_count", sa.Integer(), nullable=True),
        sa.Column("mean_pause", sa.Float(), nullable=True),
        sa.Column("filler_rate", sa.Float(), nullable=True),
        sa.Column("speaking_time", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_progress_results"),
        schema=schema,
    )
    op.create_index("ix_progress_results_user_id_at", "progress_results", ["user_id", "at"], schema=schema)
    op.create_index("ix_progress_results_user_id_session_id", "progress_results", ["user_id", "session_id"],
                    schema=schema)
    op.create_table(
        "error_occurrences",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("result_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("scale", sa.String(), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("rule", sa.String(), nullable=True),
        sa.Column("example", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_error_occurrences"),
        schema=schema,
    )
    op.create_index("ix_error_occurrences_user_id_at", "error_occurrences", ["user_id", "at"], schema=schema)
    op.create_index("ix_error_occurrences_user_id_type_at", "error_occurrences", ["user_id", "type", "at"],
                    schema=schema)
    op.create_index("ix_error_occurrences_result_id", "error_occurrences", ["result_id"], schema=schema)
    op.create_table(
        "error_counts",
        sa.Column("result_id", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("rule", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("scale", sa.String(), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("result_id", "type", "rule", name="pk_error_counts"),
        schema=schema,
    )
    op.create_index("ix_error_counts_user_id_at", "error_counts", ["user_id", "at"], schema=schema)
    op.create_table(
        "vocabulary",
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("lemma", sa.String(), nullable=False),
        sa.Column("level", sa.String(), nullable=True),
        sa.Column("first_seen_at", UTC_TIME, nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "lemma", name="pk_vocabulary"),
        schema=schema,
    )
    op.create_index("ix_vocabulary_user_id_first_seen_at", "vocabulary", ["user_id", "first_seen_at"], schema=schema)
    op.create_table(
        "phoneme_scores",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("result_id", sa.String(), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("phoneme", sa.String(), nullable=False),
        sa.Column("accuracy", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_phoneme_scores"),
        schema=schema,
    )
    op.create_index("ix_phoneme_scores_user_id_at", "phoneme_scores", ["user_id", "at"], schema=schema)


def downgrade() -> None:
    schema = _schema()
    op.drop_index("ix_phoneme_scores_user_id_at", table_name="phoneme_scores", schema=schema)
    op.drop_table("phoneme_scores", schema=schema)
    op.drop_index("ix_vocabulary_user_id_first_seen_at", table_name="vocabulary", schema=schema)
    op.drop_table("vocabulary", schema=schema)
    op.drop_index("ix_error_counts_user_id_at", table_name="error_counts", schema=schema)
    op.drop_table("error_counts", schema=schema)
    for index in ("ix_error_occurrences_result_id", "ix_error_occurrences_user_id_type_at",
                  "ix_error_occurrences_user_id_at"):
        op.drop_index(index, table_name="error_occurrences", schema=schema)
    op.drop_table("error_occurrences", schema=schema)
    op.drop_index("ix_progress_results_user_id_session_id", table_name="progress_results", schema=schema)
    op.drop_index("ix_progress_results_user_id_at", table_name="progress_results", schema=schema)
    op.drop_table("progress_results", schema=schema)
