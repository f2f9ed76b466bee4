"""SQLite statements run on the event loop's own thread instead of a hand-off to aiosqlite's thread.

Why: aiosqlite runs every call (cursor, execute, fetch, close, rollback) on a worker thread and
wakes the event loop for the answer. Measured here, a ``SELECT 1`` through SQLAlchemy cost 0.8 ms
of CPU that way and 0.15 ms synchronously; an authenticated request spent most of its CPU on
these hand-offs, not on SQLite. A statement against a local SQLite file in WAL mode takes
microseconds and waits for a lock only when a write transaction begins while another *process*
writes (this process queues its own writers, ``Database.write``). So this connection, handed to
SQLAlchemy's aiosqlite dialect through ``async_creator``, runs statements inline, except where
they could stall every other request:

- ``BEGIN IMMEDIATE`` is tried without waiting; if another process holds the write lock, the
  wait (up to the busy timeout) happens on a worker thread.
- ``COMMIT`` runs on a worker thread: it may checkpoint the WAL into the database file.
- A ``SELECT`` gets a time budget (``SELECT_BUDGET_S``); one that runs longer (a report over
  years of history, a page of 500 enterprises for a tablet's pull) is interrupted and run again on
  a worker thread, and its SQL text is remembered so that it goes there directly next time (the
  interrupted try is wasted work). Only reads are interrupted: interrupting a write would roll
  back the whole transaction.
- Large ``executemany`` calls (bulk imports) run on a worker thread.

The sqlite3 connection is opened with ``check_same_thread=False``; a connection is used by one
coroutine at a time (SQLAlchemy's pool), and every call first waits for a call still running on a
worker thread (one whose caller was cancelled keeps running), so the two threads never use the
connection at once.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

SELECT_BUDGET_S = 0.005  # a read that runs longer moves to a worker thread
_PROGRESS_STEPS = 2_000  # SQLite VM instructions between budget checks
_THREAD_EXECUTEMANY_ROWS = 500  # larger batches are written on a worker thread
_SLOW_SELECTS_KEPT = 512
_slow_selects: OrderedDict[str, None] = OrderedDict()  # SQL of reads that went over budget, newest last


def _remember_slow(sql: str) -> None:
    _slow_selects[sql] = None
    _slow_selects.move_to_end(sql)
    while len(_slow_selects) > _SLOW_SELECTS_KEPT:
        _slow_selects.popitem(last=False)


def _verb(sql: str) -> str:
    head = sql.lstrip()[:16].upper()
    return head.split(None, 1)[0] if head else ""


async def connect(database: str, *, timeout_s: float, **kwargs: Any) -> InlineConnection:
    """Open the file on a worker thread (it may run WAL recovery) and wrap it."""
    conn = await asyncio.to_thread(sqlite3.connect, database, timeout=timeout_s, check_same_thread=False, **kwargs)
    return InlineConnection(conn, timeout_s)


class _InlineQueue:
    """Stands in for aiosqlite's request queue, which SQLAlchemy's adapter uses to set
    ``isolation_level``: the function runs at once."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting future
            if future is not None:
                future.set_exception(exc)
            return
        if future is not None:
            future.set_result(result)


class InlineConnection:
    """The subset of ``aiosqlite.Connection`` SQLAlchemy's aiosqlite dialect uses."""

    def __init__(self, conn: sqlite3.Connection, timeout_s: float) -> None:
        self._connection: sqlite3.Connection | None = conn
        self._busy_ms = int(timeout_s * 1000)
        self._tx = _InlineQueue()
        self._deadline = 0.0
        self._offloaded: asyncio.Future[Any] | None = None
        conn.set_progress_handler(self._over_budget, _PROGRESS_STEPS)

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._connection is None:
            raise ValueError("no active connection")
        return self._connection

    def _over_budget(self) -> int:
        # Nonzero interrupts the running statement; only armed while a SELECT runs inline.
        return 1 if self._deadline and time.perf_counter() > self._deadline else 0

    async def offload(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run ``function`` on a worker thread; it finishes even if the caller is cancelled."""
        await self.settle()
        self._offloaded = asyncio.ensure_future(asyncio.to_thread(function, *args))
        return await asyncio.shield(self._offloaded)

    async def settle(self) -> None:
        """Wait for an offloaded call that is still running (its outcome went to its caller)."""
        if self._offloaded is not None and not self._offloaded.done():
            await asyncio.wait([self._offloaded])

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> InlineCursor:
        return InlineCursor(self, self._conn.cursor())

    async def commit(self) -> None:
        await self.offload(self._conn.commit)

    async def rollback(self) -> None:
        await self.settle()
        self._conn.rollback()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def close(self) -> None:
        await self.settle()
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def stop(self) -> None:
        """Used by SQLAlchemy to terminate a connection it gave up on (after an offloaded call ends)."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        if self._offloaded is not None and not self._offloaded.done():
            self._offloaded.add_done_callback(lambda _: connection.close())
        else:
            connection.close()


class InlineCursor:
    """The subset of ``aiosqlite.Cursor`` SQLAlchemy uses. A SELECT's rows are all read at execute
    (within its budget), so ``stream()`` on SQLite does not bound memory; nothing here streams."""

    def __init__(self, owner: InlineConnection, cursor: sqlite3.Cursor) -> None:
        self._owner = owner
        self._cursor = cursor
        self._rows: list[Any] | None = None

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> InlineCursor:
        await self._owner.settle()
        args = (sql,) if parameters is None else (sql, parameters)
        verb = _verb(sql)
        if verb == "SELECT":
            await self._select(args)
        elif verb == "BEGIN" and any(mode in sql.upper() for mode in ("IMMEDIATE", "EXCLUSIVE")):
            await self._begin_write(args)
        elif verb == "COMMIT":
            await self._owner.offload(self._cursor.execute, *args)
        else:
            self._cursor.execute(*args)
        return self

    async def _select(self, args: tuple[Any, ...]) -> None:
        owner = self._owner
        if args[0] in _slow_selects:
            self._rows = await owner.offload(self._select_all, args)
            return
        owner._deadline = time.perf_counter() + SELECT_BUDGET_S
        try:
            self._cursor.execute(*args)
            self._rows = self._cursor.fetchall() if self._cursor.description else None
            return
        except sqlite3.OperationalError as exc:
            if str(exc) != "interrupted":
                raise
        finally:
            owner._deadline = 0.0
        # Over budget: read it again, all of it, where it stalls no one; and go there at once next time.
        _remember_slow(args[0])
        self._rows = await owner.offload(self._select_all, args)

    def _select_all(self, args: tuple[Any, ...]) -> list[Any] | None:
        self._cursor.execute(*args)
        return self._cursor.fetchall() if self._cursor.description else None

    async def _begin_write(self, args: tuple[Any, ...]) -> None:
        conn = self._owner._conn
        conn.execute("PRAGMA busy_timeout=0")
        try:
            self._cursor.execute(*args)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
        finally:
            conn.execute(f"PRAGMA busy_timeout={self._owner._busy_ms}")
        # Another process writes: wait for its lock (up to the busy timeout) off the loop.
        await self._owner.offload(self._cursor.execute, *args)

    async def executemany(self, sql: str, seq_of_parameters: Iterable[Any]) -> InlineCursor:
        await self._owner.settle()
        rows = seq_of_parameters if isinstance(seq_of_parameters, Sequence) else list(seq_of_parameters)
        if len(rows) > _THREAD_EXECUTEMANY_ROWS:
            await self._owner.offload(self._cursor.executemany, sql, rows)
        else:
            self._cursor.executemany(sql, rows)
        return self

    async def fetchall(self) -> list[Any]:
        if self._rows is not None:
            rows, self._rows = self._rows, []
            return rows
        return self._cursor.fetchall()

    async def fetchone(self) -> Any:
        if self._rows is not None:
            return self._rows.pop(0) if self._rows else None
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        if self._rows is not None:
            count = size or self._cursor.arraysize
            rows, self._rows = self._rows[:count], self._rows[count:]
            return rows
        return self._cursor.fetchmany(size or self._cursor.arraysize)

    async def close(self) -> None:
        await self._owner.settle()
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


def inline_creator(database: str, timeout_s: float, **kwargs: Any) -> Callable[[], Any]:
    """An ``async_creator`` for ``create_async_engine``."""
    return partial(connect, database, timeout_s=timeout_s, **kwargs)
