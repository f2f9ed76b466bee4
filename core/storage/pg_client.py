"""PostgreSQL's own client programs (``pg_dump``, ``pg_restore``) for backups, and the few
statements a restore needs before them.

``pg_dump`` in its custom format is the consistent, version-tolerant copy of a live database that
PostgreSQL itself offers (one snapshot, no lock on writers); writing our own dump would redo it
worse. The connection comes from ``ANJIAN_DATABASE_URL``, passed in libpq's environment variables
so that the password never appears on a command line (``ps`` shows those to every user).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class PgClientError(RuntimeError):
    """A PostgreSQL client program is missing or failed; the message says which and why."""


def libpq_environment(database_url: str) -> dict[str, str]:
    """``PGHOST``, ``PGPORT``, ``PGUSER``, ``PGPASSWORD``, ``PGDATABASE`` (and ``PGSSLMODE``) of a
    ``postgresql+asyncpg://`` URL, on top of this process's environment."""
    url = make_url(database_url)
    env = dict(os.environ)
    values = {
        "PGHOST": url.host or str(url.query.get("host") or ""),
        "PGPORT": str(url.port or ""),
        "PGUSER": url.username or "",
        "PGPASSWORD": url.password or "",
        "PGDATABASE": url.database or "",
        "PGSSLMODE": str(url.query.get("sslmode") or url.query.get("ssl") or ""),
    }
    env.update({key: value for key, value in values.items() if value})
    return env


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise PgClientError(
            f"{name} not found: install PostgreSQL's client programs (postgresql-client), of the server's major version or newer "
            f"(未找到 {name}，请安装与服务器同版本或更新的 PostgreSQL 客户端)"
        )
    return found


def _run(arguments: list[str], database_url: str) -> None:
    done = subprocess.run(arguments, env=libpq_environment(database_url), capture_output=True, text=True)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise PgClientError(f"{Path(arguments[0]).name} failed: {' / '.join(detail[-3:]) or f'exit code {done.returncode}'}")


def dump(database_url: str, target: Path) -> None:
    """The whole database into ``target`` (custom format: compressed, restorable selectively)."""
    _run([_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], database_url)


def restore(database_url: str, source: Path) -> None:
    """Load a custom-format dump into the (emptied) database, all or nothing."""
    _run([_program("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          f"--dbname={make_url(database_url).database}", str(source)], database_url)


async def _connect(database_url: str):  # type: ignore[no-untyped-def]
    import asyncpg

    try:
        return await asyncpg.connect(plain_dsn(database_url), timeout=30)
    except (OSError, asyncpg.PostgresError, asyncio.TimeoutError) as exc:
        raise PgClientError(f"cannot connect to PostgreSQL database {make_url(database_url).database!r}: {exc}") from exc


def plain_dsn(database_url: str) -> str:
    """The URL as asyncpg itself takes it (without SQLAlchemy's ``+asyncpg``)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


async def table_count(database_url: str) -> int:
    """Tables in the database's current schema: 0 for a database nothing was put in yet."""
    conn = await _connect(database_url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"))
    finally:
        await conn.close()


async def revisions(database_url: str) -> list[str]:
    """The migration revisions recorded in the database (empty before the first migration)."""
    conn = await _connect(database_url)
    try:
        if await conn.fetchval("SELECT to_regclass('alembic_version')") is None:
            return []
        return sorted(row[0] for row in await conn.fetch("SELECT version_num FROM alembic_version"))
    finally:
        await conn.close()


async def empty_schema(database_url: str) -> None:
    """Drop everything in the current schema and create it anew (``anjian restore --force``)."""
    conn = await _connect(database_url)
    try:
        schema = await conn.fetchval("SELECT current_schema()")
        quoted = '"' + schema.replace('"', '""') + '"'
        async with conn.transaction():
            await conn.execute(f"DROP SCHEMA {quoted} CASCADE")
            await conn.execute(f"CREATE SCHEMA {quoted}")
    finally:
        await conn.close()
