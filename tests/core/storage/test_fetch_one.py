"""``Database.fetch_one`` runs one read statement outside any transaction (every request's
authentication uses it): no BEGIN or ROLLBACK, and on SQLite not even the async engine, yet the
row comes back exactly as a read session returns it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import bindparam, event, select, text
from sqlalchemy.exc import OperationalError

from core.bootstrap import prepare_database
from core.storage.audit_log import SYSTEM, AuditEntry
from core.storage.database import Database
from core.storage.write_set import WriteSet


async def test_fetch_one_returns_the_row_a_read_session_returns(any_db_url):
    db = Database(any_db_url)
    try:
        await prepare_database(db)
        writes = WriteSet()
        at = datetime(2026, 3, 2, 17, 0, 0, 250000, tzinfo=timezone(timedelta(hours=8)))
        writes.audit(actor=SYSTEM, action="fetch_one_test", entity="t", entity_id="e1", at=at, after={"行业": ["hazchem", "fire"], "n": 2})
        async with db.write() as session:
            await writes.flush(session)
        table = AuditEntry.__table__
        query = select(table.c.at, table.c.after, table.c.before, table.c.entity_id).where(table.c.entity_id == "e1")
        row = await db.fetch_one(query, {})
        async with db.read() as session:
            expected = (await session.exec(query)).first()  # type: ignore[call-overload]
        assert row is not None and tuple(row) == tuple(expected)
        stored_at, after, before, _ = row
        assert stored_at == at and stored_at.tzinfo == UTC
        assert after == {"行业": ["hazchem", "fire"], "n": 2} and before is None
        keyed = select(table.c.entity_id, table.c.after).where(table.c.entity_id == bindparam("key"))  # a named parameter too
        assert tuple(await db.fetch_one(keyed, {"key": "e1"}) or ()) == ("e1", {"行业": ["hazchem", "fire"], "n": 2})
        assert await db.fetch_one(select(table.c.seq).where(table.c.entity_id == "none"), {}) is None
    finally:
        await db.dispose()


async def test_fetch_one_runs_without_a_transaction(any_db_url):
    db = Database(any_db_url)
    statements: list[str] = []
    try:
        await prepare_database(db)
        event.listen(db.engine.sync_engine, "before_cursor_execute", lambda _c, _cur, sql, *_: statements.append(sql))
        if db.is_sqlite:
            assert (await db.fetch_one(text("SELECT count(*) FROM region"), {}))[0] > 0
            assert statements == []  # not through the async engine at all
            with pytest.raises(OperationalError, match="readonly"):  # a read, never a write
                await db.fetch_one(text("DELETE FROM region"), {})
            async with db.read() as session:  # ordinary reads keep their snapshot transaction
                await session.exec(text("SELECT 1"))  # type: ignore[call-overload]
            assert any(sql.startswith("BEGIN") for sql in statements)
        else:
            # Inside a transaction now() is its start time: two statements agree. Outside, each
            # statement is a transaction of its own.
            first, second = [(await db.fetch_one(text("SELECT now()"), {}))[0] for _ in range(2)]
            assert first != second
            assert not [sql for sql in statements if sql.upper().startswith("BEGIN")], statements
            async with db.engine.connect() as conn:
                first, second = [(await conn.execute(text("SELECT now()"))).scalar_one() for _ in range(2)]
            assert first == second
    finally:
        await db.dispose()


async def test_postgresql_lookups_survive_their_connections_being_killed(pg_url):
    """Lookups run on asyncpg connections of their own: when the server drops them (a restart, a
    failover), the next lookup answers from a fresh connection instead of failing."""
    db = Database(pg_url)
    try:
        await prepare_database(db)
        assert (await db.fetch_one(text("SELECT count(*) FROM region"), {}))[0] > 0
        async with db.engine.connect() as conn:
            killed = (await conn.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'anjian-key-reads' AND datname = current_database()"
            ))).scalar_one()
        assert killed >= 1
        await asyncio.sleep(0.2)
        assert (await db.fetch_one(text("SELECT count(*) FROM region"), {}))[0] > 0
    finally:
        await db.dispose()


async def test_postgresql_a_burst_of_first_lookups_opens_one_small_pool(pg_url):
    db = Database(pg_url)
    try:
        await prepare_database(db)
        rows = await asyncio.gather(*(db.fetch_one(text("SELECT pg_sleep(0.05), 1"), {}) for _ in range(40)))
        assert all(row[1] == 1 for row in rows)
        async with db.engine.connect() as conn:
            opened = (await conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'anjian-key-reads' AND datname = current_database()"
            ))).scalar_one()
        assert 1 <= opened <= 10  # one pool of at most 10, not one per request of the burst
    finally:
        await db.dispose()


def test_asyncpg_connection_errors_are_retryable() -> None:
    import asyncpg

    from core.storage.database import is_transient

    assert is_transient(asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation"))
    assert is_transient(ConnectionRefusedError(111, "Connect call failed"))
    assert not is_transient(asyncpg.exceptions.UndefinedTableError("relation does not exist"))
    assert not is_transient(ValueError("x"))
