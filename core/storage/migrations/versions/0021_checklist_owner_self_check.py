"""checklist owner and self-check tasks: 隐患排查清单 generated from the risk register, 自查任务

Revision ID: 0021_checklist_owner_self_check
Revises: 0020_safety_code_plant_plan

Why: an enterprise's check lists are generated from its own risk register (checklists/generated.py);
such a version belongs to that enterprise (``owner_enterprise_id``) and is seen only by whoever
sees it. The self-check tasks (core/self_checks/) say which list is due in which period and
whether the enterprise's self-checks fulfilled it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.storage.db_types

revision: str = "0021_checklist_owner_self_check"
down_revision: str | Sequence[str] | None = "0020_safety_code_plant_plan"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    instant = core.storage.db_types.UTCDateTime(timezone=True)
    with op.batch_alter_table("checklist_version") as batch:
        batch.add_column(sa.Column("owner_enterprise_id", sa.String(length=36), nullable=True))
        batch.create_index(batch.f("ix_checklist_version_owner_enterprise_id"), ["owner_enterprise_id"])
    op.create_table(
        "self_check_list",
        sa.Column("checklist_id", sa.String(length=128), nullable=False),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("active_since", instant, nullable=False),
        sa.Column("updated_at", instant, nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("checklist_id"),
    )
    op.create_index(op.f("ix_self_check_list_enterprise_id"), "self_check_list", ["enterprise_id"])
    op.create_table(
        "self_check_task",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("checklist_id", sa.String(length=128), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("starts_at", instant, nullable=False),
        sa.Column("ends_at", instant, nullable=False),
        sa.Column("required", sa.Integer(), nullable=False),
        sa.Column("done_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("done_at", instant, nullable=True),
        sa.Column("created_at", instant, nullable=False),
        sa.Column("updated_at", instant, nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("checklist_id", "period", name="uq_self_check_task"),
    )
    op.create_index("ix_self_check_task_enterprise", "self_check_task", ["enterprise_id", "starts_at"])
    op.create_index("ix_self_check_task_status", "self_check_task", ["status", "ends_at"])
    op.create_table(
        "self_check_record",
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("checklist_id", sa.String(length=128), nullable=False),
        sa.Column("checklist_version", sa.String(length=32), nullable=False),
        sa.Column("finished_at", instant, nullable=False),
        sa.Column("received_at", instant, nullable=False),
        sa.Column("failed_items", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("submission_id"),
    )
    op.create_index(op.f("ix_self_check_record_enterprise_id"), "self_check_record", ["enterprise_id"])
    op.create_index("ix_self_check_record_list", "self_check_record", ["checklist_id", "finished_at"])


def downgrade() -> None:
    op.drop_index("ix_self_check_record_list", table_name="self_check_record")
    op.drop_index(op.f("ix_self_check_record_enterprise_id"), table_name="self_check_record")
    op.drop_table("self_check_record")
    op.drop_index("ix_self_check_task_status", table_name="self_check_task")
    op.drop_index("ix_self_check_task_enterprise", table_name="self_check_task")
    op.drop_table("self_check_task")
    op.drop_index(op.f("ix_self_check_list_enterprise_id"), table_name="self_check_list")
    op.drop_table("self_check_list")
    with op.batch_alter_table("checklist_version") as batch:
        batch.drop_index(batch.f("ix_checklist_version_owner_enterprise_id"))
        batch.drop_column("owner_enterprise_id")
