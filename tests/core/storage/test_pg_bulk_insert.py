"""PostgreSQL's one-statement insert of staged rows (``core.storage.pg_bulk_insert``) stores exactly what
SQLAlchemy's generic insert stores, whether the rows travel as a JSON record set or as per-column
arrays: awkward strings, every float PostgreSQL has, Python ``None`` in a JSON column (JSON null,
not SQL NULL), timestamps from any zone, dates, big integers; and it refuses what the generic
insert refuses (a naive timestamp, a string too long for its column) instead of cutting it."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import JSON, BigInteger, Boolean, Column, Date, Float, MetaData, String, Table, insert
from sqlalchemy.exc import DBAPIError

from core.storage import pg_bulk_insert
from core.storage.database import Database
from core.storage.db_types import UTCDateTime
from core.storage.write_set import _insert_all

_META = MetaData()
PROBE = Table(
    "bulk_probe", _META,
    Column("id", String(8), primary_key=True), Column("note", String(6)), Column("at", UTCDateTime()), Column("score", Float),
    Column("n", BigInteger), Column("flag", Boolean), Column("day", Date), Column("doc", JSON),
)
BEIJING = timezone(timedelta(hours=8))


def _rows(prefix: str) -> list[dict[str, Any]]:
    values = [
        ("中文😀", datetime(2026, 3, 2, 17, 0, tzinfo=BEIJING), 1.5, 2**40, True, date(2026, 3, 2), None),
        ("", datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC), math.nan, None, False, None, {"k": [1, None, "x"], "中": 1e-7}),
        ('q"\\\n\t', None, math.inf, -(2**40), None, date(1999, 12, 31), "只是字符串"),
        ("\u2028", datetime(2026, 3, 2, 9, 0, tzinfo=UTC), -math.inf, 0, True, None, []),
        ("x", datetime(2026, 3, 2, 9, 0, tzinfo=UTC), 0.1 + 0.2, 7, False, None, 3),
        ("y", None, None, None, None, None, {"nested": {"a": None}}),
    ]
    columns = ("note", "at", "score", "n", "flag", "day", "doc")
    # Staged out of key order, as a group's records arrive.
    return [{"id": f"{prefix}{n}", **dict(zip(columns, row, strict=True))} for n, row in reversed(list(enumerate(values)))]


@pytest.fixture
async def db(pg_url: str) -> AsyncIterator[Database]:
    database = Database(pg_url)
    async with database.engine.begin() as conn:
        await conn.run_sync(_META.create_all)
    try:
        yield database
    finally:
        await database.dispose()


def _force_arrays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pg_bulk_insert, "_recordset_plan", lambda *_: None)


@pytest.mark.parametrize("path", ["json", "arrays"])
async def test_stored_values_are_those_of_the_generic_insert(db: Database, path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if path == "arrays":
        _force_arrays(monkeypatch)
    async with db.engine.begin() as conn:
        statement = pg_bulk_insert.statement([(PROBE, _rows("f"))], conn.dialect)
        assert statement is not None and ("json_to_recordset" in statement[0]) == (path == "json")
        await _insert_all(conn, [(PROBE, _rows("f"))])
        await conn.execute(insert(PROBE), _rows("g"))
    async with db.engine.connect() as conn:
        stored = {
            r[0]: r[1:]
            for r in await conn.exec_driver_sql(
                "SELECT id, note, CAST(at AS TEXT), CAST(score AS TEXT), n, flag, day, CAST(doc AS TEXT), doc IS NULL FROM bulk_probe"
            )
        }
    assert len(stored) == 12
    for n in range(6):
        assert stored[f"f{n}"] == stored[f"g{n}"], n
    assert stored["f0"][6] == "null" and stored["f0"][7] is False  # JSON null, as SQLAlchemy stores None
    assert stored["f1"][2] == "NaN" and stored["f2"][2] == "Infinity" and stored["f3"][2] == "-Infinity"


@pytest.mark.parametrize("path", ["json", "arrays"])
async def test_what_the_generic_insert_refuses_is_refused(db: Database, path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if path == "arrays":
        _force_arrays(monkeypatch)
    too_long = _rows("t")
    too_long[0]["note"] = "七个字的备注啊"  # 7 characters in a String(6)
    with pytest.raises(DBAPIError, match="too long"):
        async with db.engine.begin() as conn:
            await _insert_all(conn, [(PROBE, too_long)])
    naive = _rows("z")
    naive[0]["at"] = datetime(2026, 3, 2, 9, 0)
    with pytest.raises(ValueError, match="naive datetime"):
        async with db.engine.begin() as conn:
            await _insert_all(conn, [(PROBE, naive)])
    async with db.engine.connect() as conn:
        assert (await conn.exec_driver_sql("SELECT count(*) FROM bulk_probe")).scalar_one() == 0


def test_rows_keyed_by_a_string_id_go_in_key_order_and_others_in_staging_order() -> None:
    keyed = [{"id": "b"}, {"id": "a"}, {"id": "c"}]
    assert [r["id"] for r in pg_bulk_insert.in_key_order(keyed)] == ["a", "b", "c"]
    sequenced = [{"entity_id": "b"}, {"entity_id": "a"}]
    assert pg_bulk_insert.in_key_order(sequenced) is sequenced
