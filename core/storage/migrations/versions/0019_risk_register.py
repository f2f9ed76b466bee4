"""risk_register: an enterprise's risk points (风险清单) and every revision of them

Revision ID: 0019_risk_register
Revises: 0018_enterprise_dual_prevention

Why: the enterprise identifies its risk points, grades them 红橙黄蓝 and controls them by level
(core/risk_register/); every change is kept with who, when and why, because the generated check
lists and the 安全码 are made from the register.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.storage.db_types

revision: str = "0019_risk_register"
down_revision: str | Sequence[str] | None = "0018_enterprise_dual_prevention"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    instant = core.storage.db_types.UTCDateTime(timezone=True)
    op.create_table(
        "risk_point",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("posts", sa.JSON(), nullable=False),
        sa.Column("hazard_factors", sa.JSON(), nullable=False),
        sa.Column("accident_types", sa.JSON(), nullable=False),
        sa.Column("assessment", sa.JSON(), nullable=False),
        sa.Column("direct_judgements", sa.JSON(), nullable=False),
        sa.Column("risk_level", sa.String(length=16), nullable=False),
        sa.Column("controls", sa.JSON(), nullable=False),
        sa.Column("control_seq", sa.Integer(), nullable=False),
        sa.Column("plan_x", sa.Float(), nullable=True),
        sa.Column("plan_y", sa.Float(), nullable=True),
        sa.Column("plan_area", sa.JSON(), nullable=True),
        sa.Column("emergency_contact", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", instant, nullable=False),
        sa.Column("updated_at", instant, nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("enterprise_id", "code", name="uq_risk_point_code"),
    )
    op.create_index("ix_risk_point_enterprise", "risk_point", ["enterprise_id", "active", "risk_level"])
    op.create_table(
        "risk_point_revision",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("risk_point_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=False),
        sa.Column("actor_name", sa.String(length=64), nullable=False),
        sa.Column("at", instant, nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["risk_point_id"], ["risk_point.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("risk_point_id", "version", name="uq_risk_point_revision"),
    )
    op.create_index("ix_risk_point_revision_enterprise", "risk_point_revision", ["enterprise_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_risk_point_revision_enterprise", table_name="risk_point_revision")
    op.drop_table("risk_point_revision")
    op.drop_index("ix_risk_point_enterprise", table_name="risk_point")
    op.drop_table("risk_point")
