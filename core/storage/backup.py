"""``anjian backup``: the database and the data directory in one ``.tar.gz``, taken while running.

The archive holds ``manifest.json`` (format, when, which engine, the schema's revisions), the
database — ``database.sqlite``, a copy by SQLite's online backup API (consistent while the server
writes, WAL included), or ``database.pgdump``, ``pg_dump``'s custom format — and ``data/``: the
data directory as it is, with the server secret (``secret_key``: audit anchors and tokens depend
on it) and the attachments. The archive is written next to its target and renamed into place,
readable by its owner only (it holds the secret). ``core.storage.restore`` reads it back.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from core.settings import Settings
from core.storage import pg_client

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite"
PG_MEMBER = "database.pgdump"
DATA_MEMBER = "data"


class BackupError(RuntimeError):
    """The backup or restore cannot be made; the message says why (English and Chinese)."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    engine: str
    revisions: list[str]
    data_files: int


def sqlite_path(settings: Settings) -> Path:
    """The SQLite database file of the settings' URL."""
    database = make_url(settings.database_url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored (内存数据库无法备份或恢复)")
    return Path(database)


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (the online backup API: the pages of one read
    snapshot, including what is still in the WAL), as one file without a WAL."""
    if not source.is_file():
        raise BackupError(f"database file {source} not found (数据库文件不存在)")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    src.close()
    dst.close()


def sqlite_revisions(path: Path) -> list[str]:
    """The migration revisions recorded in a SQLite file (empty before the first migration)."""
    with sqlite3.connect(path) as conn:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone() is None:
            found: list[str] = []
        else:
            found = sorted(row[0] for row in conn.execute("SELECT version_num FROM alembic_version"))
    conn.close()
    return found


def _skipped(settings: Settings, out: Path) -> set[Path]:
    """Files of the data directory not to archive: the archive itself and a SQLite database kept
    there (it is archived from its consistent copy, never as a file being written)."""
    skip = {out.resolve()}
    if settings.is_sqlite:
        db = sqlite_path(settings).resolve()
        skip |= {db, *(db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal"))}
    return skip


def _add_data_dir(archive: tarfile.TarFile, data_dir: Path, skip: set[Path]) -> int:
    count = 0
    if not data_dir.is_dir():
        return count
    for root, dirs, files in os.walk(data_dir):
        dirs.sort()
        for name in sorted(files):
            path = Path(root, name)
            if path.resolve() in skip or not path.is_file():
                continue
            archive.add(path, arcname=f"{DATA_MEMBER}/{path.relative_to(data_dir).as_posix()}", recursive=False)
            count += 1
    return count


def _manifest(engine: str, revisions: list[str], now: datetime) -> bytes:
    return json.dumps({"format": FORMAT, "created_at": now.isoformat(), "engine": engine, "revisions": sorted(revisions)}, indent=2).encode()


def create_backup(settings: Settings, out: Path, *, now: datetime) -> BackupInfo:
    """Write the archive to ``out`` (see the module docstring)."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    engine = "sqlite" if settings.is_sqlite else "postgresql"
    with tempfile.TemporaryDirectory(prefix=".anjian-backup-", dir=out.parent) as work:
        database = Path(work) / (SQLITE_MEMBER if engine == "sqlite" else PG_MEMBER)
        if engine == "sqlite":
            copy_sqlite(sqlite_path(settings), database)
            revisions = sqlite_revisions(database)
        else:
            try:
                revisions = asyncio.run(pg_client.revisions(settings.database_url))
                pg_client.dump(settings.database_url, database)
            except pg_client.PgClientError as exc:
                raise BackupError(f"{exc} (PostgreSQL 备份失败)") from exc
        manifest = Path(work) / MANIFEST
        manifest.write_bytes(_manifest(engine, revisions, now))
        partial = Path(work) / "archive.tar.gz"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # it holds the secret
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(manifest, arcname=MANIFEST)
            archive.add(database, arcname=database.name)
            files = _add_data_dir(archive, Path(settings.data_dir), _skipped(settings, out))
        os.replace(partial, out)
    return BackupInfo(path=out, engine=engine, revisions=revisions, data_files=files)
