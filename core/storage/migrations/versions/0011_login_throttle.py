"""login_throttle: failed and running logins per attempted username × client address

Revision ID: 0011_login_throttle
Revises: 0010_upload_owner

Why: the lockout lived on the user row, read before the password check and written after it, so
parallel guesses were all checked; it locked the account for everybody; and unknown names were
neither counted nor slowed, which told which names exist. ``login_counter`` is keyed on the name as
typed and the client, and reserves each check before it runs (core/access/lockout.py). The user
table's ``failed_logins``/``locked_until`` are no longer written.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.storage.db_types

revision: str = "0011_login_throttle"
down_revision: str | Sequence[str] | None = "0010_upload_owner"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_counter",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("pending", sa.Integer(), nullable=False),
        sa.Column("locked_until", core.storage.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_attempt_at", core.storage.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username", "client", name="uq_login_counter_username_client"),
    )
    op.create_index("ix_login_counter_last_attempt_at", "login_counter", ["last_attempt_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_login_counter_last_attempt_at", table_name="login_counter")
    op.drop_table("login_counter")
