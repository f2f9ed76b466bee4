"""WriteSet binds staged rows itself (``_insert_all``: an executemany per table, or on PostgreSQL
one statement of ``unnest`` arrays for all tables): the database must receive exactly what
SQLAlchemy's generic ``insert(table)`` would have sent, on every engine."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert
from sqlmodel import select

from core.audit.verify import verify_chain
from core.bootstrap import prepare_database
from core.regions.records import Grid, Region
from core.storage.audit_log import SYSTEM, AuditEntry
from core.storage.database import Database
from core.storage.write_set import WriteSet, _insert_all

BEIJING = timezone(timedelta(hours=8))


def _row(entity_id: str, at: datetime) -> dict:
    return {
        "at": at, "actor_id": "u1", "actor_name": "王检查", "action": "binding_test", "entity": "t", "entity_id": entity_id,
        "before": None, "after": {"说明": "隐患整改", "n": 1.5, "items": ["A1", None, True], "nested": {"k": [1, 2]}},
        "prev_hash": "0" * 64, "hash": (entity_id * 64)[:64],  # unique
    }


async def test_staged_rows_are_stored_exactly_as_the_generic_insert_stores_them(any_db_url):
    """Timestamps are converted once per distinct value in a statement: equal instants written in
    different zones, repeats and distinct values must each still come out as the generic insert's."""
    db = Database(any_db_url)
    try:
        await prepare_database(db)
        table = AuditEntry.__table__
        beijing = datetime(2026, 3, 2, 17, 0, 0, tzinfo=BEIJING)
        moments = [beijing, datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC), datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC), beijing]
        async with db.engine.begin() as conn:
            await _insert_all(conn, [(table, [_row(f"fast{n}", at) for n, at in enumerate(moments)])])
            await conn.execute(insert(table), [_row(f"generic{n}", at) for n, at in enumerate(moments)])
        async with db.engine.connect() as conn:
            rows = {
                r[0]: r[1:]
                for r in await conn.exec_driver_sql(
                    "SELECT entity_id, CAST(at AS TEXT), CAST(after AS TEXT), CAST(before AS TEXT), actor_name, prev_hash FROM audit_entry WHERE action = 'binding_test'"
                )
            }
        for n in range(len(moments)):
            assert rows[f"fast{n}"] == rows[f"generic{n}"]
        assert rows["fast0"][0] == rows["fast1"][0] != rows["fast2"][0]
        with pytest.raises(ValueError, match="naive datetime"):  # still refused, not stored as if UTC
            async with db.engine.begin() as conn:
                await _insert_all(conn, [(table, [_row("naive", datetime(2026, 3, 2, 9, 0))])])
    finally:
        await db.dispose()


async def test_one_flush_stores_parents_beside_children_and_keeps_staging_order(any_db_url):
    """On PostgreSQL every table of a flush goes in one statement: a child row may reference a
    parent staged in the same flush, and audit entries and change rows get their ``seq`` in staging
    order (the chain verifies, the change feed reads in order)."""
    db = Database(any_db_url)
    try:
        await prepare_database(db)
        at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        writes = WriteSet()
        writes.insert(Grid, {"code": "990101001", "region_code": "990101", "township": "测试镇", "name": "测试网格", "responsible_person": "张网格", "responsible_phone": ""})
        writes.insert(Region, {"code": "990101", "name": "测试县", "parent_code": None, "level": "county"})
        names = [f"entry-{n}" for n in range(12)]
        for name in names:
            writes.audit(actor=SYSTEM, action="flush_order_test", entity="t", entity_id=name, at=at, after={"名称": name})
            writes.change(entity="t", entity_id=name, at=at, region_code="990101")
        async with db.write() as session:
            await writes.flush(session)
        async with db.read() as session:
            assert (await verify_chain(session)).ok
        async with db.engine.connect() as conn:
            audits = [r[0] for r in await conn.exec_driver_sql("SELECT entity_id FROM audit_entry WHERE action = 'flush_order_test' ORDER BY seq")]
            changes = [r[0] for r in await conn.exec_driver_sql("SELECT entity_id FROM change WHERE entity = 't' ORDER BY seq")]
            grid = (await conn.exec_driver_sql("SELECT region_code, name FROM grid WHERE code = '990101001'")).one()
        assert audits == names and changes == names
        assert tuple(grid) == ("990101", "测试网格")
    finally:
        await db.dispose()


async def test_postgresql_writes_fresh_rows_before_taking_the_sequence_lock(pg_url):
    """The lock that orders audit and change appends serialises every writer of every instance:
    only audit entries and change rows are written while holding it, plain new rows go before."""
    from sqlalchemy import event

    db = Database(pg_url)
    statements: list[str] = []
    try:
        await prepare_database(db)
        event.listen(db.engine.sync_engine, "before_cursor_execute", lambda _c, _cur, sql, *_: statements.append(sql))
        writes = WriteSet()
        writes.insert(Region, {"code": "990102", "name": "测试区", "parent_code": None, "level": "county"})
        writes.audit(actor=SYSTEM, action="lock_order_test", entity="region", entity_id="990102", at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        writes.change(entity="region", entity_id="990102", at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC), region_code="990102")
        async with db.write() as session:
            await writes.flush(session)
        region_insert = next(i for i, sql in enumerate(statements) if "INSERT INTO region" in sql)
        locked = [i for i, sql in enumerate(statements) if "pg_advisory_xact_lock" in sql or "anjian_" in sql]
        assert len(locked) == 1 and region_insert < locked[0]
        # One round trip under the lock: it is taken, the head read and the entries chained and
        # inserted, with the change rows, in one statement.
        assert "anjian_chain_audit" in statements[locked[0]] and "INSERT INTO audit_entry" in statements[locked[0]]
        assert "INSERT INTO change" in statements[locked[0]]
        assert "INSERT INTO region" not in statements[locked[0]]  # the locked statement holds only sequenced rows
        async with db.read() as session:
            assert (await verify_chain(session)).ok
    finally:
        await db.dispose()


async def test_postgresql_a_writer_that_waited_for_the_lock_chains_to_the_entry_committed_meanwhile(pg_url):
    """The lock and the chain head are read in one statement; the head must be read after the lock
    is granted (a snapshot from before the wait would fork the chain)."""
    import asyncio

    from core.storage.audit_log import AuditEntry as Entry

    db = Database(pg_url)
    try:
        await prepare_database(db)
        at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

        async def append(name: str, hold: asyncio.Event | None = None, held: asyncio.Event | None = None) -> None:
            writes = WriteSet()
            writes.audit(actor=SYSTEM, action="lock_wait_test", entity="t", entity_id=name, at=at)
            async with db.write() as session:
                await writes.flush(session)
                if held is not None and hold is not None:
                    held.set()
                    await hold.wait()  # keep the lock (and the uncommitted entry) a while

        hold, held = asyncio.Event(), asyncio.Event()
        first = asyncio.create_task(append("first", hold, held))
        await held.wait()
        second = asyncio.create_task(append("second"))
        await asyncio.sleep(0.3)
        assert not second.done()  # waiting for the lock
        hold.set()
        await asyncio.gather(first, second)
        async with db.read() as session:
            assert (await verify_chain(session)).ok
            rows = {e.entity_id: e for e in (await session.exec(select(Entry).where(Entry.action == "lock_wait_test"))).all()}  # type: ignore[arg-type]
        assert rows["second"].prev_hash == rows["first"].hash
    finally:
        await db.dispose()


async def test_postgresql_entries_chained_in_the_database_hash_as_the_server_chains_them(pg_url):
    """The chaining statement links entries in PostgreSQL; ``verify_chain`` recomputes every link in
    Python. A second flush in the same transaction links on from the head the first one returned."""
    from core.storage.audit_log import entry_hash

    db = Database(pg_url)
    at = datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC)
    try:
        await prepare_database(db)
        async with db.write() as session:
            for round_ in range(2):
                writes = WriteSet()
                for n in range(3):
                    writes.audit(
                        actor=SYSTEM, action="chain_test", entity="t", entity_id=f"{round_}-{n}", at=at,
                        before=None if n else {"说明": '引号"与反斜杠\\', "n": 1.5}, after={"描述": "仓库无防火间距", "list": [n, None, True]},
                    )
                writes.change(entity="t", entity_id=f"{round_}", at=at)
                await writes.flush(session)
        async with db.read() as session:
            rows = (await session.exec(select(AuditEntry).order_by(AuditEntry.seq))).all()  # type: ignore[arg-type]
            report = await verify_chain(session)
        assert report.ok and report.entries == 6, report
        assert [r.entity_id for r in rows] == ["0-0", "0-1", "0-2", "1-0", "1-1", "1-2"]
        prev = "0" * 64
        for row in rows:
            columns = {name: getattr(row, name) for name in ("at", "actor_id", "actor_name", "action", "entity", "entity_id", "before", "after")}
            assert row.prev_hash == prev and row.hash == entry_hash(prev, columns)
            prev = row.hash
    finally:
        await db.dispose()
