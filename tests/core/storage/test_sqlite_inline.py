"""SQLite on the event loop's thread: fast statements inline, anything that could stall the loop moved off it."""

import asyncio
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import event, text

import core.storage.sqlite_inline as inline
from core.storage.database import Database


@asynccontextmanager
async def _database(path, **kwargs) -> AsyncIterator[Database]:
    db = Database(f"sqlite+aiosqlite:///{path}", **kwargs)

    @event.listens_for(db.engine.sync_engine, "connect")
    def _thread_function(dbapi_connection, _record):
        # tid(): the thread a statement's row was computed on.
        dbapi_connection.create_function("tid", 0, threading.get_ident)

    try:
        yield db
    finally:
        await db.dispose()


async def _fill(db: Database, rows: int) -> None:
    async with db.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (x INTEGER)"))
        await conn.execute(text("INSERT INTO t (x) VALUES (:x)"), [{"x": n} for n in range(rows)])


async def test_statements_run_on_the_loop_thread(tmp_path):
    async with _database(tmp_path / "a.db") as db:
        async with db.engine.connect() as conn:
            assert (await conn.execute(text("SELECT tid()"))).scalar() == threading.get_ident()


async def test_the_aiosqlite_thread_is_still_there_when_asked_for(tmp_path):
    async with _database(tmp_path / "a.db", sqlite_inline=False) as db:
        async with db.engine.connect() as conn:
            assert (await conn.execute(text("SELECT tid()"))).scalar() != threading.get_ident()


async def test_a_select_over_its_budget_is_read_again_on_a_worker_thread(tmp_path, monkeypatch):
    async with _database(tmp_path / "a.db") as db:
        await _fill(db, 20_000)
        monkeypatch.setattr(inline, "SELECT_BUDGET_S", 0.0)
        async with db.engine.connect() as conn:
            row = (await conn.execute(text("SELECT max(tid()), sum(x), count(*) FROM t"))).one()
        assert row[0] != threading.get_ident()
        assert (row[1], row[2]) == (sum(range(20_000)), 20_000)


async def test_a_select_that_went_over_its_budget_goes_to_a_worker_thread_at_once_next_time(tmp_path, monkeypatch):
    async with _database(tmp_path / "a.db") as db:
        await _fill(db, 20_000)
        sql = "SELECT max(tid()), count(*) FROM t WHERE x >= :low"
        monkeypatch.setattr(inline, "SELECT_BUDGET_S", 0.0)
        async with db.engine.connect() as conn:
            await conn.execute(text(sql), {"low": 0})
        monkeypatch.setattr(inline, "SELECT_BUDGET_S", 60.0)  # tried inline, it would now run there to the end
        async with db.engine.connect() as conn:
            row = (await conn.execute(text(sql), {"low": 10})).one()
        assert row[0] != threading.get_ident()
        assert row[1] == 19_990


async def test_a_write_over_the_budget_is_never_interrupted(tmp_path, monkeypatch):
    # Interrupting a write would roll back its whole transaction: writes have no budget.
    async with _database(tmp_path / "a.db") as db:
        await _fill(db, 20_000)
        monkeypatch.setattr(inline, "SELECT_BUDGET_S", 0.0)
        async with db.write() as session:
            await session.exec(text("UPDATE t SET x = x + 1"))  # type: ignore[call-overload]
        monkeypatch.setattr(inline, "SELECT_BUDGET_S", 5.0)
        async with db.engine.connect() as conn:
            assert (await conn.execute(text("SELECT sum(x) FROM t"))).scalar() == sum(range(1, 20_001))


async def test_waiting_for_another_writer_does_not_stall_the_loop(tmp_path):
    path = tmp_path / "a.db"
    async with _database(path) as db:
        await _fill(db, 10)
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)  # another process, in effect
        other.execute("BEGIN IMMEDIATE")
        events: list[str] = []

        async def writer() -> None:
            async with db.write() as session:  # BEGIN IMMEDIATE is sent with the first statement
                await session.exec(text("INSERT INTO t (x) VALUES (100)"))  # type: ignore[call-overload]
                events.append("writer has the lock")

        async def reader() -> None:
            async with db.read() as session:
                assert (await session.exec(text("SELECT count(*) FROM t"))).scalar() == 10  # type: ignore[call-overload]
            events.append("read done")

        started = time.monotonic()
        task = asyncio.create_task(writer())
        await asyncio.sleep(0.2)  # the writer is waiting for the other connection's lock
        await reader()
        assert events == ["read done"]
        assert time.monotonic() - started < 3  # not after the writer's 10 s busy timeout
        other.execute("ROLLBACK")
        await asyncio.wait_for(task, timeout=5)
        assert events == ["read done", "writer has the lock"]
        other.close()
        async with db.engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 11


async def test_a_writer_still_gives_up_after_the_busy_timeout(tmp_path):
    path = tmp_path / "a.db"
    async with _database(path, busy_timeout_ms=300) as db:
        await _fill(db, 1)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(Exception, match="locked"):
                async with db.write() as session:
                    await session.exec(text("INSERT INTO t (x) VALUES (1)"))  # type: ignore[call-overload]
        finally:
            other.execute("ROLLBACK")
            other.close()


async def test_a_cancelled_read_on_a_worker_thread_finishes_before_its_connection_is_used_again(tmp_path, monkeypatch):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    try:
        await _fill(db, 300_000)
    finally:
        await db.dispose()
    monkeypatch.setattr(inline, "SELECT_BUDGET_S", 0.0)
    conn = await inline.connect(str(tmp_path / "a.db"), timeout_s=5)
    # 9 million pairs: ~0.25 s on a fast machine. The sort this used before took 10 ms on one and
    # was over before the cancel, so the test waited for nothing and failed.
    pairs = "SELECT count(*) FROM (SELECT x FROM t LIMIT 3000) AS a, (SELECT x FROM t LIMIT 3000) AS b WHERE (a.x * 7919 + b.x) % 300007 = 1"
    slow = asyncio.create_task(conn.cursor().execute(pairs))
    await asyncio.sleep(0.01)  # the read is running on a worker thread now
    slow.cancel()
    with pytest.raises(asyncio.CancelledError):
        await slow
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.001)
            ticks += 1

    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    cursor = await conn.cursor().execute("SELECT count(*) FROM t")  # waits for the cancelled read, off the loop
    assert await cursor.fetchall() == [(300_000,)]
    ticking.cancel()
    assert ticks > 3, "the loop stalled while the connection was busy on a worker thread"
    await conn.rollback()
    await conn.close()
