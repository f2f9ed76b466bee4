"""plans: inspections, plans, assignments, inspector ties, random draws, notifications, job runs, report snapshots

Revision ID: 0005_plans
Revises: 0003_hazards
Create Date: 2026-11-23 16:49:59.630636
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.storage.db_types

revision: str = '0005_plans'
down_revision: str | Sequence[str] | None = "0003_hazards"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('inspection_plan',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('region_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('industries', sa.JSON(), nullable=False),
    sa.Column('frequencies', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('inspection_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_plan_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_plan_year'), ['year'], unique=False)

    op.create_table('job_run',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('job', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('instance', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('started_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('job', 'period', name='uq_job_run_job_period')
    )
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_run_job'), ['job'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('dedup_key', sa.String(length=200), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('enterprise_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('created_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dedup_key')
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_user_id'), ['user_id'], unique=False)

    op.create_table('random_draw',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('seed', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('region_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('industries', sa.JSON(), nullable=False),
    sa.Column('enterprise_count', sa.Integer(), nullable=False),
    sa.Column('inspectors_per_enterprise', sa.Integer(), nullable=False),
    sa.Column('due_from', sa.Date(), nullable=False),
    sa.Column('due_until', sa.Date(), nullable=False),
    sa.Column('candidates', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('created_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('report_snapshot',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('period_start', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('period_end', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cells', sa.JSON(), nullable=False),
    sa.Column('created_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'period', name='uq_report_snapshot_kind_period')
    )
    with op.batch_alter_table('report_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_snapshot_kind'), ['kind'], unique=False)

    op.create_table('inspection',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('inspector_id', sa.String(length=36), nullable=False),
    sa.Column('assignment_id', sa.String(length=36), nullable=True),
    sa.Column('submission_id', sa.String(length=36), nullable=True),
    sa.Column('inspected_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('industries', sa.JSON(), nullable=False),
    sa.Column('created_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('submission_id')
    )
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_inspected_at'), ['inspected_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_inspector_id'), ['inspector_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_region_code'), ['region_code'], unique=False)

    op.create_table('assignment',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('slot_key', sa.String(length=160), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('plan_id', sa.String(length=36), nullable=True),
    sa.Column('draw_id', sa.String(length=36), nullable=True),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('inspector_id', sa.String(length=36), nullable=False),
    sa.Column('region_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('industries', sa.JSON(), nullable=False),
    sa.Column('due_from', sa.Date(), nullable=False),
    sa.Column('due_until', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('inspection_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('completed_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.ForeignKeyConstraint(['inspector_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slot_key')
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_draw_id'), ['draw_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_due_from'), ['due_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_inspector_id'), ['inspector_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_status'), ['status'], unique=False)

    op.create_table('inspector_tie',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('inspector_id', sa.String(length=36), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('created_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.ForeignKeyConstraint(['inspector_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('inspector_id', 'enterprise_id', name='uq_inspector_tie_pair')
    )
    with op.batch_alter_table('inspector_tie', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspector_tie_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspector_tie_inspector_id'), ['inspector_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('inspector_tie', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspector_tie_inspector_id'))
        batch_op.drop_index(batch_op.f('ix_inspector_tie_enterprise_id'))

    op.drop_table('inspector_tie')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_status'))
        batch_op.drop_index(batch_op.f('ix_assignment_plan_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_inspector_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_due_from'))
        batch_op.drop_index(batch_op.f('ix_assignment_draw_id'))

    op.drop_table('assignment')
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_region_code'))
        batch_op.drop_index(batch_op.f('ix_inspection_inspector_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_inspected_at'))
        batch_op.drop_index(batch_op.f('ix_inspection_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_assignment_id'))

    op.drop_table('inspection')
    with op.batch_alter_table('report_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_snapshot_kind'))

    op.drop_table('report_snapshot')
    op.drop_table('random_draw')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_user_id'))
        batch_op.drop_index(batch_op.f('ix_notification_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_notification_created_at'))

    op.drop_table('notification')
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_run_job'))

    op.drop_table('job_run')
    with op.batch_alter_table('inspection_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_plan_year'))
        batch_op.drop_index(batch_op.f('ix_inspection_plan_region_code'))

    op.drop_table('inspection_plan')
