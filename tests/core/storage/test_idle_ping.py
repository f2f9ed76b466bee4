"""A pooled PostgreSQL connection that sat idle is pinged before use and replaced if dead (the
server restarted, a firewall dropped it), instead of failing the request; a connection in steady
use is not pinged (``core.storage.database._ping_when_idle``)."""

from __future__ import annotations

from sqlalchemy import text

import core.storage.database
from core.storage.database import Database


async def _backend_pid(db: Database) -> int:
    async with db.read() as session:
        return int((await session.exec(text("SELECT pg_backend_pid()"))).one()[0])  # type: ignore[call-overload]


async def _terminate(url: str, pid: int) -> None:
    killer = Database(url)
    try:
        async with killer.engine.connect() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        await killer.dispose()


async def test_an_idle_connection_killed_by_the_server_is_replaced_before_use(pg_url, monkeypatch):
    monkeypatch.setattr(core.storage.database, "IDLE_PING_S", 0.0)  # every pooled connection counts as idle
    db = Database(pg_url)
    try:
        dead = await _backend_pid(db)
        await _terminate(pg_url, dead)
        assert await _backend_pid(db) != dead  # a fresh connection answered; the request did not fail
    finally:
        await db.dispose()


async def test_a_connection_in_steady_use_is_not_pinged(pg_url, monkeypatch):
    from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection

    pings: list[int] = []
    original = AsyncAdapt_asyncpg_connection.ping
    monkeypatch.setattr(AsyncAdapt_asyncpg_connection, "ping", lambda self: (pings.append(1), original(self))[1])
    db = Database(pg_url)
    try:
        monkeypatch.setattr(core.storage.database, "IDLE_PING_S", 3600.0)
        for _ in range(3):
            await _backend_pid(db)
        assert pings == []  # no round trip spent on a connection used moments ago
        monkeypatch.setattr(core.storage.database, "IDLE_PING_S", 0.0)
        await _backend_pid(db)
        assert pings == [1]  # the same connection, now counted as idle, is checked first
    finally:
        await db.dispose()
