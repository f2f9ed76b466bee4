"""sync: pushed-record ledger, submissions, quarantine, conflicts; previous scope on change rows

Revision ID: 0004_sync
Revises: 0005_plans
Create Date: 2026-11-23 16:40:11.593004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.storage.db_types

revision: str = '0004_sync'
down_revision: str | Sequence[str] | None = "0005_plans"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sync_conflict',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('hazard_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('enterprise_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('device_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('server_version', sa.Integer(), nullable=False),
    sa.Column('update', sa.JSON(), nullable=False),
    sa.Column('server_state', sa.JSON(), nullable=False),
    sa.Column('created_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('resolved_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('resolution_note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('record_id')
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflict_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_conflict_hazard_id'), ['hazard_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_conflict_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_conflict_user_id'), ['user_id'], unique=False)

    op.create_table('sync_quarantine',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('record_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('device_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('field', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('reason_zh', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('received_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_received_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('resolved_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('resolution_note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sync_quarantine', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_quarantine_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_quarantine_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_quarantine_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_quarantine_user_id'), ['user_id'], unique=False)

    op.create_table('sync_record',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('device_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('received_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sync_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_record_user_id'), ['user_id'], unique=False)

    op.create_table('submission',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('enterprise_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('region_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('industries', sa.JSON(), nullable=False),
    sa.Column('checklist_id', sa.String(length=128), nullable=False),
    sa.Column('checklist_version', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('checklist_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('inspector_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('device_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('started_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('received_at', core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('gps_accuracy_m', sa.Float(), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('photos', sa.JSON(), nullable=False),
    sa.Column('signatures', sa.JSON(), nullable=False),
    sa.Column('replaces_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('assignment_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('failed_items', sa.JSON(), nullable=False),
    sa.Column('hazard_ids', sa.JSON(), nullable=False),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_checklist_id'), ['checklist_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_inspector_id'), ['inspector_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_replaces_id'), ['replaces_id'], unique=False)

    with op.batch_alter_table('change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_region_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True))
        batch_op.add_column(sa.Column('prev_industries', sa.JSON(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('change', schema=None) as batch_op:
        batch_op.drop_column('prev_industries')
        batch_op.drop_column('prev_region_code')

    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_replaces_id'))
        batch_op.drop_index(batch_op.f('ix_submission_region_code'))
        batch_op.drop_index(batch_op.f('ix_submission_inspector_id'))
        batch_op.drop_index(batch_op.f('ix_submission_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_submission_checklist_id'))

    op.drop_table('submission')
    with op.batch_alter_table('sync_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_record_user_id'))

    op.drop_table('sync_record')
    with op.batch_alter_table('sync_quarantine', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_quarantine_user_id'))
        batch_op.drop_index(batch_op.f('ix_sync_quarantine_status'))
        batch_op.drop_index(batch_op.f('ix_sync_quarantine_record_id'))
        batch_op.drop_index(batch_op.f('ix_sync_quarantine_content_hash'))

    op.drop_table('sync_quarantine')
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_conflict_user_id'))
        batch_op.drop_index(batch_op.f('ix_sync_conflict_status'))
        batch_op.drop_index(batch_op.f('ix_sync_conflict_hazard_id'))
        batch_op.drop_index(batch_op.f('ix_sync_conflict_enterprise_id'))

    op.drop_table('sync_conflict')
