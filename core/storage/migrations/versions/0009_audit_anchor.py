"""audit_anchor: signed heads of the audit chain

Revision ID: 0009_audit_anchor
Revises: 0008_audit_chain

Why: the hash chain cannot show its newest entries removed, nor every hash from some entry on
recomputed. An anchor (seq, hash, at, HMAC-SHA256 with the server secret) taken every hour and on
demand lets ``anjian audit verify`` detect both up to the last anchor (core/audit/anchors.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.storage.db_types

revision: str = "0009_audit_anchor"
down_revision: str | Sequence[str] | None = "0008_audit_chain"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_anchor",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("at", core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_audit_anchor_seq"), "audit_anchor", ["seq"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_anchor_seq"), table_name="audit_anchor")
    op.drop_table("audit_anchor")
