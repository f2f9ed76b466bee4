"""WriteSet binds staged rows itself (``_insert_rows``): the database must receive exactly what
SQLAlchemy's generic ``insert(table)`` would have sent, on every engine."""

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import insert

from core.audit import AuditEntry
from core.bootstrap import prepare_database
from core.database import Database
from core.write_set import _insert_rows

BEIJING = timezone(timedelta(hours=8))


def _row(entity_id: str, at: datetime) -> dict:
    return {
        "at": at, "actor_id": "u1", "actor_name": "王检查", "action": "binding_test", "entity": "t", "entity_id": entity_id,
        "before": None, "after": {"说明": "隐患整改", "n": 1.5, "items": ["A1", None, True], "nested": {"k": [1, 2]}},
        "prev_hash": "0" * 64, "hash": (entity_id * 64)[:64],  # unique
    }


async def test_staged_rows_are_stored_exactly_as_the_generic_insert_stores_them(any_db_url):
    db = Database(any_db_url)
    try:
        await prepare_database(db)
        table = AuditEntry.__table__
        for at in (datetime(2026, 3, 2, 17, 0, 0, tzinfo=BEIJING), datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC)):
            async with db.engine.begin() as conn:
                await _insert_rows(conn, table, [_row("fast", at)])
                await conn.execute(insert(table), [_row("generic", at)])
            async with db.engine.connect() as conn:
                rows = {
                    r[0]: r[1:]
                    for r in await conn.exec_driver_sql(
                        "SELECT entity_id, CAST(at AS TEXT), CAST(after AS TEXT), CAST(before AS TEXT), actor_name, prev_hash FROM audit_entry WHERE action = 'binding_test'"
                    )
                }
            assert rows["fast"] == rows["generic"]
            async with db.engine.begin() as conn:
                await conn.exec_driver_sql("DELETE FROM audit_entry WHERE action = 'binding_test'")
    finally:
        await db.dispose()
