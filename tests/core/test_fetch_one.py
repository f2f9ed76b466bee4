"""``Database.fetch_one`` runs one read statement outside any transaction (every request's
authentication uses it): no BEGIN or ROLLBACK, and on SQLite not even the async engine, yet the
row comes back exactly as a read session returns it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import OperationalError

from core.audit import SYSTEM, AuditEntry
from core.bootstrap import prepare_database
from core.database import Database
from core.write_set import WriteSet


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
        assert row.at == at and row.at.tzinfo is not None and row.at.utcoffset() == timedelta(0) and row.at.tzinfo == UTC
        assert row.after == {"行业": ["hazchem", "fire"], "n": 2} and row.before is None
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
