"""Rows a write transaction will store, staged first and written with one statement per table.

Why: writing a tablet's submission row by row through the ORM cost ~45 statements and ~40 ms of
server CPU. Services instead *stage* rows here — plain dicts, validated and complete — and the
caller writes them once. Many records staged into one set (the sync push's group commit) share
those statements. Audit entries are chained when written, in staging order, from the chain head
of the transaction; change rows likewise keep staging order, so the change sequence and the audit
chain read exactly as if each row had been written on its own.

A set is only written by ``flush``; discarding it (a record that failed validation) leaves no
trace. Pending ORM changes of the same session are flushed first, so staged rows may refer to them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import sqltypes
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from core.audit import Actor, AuditEntry, chain_head, entry_hash, lock_sequences, remember_chain_head
from core.changes import Change, change_row
from core.db_types import UTCDateTime


Binder = tuple[Callable[[Any], Any] | None, bool]


def _binder(column_type: Any, dialect: Any) -> Binder:
    """The column's bind processor, and whether its values repeat enough to convert each distinct
    one once: a group's rows share a handful of timestamps (its ``now`` above all), and converting
    a timestamp (to UTC, then to SQLite's text) cost as much as encoding the JSON columns. Only
    ``UTCDateTime``: its result depends on the instant alone, so equal instants written in other
    zones (equal as keys) convert alike; a plain ``DateTime`` keeps each value's wall clock."""
    return column_type._cached_bind_processor(dialect), isinstance(column_type, UTCDateTime)


@functools.lru_cache(maxsize=512)
def _insert_plan(table: Table, columns: tuple[str, ...], dialect: Any) -> tuple[str, tuple[Binder, ...]] | None:
    """The INSERT of ``columns`` in the dialect's own SQL and how each column's values are bound,
    or None when the statement needs more than the staged values (a Python-side column default)."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    if list(compiled.positiontup or ()) != list(columns):
        return None
    return str(compiled), tuple(_binder(table.c[name].type, dialect) for name in columns)


def _unnest_insert(table: Table, columns: tuple[str, ...], dialect: Any, first: int) -> str:
    """``INSERT … SELECT … FROM unnest($first::type[], …)``: one array per column, parameters
    numbered from ``first``. JSON travels as text (what its bind processor makes) and is cast back.
    The rows are inserted in array order, so ``seq`` keys follow staging order."""
    quote = dialect.identifier_preparer.quote
    arrays, selected = [], []
    for position, name in enumerate(columns, start=first):
        column_type = table.c[name].type
        sql_type = column_type.compile(dialect=dialect)
        if isinstance(column_type, sqltypes.JSON):
            arrays.append(f"${position}::text[]")
            selected.append(f"{quote(name)}::{sql_type}")
        else:
            arrays.append(f"${position}::{sql_type}[]")
            selected.append(quote(name))
    names = ", ".join(quote(name) for name in columns)
    return (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({names}) "
        f"SELECT {', '.join(selected)} FROM unnest({', '.join(arrays)}) AS staged ({names})"
    )


@functools.lru_cache(maxsize=512)
def _combined_insert(shapes: tuple[tuple[Table, tuple[str, ...]], ...], dialect: Any) -> str | None:
    """One PostgreSQL statement inserting every table's rows (each insert a data-modifying CTE but
    the last), or None when a table needs the generic insert. Foreign keys are checked at the end
    of the statement, so a child may sit beside its parent. An ARRAY column also takes the generic
    path: ``unnest`` would flatten an array of arrays."""
    for table, columns in shapes:
        if _insert_plan(table, columns, dialect) is None or any(isinstance(table.c[name].type, sqltypes.ARRAY) for name in columns):
            return None
    parts, first = [], 1
    for table, columns in shapes:
        parts.append(_unnest_insert(table, columns, dialect, first))
        first += len(columns)
    *ctes, last = parts
    return (f"WITH {', '.join(f'staged_{n} AS ({sql})' for n, sql in enumerate(ctes))} " if ctes else "") + last


def _bound(columns: tuple[str, ...], binders: tuple[Binder, ...], rows: list[dict[str, Any]]) -> list[list[Any]]:
    """Each column's values through its bind processor, column by column: exactly what SQLAlchemy
    would send."""
    out = []
    for name, (process, repeats) in zip(columns, binders, strict=True):
        values = [row[name] for row in rows]
        if process is not None:
            if repeats:
                converted = {value: process(value) for value in set(values)}
                values = [converted[value] for value in values]
            else:
                values = [process(value) for value in values]
        out.append(values)
    return out


async def _insert_rows(connection: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    """One executemany of staged rows. Binding values through ``insert(table)`` took a third of a
    group commit's CPU (a generic path per row and value); the staged rows all name the same
    columns, so the statement and each column's processor are looked up once and applied in a loop,
    giving the database exactly the values SQLAlchemy would."""
    columns = tuple(rows[0])
    plan = _insert_plan(table, columns, connection.dialect)
    if plan is None:
        await connection.execute(insert(table), rows)
        return
    sql, binders = plan
    await connection.exec_driver_sql(sql, list(zip(*_bound(columns, binders, rows), strict=True)))  # type: ignore[arg-type]


async def _insert_all(connection: AsyncConnection, batches: list[tuple[Table, list[dict[str, Any]]]]) -> None:
    """Every table's staged rows, parents first. On PostgreSQL all of them go in one statement:
    a group commit's flush spent a round trip per table while holding the lock that orders audit
    and change appends, and each round trip also waited for the event loop, busy with other
    requests, to resume it; the lock's hold time bounded every instance's write rate."""
    dialect = connection.dialect
    if dialect.name == "postgresql":
        batches = [(table, _in_key_order(rows)) for table, rows in batches]
    shapes = tuple((table, tuple(rows[0])) for table, rows in batches)
    sql = _combined_insert(shapes, dialect) if dialect.name == "postgresql" else None
    if sql is None:
        for table, rows in batches:
            await _insert_rows(connection, table, rows)
        return
    params: list[list[Any]] = []
    for (table, columns), (_, rows) in zip(shapes, batches, strict=True):
        plan = _insert_plan(table, columns, dialect)
        assert plan is not None
        params.extend(_bound(columns, plan[1], rows))
    await connection.exec_driver_sql(sql, tuple(params))


def _in_key_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows keyed by a string id, sorted by it. Two instances storing the same records (a tablet
    pushing to both) each wait for the other's uncommitted key; with the keys taken in one order
    (tables parents first, then by key) one of them waits for the other's commit, where in arrival
    order each could hold a key the other needs and PostgreSQL would abort one after a second."""
    if not isinstance(rows[0].get("id"), str) or len(rows) < 2:
        return rows
    return sorted(rows, key=itemgetter("id"))


@functools.cache
def _table_order(table_count: int) -> dict[Table, int]:
    """Parents before children (foreign keys); sorting the metadata on every flush cost a hot path.
    Keyed by the table count, so tables registered later get a fresh order."""
    return {table: index for index, table in enumerate(SQLModel.metadata.sorted_tables)}


class WriteSet:
    """Staged inserts (by table, in order), audit entries, change rows and keyed updates."""

    def __init__(self) -> None:
        self._inserts: dict[Table, list[dict[str, Any]]] = {}
        self._audits: list[dict[str, Any]] = []
        self._changes: list[dict[str, Any]] = []
        self._updates: list[tuple[Table, str, dict[str, Any]]] = []

    def __bool__(self) -> bool:
        return bool(self._inserts or self._audits or self._changes or self._updates)

    def insert(self, model: type[SQLModel], row: dict[str, Any]) -> None:
        """Stage one row; every row of a table must name the same columns."""
        self._inserts.setdefault(model.__table__, []).append(row)  # type: ignore[attr-defined]

    def update(self, model: type[SQLModel], key: str, values: dict[str, Any]) -> None:
        """Stage ``UPDATE model SET values WHERE id = key`` (run after the inserts, in order)."""
        self._updates.append((model.__table__, key, values))  # type: ignore[attr-defined]

    def audit(
        self, *, actor: Actor, action: str, entity: str, entity_id: str = "", at: datetime,
        before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
    ) -> None:
        """Stage an audit entry (``before``/``after`` as JSON builtins); chained at flush."""
        self._audits.append(
            {"at": at, "actor_id": actor.id, "actor_name": actor.name, "action": action, "entity": entity,
             "entity_id": entity_id, "before": before, "after": after}
        )

    def change(self, **fields: Any) -> None:
        """Stage a change row for tablets (arguments of ``core.changes.change_row``)."""
        self._changes.append(change_row(**fields))

    def extend(self, other: WriteSet) -> None:
        """Append everything ``other`` staged, keeping its order after ours."""
        for table, rows in other._inserts.items():
            self._inserts.setdefault(table, []).extend(rows)
        self._audits.extend(other._audits)
        self._changes.extend(other._changes)
        self._updates.extend(other._updates)

    def rows(self, model: type[SQLModel]) -> list[dict[str, Any]]:
        """The rows staged for ``model`` so far (read-only use)."""
        return self._inserts.get(model.__table__, [])  # type: ignore[attr-defined]

    async def flush(self, session: AsyncSession) -> None:
        """Write everything staged in the session's transaction, then start empty again."""
        if not self:
            return
        await session.flush()
        connection = await session.connection()  # Core statements in the session's transaction
        order = _table_order(len(SQLModel.metadata.tables))
        batches = [(table, self._inserts[table]) for table in sorted(self._inserts, key=lambda t: order.get(t, len(order)))]
        if self._changes or self._audits:
            if connection.dialect.name == "postgresql" and batches:
                # New rows under fresh keys go in before the lock that serialises every writer of
                # every instance, so only audit entries and change rows are written while holding
                # it. Only a writer inserting the same key waits for these rows (two pushes of one
                # record racing): it waits for our commit, or, should it hold the lock already,
                # PostgreSQL ends the deadlock after a second and aborts one side, which runs again
                # (``core.database.lost_race``).
                await _insert_all(connection, batches)
                batches = []
            # Before any update of existing rows: a writer waiting here locks none another one needs.
            # With audit entries to chain, reading the chain head takes the lock in the same trip.
            prev = await chain_head(session) if self._audits else None
            await lock_sequences(session)
        if self._changes:
            batches.append((Change.__table__, self._changes))  # type: ignore[arg-type]
        if self._audits:
            assert prev is not None
            for entry in self._audits:
                entry["prev_hash"] = prev
                entry["hash"] = prev = entry_hash(prev, entry)
            batches.append((AuditEntry.__table__, self._audits))  # type: ignore[arg-type]
        if batches:
            await _insert_all(connection, batches)
        for table, key, values in self._updates:
            await connection.execute(update(table).where(table.c.id == key).values(**values))
        if self._audits:
            remember_chain_head(session, prev)
        self.__init__()  # type: ignore[misc]
