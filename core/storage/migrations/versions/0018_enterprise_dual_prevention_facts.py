"""enterprise_dual_prevention_facts: what the dual-prevention work needs to know of an enterprise

Revision ID: 0018_enterprise_dual_prevention
Revises: 0017_hazard_scope_indexes

Why: 双重预防 (risk grading and hazard checks) picks its checks by the 工贸 sectors of
《工贸企业重大事故隐患判定标准》 (``sectors``), its deadlines by 生产类 / 仓储类 (``production_kind``),
and asks whether the enterprise has a safety office and how many full- and part-time safety staff;
an inspector follows each enterprise as its 联络员 (``liaison_user_id``, indexed for "my
enterprises"; no foreign key, see core/enterprises/records.py). Existing enterprises have no
sectors and none of the other facts yet.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

# Shorter than the file's name: PostgreSQL's alembic_version.version_num holds 32 characters at most.
revision: str = "0018_enterprise_dual_prevention"
down_revision: str | Sequence[str] | None = "0017_hazard_scope_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added columns only, each a plain ALTER TABLE … ADD COLUMN on both databases: batch mode
    # copied the whole table on SQLite (slow on a large file) and wrote its constraints back in
    # an order that changed from run to run (tests/contract saw it).
    op.add_column("enterprise", sa.Column("production_kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    op.add_column("enterprise", sa.Column("sectors", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    op.add_column("enterprise", sa.Column("safety_office", sa.Boolean(), nullable=True))
    op.add_column("enterprise", sa.Column("safety_staff_full_time", sa.Integer(), nullable=True))
    op.add_column("enterprise", sa.Column("safety_staff_part_time", sa.Integer(), nullable=True))
    op.add_column("enterprise", sa.Column("liaison_user_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True))
    op.create_index("ix_enterprise_liaison_user_id", "enterprise", ["liaison_user_id"])


def downgrade() -> None:
    op.drop_index("ix_enterprise_liaison_user_id", table_name="enterprise")
    with op.batch_alter_table("enterprise", schema=None) as batch_op:
        for column in ("liaison_user_id", "safety_staff_part_time", "safety_staff_full_time", "safety_office", "sectors", "production_kind"):
            batch_op.drop_column(column)
