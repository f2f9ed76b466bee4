"""hazards: hazard, hazard_transition

Revision ID: 0003_hazards
Revises: 0002_checklists
Create Date: 2026-11-23 16:39:52.470671
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.storage.db_types

revision: str = '0003_hazards'
down_revision: str | Sequence[str] | None = "0002_checklists"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('hazard',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('industries', sa.JSON(), nullable=False),
    sa.Column('submission_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('checklist_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('checklist_version', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('item_code', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('location', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('found_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('received_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reported_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('deadline', core.storage.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('responsible_person', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('rectification_plan', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('listed_supervision', sa.Boolean(), nullable=False),
    sa.Column('listed_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('listed_reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('rectification_evidence', sa.JSON(), nullable=False),
    sa.Column('overdue_marked_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hazard_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_listed_supervision'), ['listed_supervision'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_reported_by'), ['reported_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_status'), ['status'], unique=False)
        batch_op.create_index('ix_hazard_status_deadline', ['status', 'deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_submission_id'), ['submission_id'], unique=False)

    op.create_table('hazard_transition',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hazard_id', sa.String(length=36), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('from_status', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
    sa.Column('to_status', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('actor_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('actor_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('resulting_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['hazard_id'], ['hazard.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('hazard_transition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hazard_transition_hazard_id'), ['hazard_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('hazard_transition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hazard_transition_hazard_id'))

    op.drop_table('hazard_transition')
    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hazard_submission_id'))
        batch_op.drop_index('ix_hazard_status_deadline')
        batch_op.drop_index(batch_op.f('ix_hazard_status'))
        batch_op.drop_index(batch_op.f('ix_hazard_reported_by'))
        batch_op.drop_index(batch_op.f('ix_hazard_region_code'))
        batch_op.drop_index(batch_op.f('ix_hazard_listed_supervision'))
        batch_op.drop_index(batch_op.f('ix_hazard_level'))
        batch_op.drop_index(batch_op.f('ix_hazard_enterprise_id'))

    op.drop_table('hazard')
