"""Throw-away PostgreSQL databases for tests and benchmarks: created fresh, dropped afterwards."""

from __future__ import annotations

import uuid


def _plain(dsn: str) -> str:
    return dsn.replace("postgresql+asyncpg://", "postgresql://")


async def create_pg_database(dsn: str, prefix: str = "anjian_t", template: str | None = None) -> tuple[str, str]:
    """A fresh database on the server ``dsn`` points at: (its SQLAlchemy URL, its name); a copy of
    the database ``template`` when given (PostgreSQL copies its files: far faster than migrating)."""
    import asyncpg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(_plain(dsn))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    finally:
        await conn.close()
    base, _, _ = dsn.rpartition("/")
    return f"{base}/{name}", name


async def drop_pg_database(dsn: str, name: str) -> None:
    """Drop ``name`` (connections still open to it are ended)."""
    import asyncpg

    conn = await asyncpg.connect(_plain(dsn))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
