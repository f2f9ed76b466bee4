"""Staged rows bound as SQLAlchemy would bind them, without its per-row, per-value generic path.

Why: binding values through ``insert(table)`` took a third of a group commit's CPU. Staged rows of
one table all name the same columns, so the statement and each column's bind processor are looked
up once and applied column by column, giving the database exactly the values SQLAlchemy would.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, insert

from core.storage.db_types import UTCDateTime

Binder = tuple[Callable[[Any], Any] | None, bool]


def binder(column_type: Any, dialect: Any) -> Binder:
    """The column's bind processor, and whether its values repeat enough to convert each distinct
    one once: a group's rows share a handful of timestamps (its ``now`` above all), and converting
    a timestamp (to UTC, then to SQLite's text) cost as much as encoding the JSON columns. Only
    ``UTCDateTime``: its result depends on the instant alone, so equal instants written in other
    zones (equal as keys) convert alike; a plain ``DateTime`` keeps each value's wall clock."""
    return column_type._cached_bind_processor(dialect), isinstance(column_type, UTCDateTime)


@functools.lru_cache(maxsize=512)
def insert_plan(table: Table, columns: tuple[str, ...], dialect: Any) -> tuple[str, tuple[Binder, ...]] | None:
    """The INSERT of ``columns`` in the dialect's own SQL and how each column's values are bound,
    or None when the statement needs more than the staged values (a Python-side column default)."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    if list(compiled.positiontup or ()) != list(columns):
        return None
    return str(compiled), tuple(binder(table.c[name].type, dialect) for name in columns)


def bound(columns: tuple[str, ...], binders: tuple[Binder, ...], rows: list[dict[str, Any]]) -> list[list[Any]]:
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
