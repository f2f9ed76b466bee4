"""penalty_case: 行政处罚 cases (立案, 告知, 决定, 履行)

Revision ID: 0016_penalty_case
Revises: 0015_documents

Why: a 行政处罚决定书 is made from a case that was filed by two officers, notified to the party
and decided no heavier than notified (行政处罚法第四十二条、第四十四条、第四十五条); the table
holds each stage's facts, written once (plugins/documents/penalties/).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.storage.db_types

revision: str = "0016_penalty_case"
down_revision: str | Sequence[str] | None = "0015_documents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    instant = core.storage.db_types.UTCDateTime(timezone=True)
    op.create_table(
        "penalty_case",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("region_code", sa.String(length=9), nullable=False),
        sa.Column("industries", sa.JSON(), nullable=False),
        sa.Column("inspection_id", sa.String(length=36), nullable=True),
        sa.Column("hazard_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("cause", sa.String(length=200), nullable=False),
        sa.Column("handlers", sa.JSON(), nullable=False),
        sa.Column("filed_by", sa.String(length=36), nullable=True),
        sa.Column("filed_at", instant, nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("violated", sa.String(length=500), nullable=False),
        sa.Column("basis", sa.String(length=500), nullable=False),
        sa.Column("proposed", sa.String(length=500), nullable=False),
        sa.Column("proposed_fine_yuan", sa.Integer(), nullable=True),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("notified_at", instant, nullable=True),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("hearing", sa.String(length=16), nullable=False),
        sa.Column("decision", sa.String(length=500), nullable=False),
        sa.Column("fine_yuan", sa.Integer(), nullable=True),
        sa.Column("payee", sa.String(length=200), nullable=False),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_at", instant, nullable=True),
        sa.Column("paid_yuan", sa.Integer(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("receipt_no", sa.String(length=64), nullable=False),
        sa.Column("fulfilment_note", sa.String(length=500), nullable=False),
        sa.Column("fulfilled_at", instant, nullable=True),
        sa.Column("updated_at", instant, nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("enterprise_id", "region_code", "inspection_id", "status"):
        op.create_index(f"ix_penalty_case_{column}", "penalty_case", [column])


def downgrade() -> None:
    op.drop_table("penalty_case")
