"""The database: one async engine, short read and write transactions, SQLite tuned for a server.

SQLite runs in WAL mode with a busy timeout and foreign keys on. Write transactions start with
``BEGIN IMMEDIATE``: a deferred transaction that later upgrades to a write lock fails at once with
"database is locked" and ignores the busy timeout. Reads stay deferred so they never queue behind
writers. PostgreSQL (asyncpg) runs the same code.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from typing import Any

import msgspec
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.sql import Executable
from sqlmodel.ext.asyncio.session import AsyncSession

from core.storage.sqlite_inline import inline_creator

_BEGIN_OPTION = "anjian_sqlite_begin"
SQLITE_BUSY_TIMEOUT_MS = 10_000
PG_POOL = (30, 10)  # kept open, opened on top in a burst (Settings.pg_pool_size / pg_max_overflow)
PG_KEY_READ_CONNECTIONS = 10  # at most, beside the pool, for authentication's lookups (core.storage.pg_key_reads)


def _tune_sqlite(engine: AsyncEngine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (pysqlite's implicit transactions are wrong for this).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        if mode is not None:  # None: no transaction (``Database.fetch_one``)
            conn.exec_driver_sql(f"BEGIN {mode}")


# A pooled PostgreSQL connection idle longer than this is pinged before use (``_ping_when_idle``).
IDLE_PING_S = 10.0


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Check a pooled connection that sat idle (a restarted server, a firewall that dropped it)
    before handing it out, and replace it if it is dead.

    Why not ``pool_pre_ping``: it pings on every checkout, a round trip that cost 0.45 ms of
    server CPU out of 2 ms for an authenticated request. A connection in steady use is not
    pinged; should the server restart under it, the request gets a retryable 503 and SQLAlchemy
    discards every connection of the pool made before the failure."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["anjian_idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("anjian_idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_S:
            return
        try:
            dbapi_connection.ping()
        except Exception as exc:  # noqa: BLE001 - any failure means the connection is unusable
            raise DisconnectionError("idle connection failed its ping") from exc  # the pool replaces it


# What a temporary condition of the database says (SQLite, PostgreSQL): the statement may succeed
# when retried. Other OperationalErrors ("no such table") are bugs and stay 500.
_TRANSIENT_MARKERS = (
    "database is locked", "disk is full", "database or disk is full", "no space left", "deadlock detected", "could not serialize",
    "connection was closed", "connection is closed", "terminating connection", "server closed the connection", "connection refused",
    "the database system is starting up", "the database system is shutting down", "too many connections",
)


def is_transient(exc: BaseException) -> bool:
    """Whether a database error is temporary — locked, full, a lost connection, an exhausted pool —
    so the request should be answered 503 (retry later) instead of judging the record it carried."""
    if isinstance(exc, PoolTimeout):
        return True  # every pooled connection busy for pool_timeout seconds
    if _is_raw_connection_error(exc):
        return True  # a lookup on asyncpg directly (core.storage.pg_key_reads) lost its server twice
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated or isinstance(exc, InterfaceError):
        return True  # the connection was lost (SQLAlchemy has discarded it from the pool)
    text = str(exc).lower()
    return any(marker in text for marker in _TRANSIENT_MARKERS)


# SQLSTATEs of a transaction PostgreSQL aborted only because of another one running beside it:
# run again, it meets the other's committed rows instead (a deadlock, a serialization failure).
_LOST_RACE_STATES = frozenset({"40P01", "40001"})


def lost_race(exc: BaseException) -> bool:
    """Whether PostgreSQL aborted the transaction to break a deadlock or a serialization conflict
    with a concurrent one: nothing of it was stored, and the same work retried at once will succeed
    or see what the other transaction committed. Callers retry it themselves before answering 503."""
    if not isinstance(exc, DBAPIError):
        return False
    return getattr(exc.orig, "sqlstate", None) in _LOST_RACE_STATES


def _is_raw_connection_error(exc: BaseException) -> bool:
    module = type(exc).__module__ or ""
    if not module.startswith("asyncpg") and not isinstance(exc, ConnectionError):
        return False
    from core.storage.pg_key_reads import CONNECTION_ERRORS

    return isinstance(exc, CONNECTION_ERRORS)


def _sqlite_key_reader(url: str, timeout_s: float) -> Engine | None:
    """A synchronous engine on the same SQLite file for ``Database.fetch_one`` (None for an
    in-memory database, which a second engine would not share). Its connections are read-only
    and in autocommit."""
    parsed = make_url(url)
    if not parsed.database or parsed.database == ":memory:" or "memory" in str(parsed.query.get("mode", "")):
        return None
    engine = create_engine(
        parsed.set(drivername="sqlite+pysqlite"), json_serializer=_json_dumps, json_deserializer=msgspec.json.decode,
        connect_args={"timeout": timeout_s, "check_same_thread": False}, pool_size=2, max_overflow=14,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # autocommit: no BEGIN, nothing to roll back
        dbapi_connection.execute("PRAGMA query_only=ON")

    return engine


def _inline_creator(url: str, timeout_s: float) -> Any:
    parsed = make_url(url)
    args, opts = parsed.get_dialect()().create_connect_args(parsed)
    opts.pop("check_same_thread", None)
    return inline_creator(args[0], timeout_s, **opts)


def _json_dumps(value: Any) -> str:
    return msgspec.json.encode(value).decode("utf-8")


class Database:
    """Owns the engine and hands out sessions: ``read()`` for queries, ``write()`` for changes."""

    def __init__(
        self, url: str, *, echo: bool = False, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS, sqlite_inline: bool = True,
        pg_pool: tuple[int, int] = PG_POOL,
    ) -> None:
        """``busy_timeout_ms``: how long a SQLite writer waits for the lock before "database is locked";
        ``sqlite_inline``: run SQLite statements on the event loop's thread (``core.storage.sqlite_inline``)
        instead of aiosqlite's worker thread; ``pg_pool``: PostgreSQL connections kept open, and
        how many more a burst may open."""
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # JSON columns (industries, answers, audit snapshots …) are read in bulk by pulls and
        # reports; msgspec decodes them several times faster than the standard library.
        kwargs: dict[str, Any] = {"echo": echo, "json_serializer": _json_dumps, "json_deserializer": msgspec.json.decode}
        if self.is_sqlite:
            # WAL admits any number of readers. The default pool (5 + 10 overflow) opened and closed
            # an aiosqlite connection (a thread, four PRAGMAs) for most requests once 64 tablets
            # pushed at once; keep enough connections open for that instead.
            kwargs.update(pool_size=16, max_overflow=48)
            if sqlite_inline:
                kwargs["async_creator"] = _inline_creator(url, busy_timeout_ms / 1000)
            else:
                kwargs["connect_args"] = {"timeout": busy_timeout_ms / 1000}
        else:
            # Connections beyond the pool's size are closed when returned. With 10 kept, 64 tablets
            # pushing at once opened and closed connections all the time: each cost a server
            # process and, on the event loop, DSN parsing and an SSL context (25 ms stalls of every
            # request), and PostgreSQL 1 × 64 pushes went from ~220 to ~280/s with 30 kept.
            kwargs.update(pool_size=pg_pool[0], max_overflow=pg_pool[1])
        self.engine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            _tune_sqlite(self.engine, busy_timeout_ms)
        else:
            _ping_when_idle(self.engine)
        write_engine = self.engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        # One statement needs no transaction on either engine: SQLite then runs it in autocommit
        # (no BEGIN, nothing to roll back); PostgreSQL saves BEGIN and ROLLBACK round trips.
        self._single_reads = self.engine.execution_options(**({_BEGIN_OPTION: None} if self.is_sqlite else {"isolation_level": "AUTOCOMMIT"}))
        # Key lookups skip the async engine: on SQLite (statements inline anyway) they run on a
        # plain engine, on PostgreSQL straight on asyncpg (``core.storage.pg_key_reads``).
        self._key_reads = _sqlite_key_reader(url, busy_timeout_ms / 1000) if self.is_sqlite and sqlite_inline else None
        self._pg_key_reads: Any = None
        if not self.is_sqlite:
            from core.storage.pg_key_reads import PgKeyReads

            self._pg_key_reads = PgKeyReads(make_url(url), self.engine.dialect, max_size=PG_KEY_READ_CONNECTIONS)
        # PostgreSQL sessions for reads run in autocommit too: under READ COMMITTED every statement
        # takes its own snapshot inside a transaction as well, so BEGIN and ROLLBACK only cost two
        # round trips (each a wake-up of the event loop) per request. SQLite keeps the transaction:
        # there it holds one snapshot for all of a read's statements.
        read_engine = self.engine if self.is_sqlite else self._single_reads
        self._reads = async_sessionmaker(read_engine, class_=AsyncSession, expire_on_commit=False)
        self._writes = async_sessionmaker(write_engine, class_=AsyncSession, expire_on_commit=False)
        # SQLite admits one writer; its busy handler polls with growing sleeps, so many waiting
        # writers leave the lock idle and some starve past the busy timeout (503). Queue this
        # process's writers in order instead; other processes still meet the busy timeout.
        self._write_turn: asyncio.Lock | None = asyncio.Lock() if self.is_sqlite else None

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for queries; its transaction is rolled back at the end."""
        async with self._reads() as session:
            yield session

    async def fetch_one(self, statement: Executable, params: dict[str, Any]) -> Sequence[Any] | None:
        """The first row of one read statement, outside any transaction: every request's
        authentication (a lookup by key), where BEGIN and ROLLBACK cost more than the query.
        Several statements that must agree with each other belong in ``read()``.

        It skips the async engine. On SQLite (statements inline) it runs synchronously on a plain
        engine: through the async engine (greenlets, pool events, three trips through the event
        loop) the lookup cost 0.32 ms of CPU against 0.006 ms for the query itself, a tenth of a
        push's server CPU. On PostgreSQL it runs on asyncpg directly (``core.storage.pg_key_reads``,
        0.44 → 0.09 ms). Rows come back as the engine would return them, as tuples."""
        if self._key_reads is not None:
            with self._key_reads.connect() as conn:
                return conn.execute(statement, params).first()
        if self._pg_key_reads is not None:
            return await self._pg_key_reads.fetch_one(statement, params)
        async with self._single_reads.connect() as conn:
            return (await conn.execute(statement, params)).first()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A session in one short write transaction, committed on success, rolled back on error."""
        turn: AbstractAsyncContextManager[Any] = self._write_turn if self._write_turn is not None else nullcontext()
        async with turn, self._writes() as session:
            async with session.begin():
                yield session

    async def dispose(self) -> None:
        """Close every pooled connection."""
        if self._key_reads is not None:
            self._key_reads.dispose()
        if self._pg_key_reads is not None:
            await self._pg_key_reads.close()
        await self.engine.dispose()
