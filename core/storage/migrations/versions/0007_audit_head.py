"""audit_head: PostgreSQL function taking the append lock and reading the chain head at once

Revision ID: 0007_audit_head
Revises: 0006_evaluations

Why: a write that appends audit entries took the advisory lock in one round trip and read the
newest hash in a second, both while every other writer of every instance waited for that lock.
One statement cannot do both (its snapshot predates the lock, so it could miss the entry the
previous holder just committed); inside a VOLATILE PL/pgSQL function each statement takes a fresh
snapshot, so the read after the lock sees every committed append. SQLite needs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007_audit_head"
down_revision: str | Sequence[str] | None = "0006_evaluations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION anjian_lock_audit_head(lock_key bigint) RETURNS text
        LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock(lock_key);
            RETURN (SELECT hash FROM audit_entry ORDER BY seq DESC LIMIT 1);
        END
        $$
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS anjian_lock_audit_head(bigint)")
