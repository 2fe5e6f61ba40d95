"""Blobs: inputs too big for a job's JSON (uploaded audio), by content hash.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _schema() -> str | None:
    return op.get_context().opts.get("englivo_schema")


def upgrade() -> None:
    schema = _schema()
    op.create_table(
        "blobs",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_blobs"),
        schema=schema,
    )
    op.create_index("ix_blobs_created_at", "blobs", ["created_at"], schema=schema)


def downgrade() -> None:
    schema = _schema()
    op.drop_index("ix_blobs_created_at", table_name="blobs", schema=schema)
    op.drop_table("blobs", schema=schema)
