"""upload_owner: who uploaded each attachment

Revision ID: 0010_upload_owner
Revises: 0009_audit_anchor

Why: a stored attachment answered ``HEAD`` to anyone who knew its sha256. Now it answers only a
user who sent its whole content (a row here) or who may see a record referencing it
(sync/attachment_access.py). Attachments stored before this revision have no row: they are seen
through the records referencing them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.storage.db_types

revision: str = "0010_upload_owner"
down_revision: str | Sequence[str] | None = "0009_audit_anchor"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attachment_uploader",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("uploaded_at", core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("attachment_uploader")
