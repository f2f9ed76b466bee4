"""Two instances storing the same records at once (a tablet that pushed to one, timed out and
pushed again to the other): PostgreSQL makes each wait for the other's uncommitted keys.

* a group takes its keys in one order (by key, whatever order the records arrived in), so another
  transaction taking them in that order waits for it instead of holding one of its keys;
* a group PostgreSQL aborted to break a deadlock is stored again at once: the tablet gets its
  verdicts, never a 503 for a race between two servers.

The other instance is played by a second connection that holds ledger keys of the group's
records in an open transaction, so the interleaving is forced, not left to timing.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from sync.push.ledger import SyncRecord, ledger_row
from tests.conftest import fresh_pg_database
from tests.sync.conftest import SyncWorld


@pytest.fixture
async def any_db_url() -> AsyncIterator[str]:
    """Only PostgreSQL has concurrent writers (SQLite admits one at a time)."""
    async with fresh_pg_database("concurrent writers need PostgreSQL") as url:
        yield url


def _two_records(world: SyncWorld) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two submissions, the first with the smaller id."""
    one, two = world.submission(), world.submission()
    return (one, two) if one["id"] < two["id"] else (two, one)


async def _hold_ledger_key(conn: AsyncConnection, world: SyncWorld, record_id: str) -> None:
    row = ledger_row(
        record_id=record_id, kind="submission", content_hash="0" * 64, status="accepted", user_id=world.tablets["insp1"].user_id,
        device_id=None, received_at=world.api.ctx.clock.now(), outcome={},
    )
    await conn.execute(insert(SyncRecord.__table__).values(**row))  # type: ignore[attr-defined]


async def _wait_until_blocked(conn: AsyncConnection) -> None:
    """Until some other session of this database waits for a lock (the push's group)."""
    for _ in range(1000):
        waiting = (await conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        ))).scalar_one()
        if waiting:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the push never waited for the held key")


def _other_instance(world: SyncWorld, script: Callable[[AsyncConnection], Awaitable[None]], holding: threading.Event) -> Future[None]:
    """Run ``script`` in an open transaction of a connection of its own, on a thread and event loop
    of its own (the test client's push blocks the test's loop until it is answered); ``script``
    sets ``holding`` once it holds its first key. The transaction is rolled back at the end."""

    async def run() -> None:
        engine = create_async_engine(world.api.ctx.settings.database_url)
        try:
            async with engine.connect() as conn:
                await conn.begin()
                try:
                    await script(conn)
                finally:
                    holding.set()
                    await conn.rollback()
        finally:
            await engine.dispose()

    return ThreadPoolExecutor(1, thread_name_prefix="other-instance").submit(asyncio.run, run())


async def test_a_group_takes_its_keys_in_key_order_whatever_the_arrival_order(world: SyncWorld) -> None:
    tablet = await world.tablet("insp1")
    first, second = _two_records(world)
    holding = threading.Event()

    async def other(conn: AsyncConnection) -> None:
        await _hold_ledger_key(conn, world, first["id"])
        holding.set()
        await _wait_until_blocked(conn)
        # The group waits at the smaller key and holds no larger one of the same table: taking it
        # does not wait (in arrival order the group would hold it, and the two would deadlock).
        # Waiting at all fails here, before PostgreSQL's deadlock check (1 s) could rescue it.
        await conn.execute(text("SET LOCAL lock_timeout = '500ms'"))
        await _hold_ledger_key(conn, world, second["id"])

    done = _other_instance(world, other, holding)
    assert holding.wait(30)
    results = await world.push(tablet, second, first)  # the larger key arrives first
    done.result(timeout=30)
    assert [r["status"] for r in results] == ["accepted", "accepted"]


async def test_a_group_aborted_to_break_a_deadlock_is_stored_again_not_answered_503(world: SyncWorld, caplog: pytest.LogCaptureFixture) -> None:
    tablet = await world.tablet("insp1")
    first, second = _two_records(world)
    caplog.set_level(logging.INFO, logger="anjian.sync")
    holding = threading.Event()

    async def other(conn: AsyncConnection) -> None:
        # Make the push the side PostgreSQL aborts: it looks for the deadlock after 1 s, this one after 10 s.
        await conn.execute(text("SET LOCAL deadlock_timeout = '10s'"))
        await _hold_ledger_key(conn, world, second["id"])
        holding.set()
        await _wait_until_blocked(conn)  # the group holds the first key and waits for the second
        await _hold_ledger_key(conn, world, first["id"])  # now each waits for the other
        # …and this side gives up: the push's second attempt stores both.

    done = _other_instance(world, other, holding)
    assert holding.wait(30)
    results = await world.push(tablet, first, second)
    done.result(timeout=30)  # the other side was not the one aborted
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    assert any("lost a race" in message for message in caplog.messages), caplog.messages
    async with world.api.ctx.db.read() as session:
        stored = (await session.exec(text("SELECT count(*) FROM sync_record WHERE id IN (:a, :b)").bindparams(a=first["id"], b=second["id"]))).one()  # type: ignore[call-overload]
    assert stored[0] == 2
