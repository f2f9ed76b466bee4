"""Rows a write transaction will store, staged first and written with one statement per table.

Why: writing a tablet's submission row by row through the ORM cost ~45 statements and ~40 ms of
server CPU. Services instead *stage* rows here — plain dicts, validated and complete — and the
caller writes them once. Many records staged into one set (the sync push's group commit) share
those statements. Audit entries are chained when written, in staging order, from the chain head
of the transaction; change rows likewise keep staging order, so the change sequence and the audit
chain read exactly as if each row had been written on its own (a change row repeating the one
before it is staged once: ``WriteSet.change``).

A set is only written by ``flush``; discarding it (a record that failed validation) leaves no
trace. Pending ORM changes of the same session are flushed first, so staged rows may refer to them.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from core.storage import pg_bulk_insert
from core.storage.audit_log import (
    Actor,
    AuditEntry,
    chain_head,
    chain_lock_key,
    linked_hash,
    lock_sequences,
    note_chained,
    remember_chain_head,
    unlinked_payload,
)
from core.storage.changes import Change, change_row
from core.storage.row_binding import bound, insert_plan


async def _insert_rows(connection: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    """One executemany of staged rows (``core.storage.row_binding``)."""
    columns = tuple(rows[0])
    plan = insert_plan(table, columns, connection.dialect)
    if plan is None:
        await connection.execute(insert(table), rows)
        return
    sql, binders = plan
    await connection.exec_driver_sql(sql, list(zip(*bound(columns, binders, rows), strict=True)))  # type: ignore[arg-type]


async def _insert_all(connection: AsyncConnection, batches: list[tuple[Table, list[dict[str, Any]]]]) -> None:
    """Every table's staged rows, parents first: on PostgreSQL in one statement
    (``core.storage.pg_bulk_insert``), else one executemany per table."""
    combined = pg_bulk_insert.statement(batches, connection.dialect) if connection.dialect.name == "postgresql" else None
    if combined is None:
        for table, rows in batches:
            await _insert_rows(connection, table, rows)
        return
    await connection.exec_driver_sql(*combined)


async def _append_chained(
    session: AsyncSession, connection: AsyncConnection, changes: list[dict[str, Any]], audits: list[dict[str, Any]], payloads: list[bytes]
) -> bool:
    """PostgreSQL, lock not yet held: take it, chain the audit entries and insert them with the change
    rows in one statement (``core.storage.pg_bulk_insert.chained_statement``), so the lock is held for one
    round trip less and nothing is left for the server to do while holding it. False when this
    does not apply (the caller chains them itself)."""
    key = chain_lock_key(session)  # None on SQLite
    if key is None:
        return False
    combined = pg_bulk_insert.chained_statement(changes, audits, payloads, key, connection.dialect)
    if combined is None:
        return False
    head = (await connection.exec_driver_sql(*combined)).scalar_one()
    note_chained(session, head)
    return True


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
        self._audit_payloads: list[bytes] = []  # each entry's hashed document but the link (``core.storage.audit_log``)
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
        """Stage an audit entry (``before``/``after`` as JSON builtins, left unchanged from now on: its
        hashed document is encoded here); chained at flush."""
        entry = {"at": at, "actor_id": actor.id, "actor_name": actor.name, "action": action, "entity": entity, "entity_id": entity_id, "before": before, "after": after}
        self._audits.append(entry)
        self._audit_payloads.append(unlinked_payload(entry))

    def change(self, **fields: Any) -> None:
        """Stage a change row for tablets (arguments of ``core.storage.changes.change_row``). One equal to
        the row staged just before it is left out: committed together, the two would tell a pull
        the same thing (a hazard created and ordered at once, by a push, staged two)."""
        row = change_row(**fields)
        if not self._changes or self._changes[-1] != row:
            self._changes.append(row)

    def extend(self, other: WriteSet) -> None:
        """Append everything ``other`` staged, keeping its order after ours."""
        for table, rows in other._inserts.items():
            self._inserts.setdefault(table, []).extend(rows)
        self._audits.extend(other._audits)
        self._audit_payloads.extend(other._audit_payloads)
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
        chained = False
        if self._changes or self._audits:
            if connection.dialect.name == "postgresql" and batches:
                # New rows under fresh keys go in before the lock that serialises every writer of
                # every instance, so only audit entries and change rows are written while holding
                # it. Only a writer inserting the same key waits for these rows (two pushes of one
                # record racing): it waits for our commit, or, should it hold the lock already,
                # PostgreSQL ends the deadlock after a second and aborts one side, which runs again
                # (``core.storage.database.lost_race``).
                await _insert_all(connection, batches)
                batches = []
            # Before any update of existing rows: a writer waiting here locks none another one needs.
            chained = bool(self._audits) and await _append_chained(session, connection, self._changes, self._audits, self._audit_payloads)
            if not chained:
                # With audit entries to chain, reading the chain head takes the lock in the same trip.
                prev = await chain_head(session) if self._audits else None
                await lock_sequences(session)
                if self._changes:
                    batches.append((Change.__table__, self._changes))  # type: ignore[arg-type]
                if self._audits:
                    assert prev is not None
                    for entry, payload in zip(self._audits, self._audit_payloads, strict=True):
                        entry["prev_hash"] = prev
                        entry["hash"] = prev = linked_hash(payload, prev)
                    batches.append((AuditEntry.__table__, self._audits))  # type: ignore[arg-type]
        if batches:
            await _insert_all(connection, batches)
        for table, key, values in self._updates:
            await connection.execute(update(table).where(table.c.id == key).values(**values))
        if self._audits and not chained:
            remember_chain_head(session, prev)
        self.__init__()  # type: ignore[misc]
