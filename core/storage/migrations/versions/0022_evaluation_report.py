"""evaluation_report: self-assessment reports (评估报告) sent to the 联络员

Revision ID: 0022_evaluation_report
Revises: 0021_checklist_owner_self_check

Why: an enterprise submits its dual-prevention self-assessment to its 联络员, who accepts it or
returns it with reasons; the town's progress view reads where each report stands
(core/dual_prevention/).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.storage.db_types

revision: str = "0022_evaluation_report"
down_revision: str | Sequence[str] | None = "0021_checklist_owner_self_check"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    instant = core.storage.db_types.UTCDateTime(timezone=True)
    op.create_table(
        "evaluation_report",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("evaluation_id", sa.String(length=36), nullable=False),
        sa.Column("liaison_user_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("submitted_by", sa.String(length=36), nullable=False),
        sa.Column("submitted_at", instant, nullable=False),
        sa.Column("decided_by", sa.String(length=36), nullable=True),
        sa.Column("decided_at", instant, nullable=True),
        sa.Column("decision_reason", sa.String(length=500), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["evaluation_id"], ["evaluation.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_evaluation_report_enterprise", "evaluation_report", ["enterprise_id", "submitted_at"])
    op.create_index("ix_evaluation_report_liaison", "evaluation_report", ["liaison_user_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_evaluation_report_liaison", table_name="evaluation_report")
    op.drop_index("ix_evaluation_report_enterprise", table_name="evaluation_report")
    op.drop_table("evaluation_report")
