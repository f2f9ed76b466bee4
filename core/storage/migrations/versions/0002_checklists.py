"""checklists: published checklist versions

Revision ID: 0002_checklists
Revises: 0001_foundation
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.storage.db_types

revision: str = "0002_checklists"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "checklist_version",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("checklist_id", sa.String(length=128), nullable=False),
        sa.Column("version", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("major", sa.Integer(), nullable=False),
        sa.Column("minor", sa.Integer(), nullable=False),
        sa.Column("patch", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("industry", sa.String(length=32), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("plugin", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("published_at", core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_by", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column("retired_at", core.storage.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("retired_by", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("checklist_id", "version", name="uq_checklist_version"),
    )
    with op.batch_alter_table("checklist_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checklist_version_checklist_id"), ["checklist_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_checklist_version_industry"), ["industry"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("checklist_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklist_version_industry"))
        batch_op.drop_index(batch_op.f("ix_checklist_version_checklist_id"))
    op.drop_table("checklist_version")
