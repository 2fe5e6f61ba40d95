"""Progress indexes: error counts covered for the per-user groupings; error counts and new words per session.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COVERED = ["session_id", "kind", "scale", "type", "rule", "count"]


def _schema() -> str | None:
    return op.get_context().opts.get("englivo_schema")


def upgrade() -> None:
    schema = _schema()
    op.drop_index("ix_error_counts_user_id_at", table_name="error_counts", schema=schema)
    op.create_index("ix_error_counts_user_id_at", "error_counts", ["user_id", "at"], schema=schema,
                    postgresql_include=COVERED)
    op.create_index("ix_error_counts_user_id_session_id", "error_counts", ["user_id", "session_id"], schema=schema)
    op.create_index("ix_vocabulary_user_id_session_id", "vocabulary", ["user_id", "session_id"], schema=schema)


def downgrade() -> None:
    schema = _schema()
    op.drop_index("ix_vocabulary_user_id_session_id", table_name="vocabulary", schema=schema)
    op.drop_index("ix_error_counts_user_id_session_id", table_name="error_counts", schema=schema)
    op.drop_index("ix_error_counts_user_id_at", table_name="error_counts", schema=schema)
    op.create_index("ix_error_counts_user_id_at", "error_counts", ["user_id", "at"], schema=schema)
