"""PostgreSQL: every table's staged rows inserted by one statement, in one round trip.

Why one statement: a group commit's flush spent a round trip per table while holding the lock
that orders audit and change appends, and each round trip also waited for the event loop, busy
with other requests, to resume it. Each table's insert is a data-modifying CTE (but the last);
foreign keys are checked at the end of the statement, so a child may sit beside its parent.

How the rows travel: as one JSON document per table, expanded by ``json_to_recordset``. Sent as
one array per column (``unnest``), asyncpg encoded 1,150 rows of a 50-submission group element by
element, with an abstract-class check per value: a fifth of the server's CPU, plus a Python pass
per column through SQLAlchemy's bind processors. msgspec encodes the rows, JSON columns included,
in one call. A table with a column type this does not cover (``_recordset_column``) keeps the
per-column arrays. Either way PostgreSQL stores what SQLAlchemy's own insert would: a Python
``None`` in a JSON column as JSON ``null``, timestamps as instants, and a string too long for its
column is refused, not cut.
"""

from __future__ import annotations

import functools
import math
from operator import itemgetter
from typing import Any

import msgspec
from sqlalchemy import Table
from sqlalchemy.sql import sqltypes
from sqlalchemy.types import TypeDecorator
from sqlmodel.sql.sqltypes import AutoString

from core.storage.audit_log import AuditEntry
from core.storage.changes import Change
from core.storage.db_types import UTCDateTime
from core.storage.row_binding import bound, insert_plan

Shape = tuple[Table, tuple[str, ...], bool]  # table, staged columns, whether the rows go as JSON
_NON_FINITE = {math.inf: "Infinity", -math.inf: "-Infinity"}


def in_key_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows keyed by a string id, sorted by it. Two instances storing the same records (a tablet
    pushing to both) each wait for the other's uncommitted key; with the keys taken in one order
    (tables parents first, then by key) one of them waits for the other's commit, where in arrival
    order each could hold a key the other needs and PostgreSQL would abort one after a second."""
    if len(rows) < 2 or not isinstance(rows[0].get("id"), str):
        return rows
    return sorted(rows, key=itemgetter("id"))


def _plain_string(column_type: Any) -> bool:
    """A string column both paths send as ``text``, so the insert's own cast refuses a value too
    long for it (an explicit ``::VARCHAR(n)`` would cut it); an enum keeps its own type."""
    return isinstance(column_type, sqltypes.String | AutoString) and not isinstance(column_type, sqltypes.Enum)


def _recordset_column(name: str, column_type: Any, dialect: Any) -> tuple[str, str, str | None] | None:
    """The column's entry in the record definition, its select expression, and which values need a
    look before encoding ("utc", "float"); None when its type is not covered."""
    quote = dialect.identifier_preparer.quote(name)
    if isinstance(column_type, UTCDateTime):
        return f"{quote} timestamptz", f"staged.{quote}", "utc"
    if isinstance(column_type, TypeDecorator) and not isinstance(column_type, AutoString):
        return None  # its own bind processing: keep SQLAlchemy's
    sql_type = column_type.compile(dialect=dialect)
    if isinstance(column_type, sqltypes.JSON):
        # SQLAlchemy writes None as JSON null (unless none_as_null); the record set makes it SQL NULL.
        value = f"staged.{quote}" if column_type.none_as_null else f"COALESCE(staged.{quote}, 'null'::{sql_type})"
        return f"{quote} {sql_type}", value, None
    if isinstance(column_type, sqltypes.Enum | sqltypes.ARRAY | sqltypes.Interval):
        return None
    if _plain_string(column_type):
        return f"{quote} text", f"staged.{quote}", None
    if isinstance(column_type, sqltypes.Float) and not column_type.asdecimal:
        return f"{quote} {sql_type}", f"staged.{quote}", "float"
    if isinstance(column_type, sqltypes.Integer | sqltypes.Boolean) or type(column_type) is sqltypes.Date:
        return f"{quote} {sql_type}", f"staged.{quote}", None
    return None


@functools.lru_cache(maxsize=512)
def _recordset_plan(table: Table, columns: tuple[str, ...], dialect: Any) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]] | None:
    """Record definitions, select expressions and the columns to look at, or None (not covered)."""
    defined, selected, checks = [], [], []
    for name in columns:
        entry = _recordset_column(name, table.c[name].type, dialect)
        if entry is None:
            return None
        defined.append(entry[0])
        selected.append(entry[1])
        if entry[2] is not None:
            checks.append((name, entry[2]))
    return tuple(defined), tuple(selected), tuple(checks)


def _recordset_insert(table: Table, columns: tuple[str, ...], dialect: Any, position: int, joined: str = "") -> str:
    """``INSERT … SELECT … FROM [joined, ]json_to_recordset($position)``."""
    plan = _recordset_plan(table, columns, dialect)
    assert plan is not None
    defined, selected, _ = plan
    names = ", ".join(dialect.identifier_preparer.quote(name) for name in columns)
    return (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({names}) "
        f"SELECT {', '.join(selected)} FROM {joined + ', ' if joined else ''}json_to_recordset(convert_from(${position}::bytea, 'UTF8')::json) AS staged ({', '.join(defined)})"
    )


def _unnest_insert(table: Table, columns: tuple[str, ...], dialect: Any, first: int) -> str:
    """``INSERT … SELECT … FROM unnest($first::type[], …)``: one array per column, parameters
    numbered from ``first``. JSON travels as text (what its bind processor makes) and is cast back."""
    quote = dialect.identifier_preparer.quote
    arrays, selected = [], []
    for position, name in enumerate(columns, start=first):
        column_type = table.c[name].type
        sql_type = column_type.compile(dialect=dialect)
        if isinstance(column_type, sqltypes.JSON):
            arrays.append(f"${position}::text[]")
            selected.append(f"{quote(name)}::{sql_type}")
        elif _plain_string(column_type):
            arrays.append(f"${position}::text[]")
            selected.append(quote(name))
        else:
            arrays.append(f"${position}::{sql_type}[]")
            selected.append(quote(name))
    names = ", ".join(quote(name) for name in columns)
    return (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({names}) "
        f"SELECT {', '.join(selected)} FROM unnest({', '.join(arrays)}) AS staged ({names})"
    )


@functools.lru_cache(maxsize=512)
def _combined_insert(shapes: tuple[Shape, ...], dialect: Any) -> str:
    """The statement; rows are inserted in document (or array) order, so ``seq`` keys follow
    staging order."""
    parts, position = [], 1
    for table, columns, as_json in shapes:
        if as_json:
            parts.append(_recordset_insert(table, columns, dialect, position))
            position += 1
        else:
            parts.append(_unnest_insert(table, columns, dialect, position))
            position += len(columns)
    *ctes, last = parts
    return (f"WITH {', '.join(f'staged_{n} AS ({sql})' for n, sql in enumerate(ctes))} " if ctes else "") + last


def _document(rows: list[dict[str, Any]], checks: tuple[tuple[str, str], ...], dialect: Any) -> bytes | None:
    """The rows as one JSON array in UTF-8, or None when a value cannot travel as JSON unchanged.
    Sent as bytes: as text, asyncpg re-encoded the decoded document (Chinese text makes it a
    wide string) to UTF-8 again, a fifth of a batch-50 request's CPU. A naive
    timestamp is refused as ``UTCDateTime`` refuses it; a non-finite float is spelled as
    PostgreSQL reads it (JSON has no NaN)."""
    for name, check in checks:
        if check == "utc":
            for value in {row[name] for row in rows}:
                if value is not None and value.tzinfo is None:
                    UTCDateTime().process_bind_param(value, dialect)  # raises as SQLAlchemy would
        else:
            spelled = None  # a copy, made only when a value needs spelling (the rows are the caller's)
            for index, row in enumerate(rows):
                value = row[name]
                if isinstance(value, float) and not math.isfinite(value):
                    spelled = spelled or list(rows)
                    spelled[index] = {**row, name: "NaN" if math.isnan(value) else _NON_FINITE[value]}
            rows = spelled or rows
    try:
        return msgspec.json.encode(rows)
    except (TypeError, msgspec.EncodeError):
        return None  # a value msgspec cannot encode: the arrays and SQLAlchemy's processors take it


def statement(batches: list[tuple[Table, list[dict[str, Any]]]], dialect: Any) -> tuple[str, tuple[Any, ...]] | None:
    """The one statement inserting every batch (parents first, as given) and its parameters, or
    None when a table needs SQLAlchemy's generic insert (a Python-side default, an ARRAY column:
    ``unnest`` would flatten an array of arrays)."""
    shapes: list[Shape] = []
    params: list[Any] = []
    for table, rows in batches:
        rows = in_key_order(rows)
        columns = tuple(rows[0])
        plan = insert_plan(table, columns, dialect)
        if plan is None:
            return None
        recordset = _recordset_plan(table, columns, dialect)
        document = _document(rows, recordset[2], dialect) if recordset is not None else None
        if document is not None:
            shapes.append((table, columns, True))
            params.append(document)
            continue
        if any(isinstance(table.c[name].type, sqltypes.ARRAY) for name in columns):
            return None
        shapes.append((table, columns, False))
        params.extend(bound(columns, plan[1], rows))
    return _combined_insert(tuple(shapes), dialect), tuple(params)


def chained_statement(
    changes: list[dict[str, Any]], audits: list[dict[str, Any]], payloads: list[bytes], lock_key: int, dialect: Any
) -> tuple[str, tuple[Any, ...]] | None:
    """One statement that takes the append lock, reads the chain head, links ``audits`` (their
    ``unlinked_payload``s, in order) and inserts them with ``changes``; it returns the new head.
    None when a row cannot travel as JSON (the caller then chains them itself).

    Every inserted row joins the chain's result, so none is given its ``seq`` before the lock is
    held: sequences stay in commit order (``core.storage.audit_log.lock_sequences``)."""
    shapes, params = [], [lock_key, payloads]
    for table, rows in ((Change.__table__, changes), (AuditEntry.__table__, audits)):
        if not rows:
            shapes.append((table, ()))
            continue
        columns = tuple(rows[0])
        recordset = _recordset_plan(table, columns, dialect)
        document = _document(rows, recordset[2], dialect) if recordset is not None else None
        if document is None:
            return None
        shapes.append((table, columns))
        params.append(document)
    return _chained_insert(shapes[0][1], shapes[1][1], dialect), tuple(params)


@functools.lru_cache(maxsize=64)
def _chained_insert(change_columns: tuple[str, ...], audit_columns: tuple[str, ...], dialect: Any) -> str:
    quote = dialect.identifier_preparer.quote
    parts = ["chain AS MATERIALIZED (SELECT anjian_chain_audit($1, $2::bytea[]) AS h)"]
    position = 3
    if change_columns:
        parts.append(f"staged_changes AS ({_recordset_insert(Change.__table__, change_columns, dialect, position, joined='chain')})")
        position += 1
    if audit_columns:
        table = AuditEntry.__table__
        plan = _recordset_plan(table, audit_columns, dialect)
        assert plan is not None
        defined, selected, _ = plan
        names = ", ".join(quote(name) for name in audit_columns)
        parts.append(
            f"staged_audits AS (INSERT INTO {dialect.identifier_preparer.format_table(table)} ({names}, prev_hash, hash) "
            f"SELECT {', '.join(selected)}, chain.h[staged.position], chain.h[staged.position + 1] "
            f"FROM chain, ROWS FROM (json_to_recordset(convert_from(${position}::bytea, 'UTF8')::json) AS ({', '.join(defined)})) "
            f"WITH ORDINALITY AS staged({names}, position))"
        )
    return f"WITH {', '.join(parts)} SELECT h[array_upper(h, 1)] FROM chain"
