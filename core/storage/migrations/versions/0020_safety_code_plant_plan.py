"""safety_code and plant_plan: 安全码 tokens and the plant plan image of the 四色分布图

Revision ID: 0020_safety_code_plant_plan
Revises: 0019_risk_register

Why: a printed QR code carries a random token that opens a public page (core/safety_codes/), and
the enterprise places its risk points on its plant plan to print the 四色分布图
(core/risk_register/plant_plan.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.storage.db_types

revision: str = "0020_safety_code_plant_plan"
down_revision: str | Sequence[str] | None = "0019_risk_register"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    instant = core.storage.db_types.UTCDateTime(timezone=True)
    op.create_table(
        "safety_code",
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", instant, nullable=False),
        sa.Column("revoked_at", instant, nullable=True),
        sa.PrimaryKeyConstraint("token"),
    )
    op.create_index("ix_safety_code_subject", "safety_code", ["subject", "subject_id"])
    op.create_index(op.f("ix_safety_code_enterprise_id"), "safety_code", ["enterprise_id"])
    op.create_table(
        "plant_plan",
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", instant, nullable=False),
        sa.Column("uploaded_by", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("enterprise_id"),
    )


def downgrade() -> None:
    op.drop_table("plant_plan")
    op.drop_index(op.f("ix_safety_code_enterprise_id"), table_name="safety_code")
    op.drop_index("ix_safety_code_subject", table_name="safety_code")
    op.drop_table("safety_code")
