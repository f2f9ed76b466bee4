"""audit_chain: PostgreSQL function taking the append lock and chaining a transaction's entries

Revision ID: 0008_audit_chain
Revises: 0007_audit_head

Why: a write appending audit entries took the lock and read the chain head in one round trip,
then hashed its entries in the server and sent them in a second, while every writer of every
instance waited for that lock; on a loaded machine the server was often not scheduled at once to
take its turn between the two. Given each entry's hashed document but the link (encoded before the
lock, ``core.storage.audit_log.unlinked_payload``), this function links them inside the statement that inserts
them (``core.storage.pg_bulk_insert.chained_statement``): lock, head and hashes at once. It returns the
head followed by every new hash. Its read of the head takes a fresh snapshot after the lock, as in
0007. SQLite needs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008_audit_chain"
down_revision: str | Sequence[str] | None = "0007_audit_head"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        r"""
        CREATE OR REPLACE FUNCTION anjian_chain_audit(lock_key bigint, payloads bytea[]) RETURNS text[]
        LANGUAGE plpgsql VOLATILE AS $$
        DECLARE
            head text;
            hashes text[];
        BEGIN
            PERFORM pg_advisory_xact_lock(lock_key);
            head := coalesce((SELECT hash FROM audit_entry ORDER BY seq DESC LIMIT 1), repeat('0', 64));
            hashes := ARRAY[head];
            FOR i IN 1 .. coalesce(array_length(payloads, 1), 0) LOOP
                head := encode(sha256(payloads[i] || convert_to(head, 'UTF8') || '\x227d'::bytea), 'hex');
                hashes := hashes || head;
            END LOOP;
            RETURN hashes;
        END
        $$
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS anjian_chain_audit(bigint, bytea[])")
