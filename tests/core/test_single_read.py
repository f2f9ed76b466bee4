"""``Database.single_read`` runs one statement outside any transaction (every request's
authentication uses it): no BEGIN or ROLLBACK round trips, on SQLite or PostgreSQL."""

from __future__ import annotations

from sqlalchemy import event, text

from core.bootstrap import prepare_database
from core.database import Database


async def test_a_single_read_runs_without_a_transaction(any_db_url):
    db = Database(any_db_url)
    statements: list[str] = []
    try:
        await prepare_database(db)
        event.listen(db.engine.sync_engine, "before_cursor_execute", lambda _c, _cur, sql, *_: statements.append(sql))
        if db.is_sqlite:
            async with db.single_read() as conn:
                assert (await conn.execute(text("SELECT count(*) FROM region"))).scalar_one() > 0
            assert not [sql for sql in statements if sql.upper().startswith("BEGIN")], statements
            async with db.read() as session:  # ordinary reads keep their snapshot transaction
                await session.exec(text("SELECT 1"))  # type: ignore[call-overload]
            assert any(sql.startswith("BEGIN") for sql in statements)
        else:
            # Inside a transaction now() is its start time: two statements agree. Outside, each
            # statement is a transaction of its own.
            async with db.single_read() as conn:
                first, second = [(await conn.execute(text("SELECT now()"))).scalar_one() for _ in range(2)]
            assert first != second
            async with db.engine.connect() as conn:
                first, second = [(await conn.execute(text("SELECT now()"))).scalar_one() for _ in range(2)]
            assert first == second
    finally:
        await db.dispose()
