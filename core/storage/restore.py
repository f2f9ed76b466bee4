"""``anjian restore``: put an ``anjian backup`` archive back, into the configured database and
data directory. Stop the server first.

A database that already holds tables is refused unless ``force``: a restore replaces it whole
(SQLite: the file; PostgreSQL: everything in the current schema), and a mistyped
``ANJIAN_DATABASE_URL`` must not cost a live database. The archive's engine must be the
configured one (a SQLite backup goes back into SQLite). The data directory gets the archive's
files (the secret, the attachments), over any of the same name; others in it are left alone.
Archive members are unpacked with tarfile's ``data`` filter: no absolute paths, no ``..``, no
links out, no devices — an archive is input like any other.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from core.settings import Settings
from core.storage import pg_client
from core.storage.backup import DATA_MEMBER, FORMAT, MANIFEST, PG_MEMBER, SQLITE_MEMBER, BackupError, sqlite_path


@dataclass(frozen=True)
class RestoreInfo:
    engine: str
    created_at: str
    revisions: list[str]
    data_files: int


def read_manifest(unpacked: Path) -> dict[str, Any]:
    """The archive's manifest, checked: a format this code reads, an engine it knows."""
    try:
        manifest = json.loads((unpacked / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"not an anjian backup: {MANIFEST} missing or unreadable (不是 anjian 备份文件)") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or manifest.get("engine") not in ("sqlite", "postgresql"):
        raise BackupError(f"unsupported backup format {manifest.get('format') if isinstance(manifest, dict) else '?'} (不支持的备份格式)")
    return manifest


def sqlite_has_tables(path: Path) -> bool:
    """Whether the SQLite file exists and holds any table."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        found = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0
    conn.close()
    return found


def _refuse_unless_forced(target: str, force: bool) -> None:
    if not force:
        raise BackupError(
            f"the database {target} is not empty: restoring replaces it whole; stop the server and add --force to do so "
            "(目标数据库不为空：恢复将整体覆盖它，请先停止服务并加 --force)"
        )


def _restore_sqlite(settings: Settings, unpacked: Path, force: bool) -> None:
    target = sqlite_path(settings)
    if sqlite_has_tables(target):
        _refuse_unless_forced(str(target), force)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(unpacked / SQLITE_MEMBER, staged)
    for suffix in ("-wal", "-shm", "-journal"):  # a stale WAL would be replayed onto the restored file
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    os.replace(staged, target)


def _restore_postgresql(settings: Settings, unpacked: Path, force: bool) -> None:
    try:
        if asyncio.run(pg_client.table_count(settings.database_url)):
            _refuse_unless_forced(f"{make_url(settings.database_url).database} (PostgreSQL)", force)
            asyncio.run(pg_client.empty_schema(settings.database_url))
        pg_client.restore(settings.database_url, unpacked / PG_MEMBER)
    except pg_client.PgClientError as exc:
        raise BackupError(f"{exc} (PostgreSQL 恢复失败)") from exc


def _restore_data_dir(unpacked: Path, data_dir: Path) -> int:
    source = unpacked / DATA_MEMBER
    count = 0
    if not source.is_dir():
        return count
    for root, _, files in os.walk(source):
        for name in files:
            relative = Path(root, name).relative_to(source)
            target = data_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / relative, target)
            count += 1
    return count


def restore_backup(settings: Settings, archive: Path, *, force: bool = False) -> RestoreInfo:
    """Restore ``archive`` into the settings' database and data directory (see the module docstring)."""
    if not archive.is_file():
        raise BackupError(f"{archive} not found (备份文件不存在)")
    engine = "sqlite" if settings.is_sqlite else "postgresql"
    with tempfile.TemporaryDirectory(prefix=".anjian-restore-") as work:
        unpacked = Path(work)
        try:
            with tarfile.open(archive, mode="r:gz") as tar:
                tar.extractall(unpacked, filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"{archive} is not a readable backup archive: {exc} (备份文件无法读取)") from exc
        manifest = read_manifest(unpacked)
        if manifest["engine"] != engine:
            raise BackupError(
                f"the backup is of a {manifest['engine']} database, ANJIAN_DATABASE_URL names {engine} "
                f"(备份为 {manifest['engine']} 数据库，与当前配置的 {engine} 不一致)"
            )
        if not (unpacked / (SQLITE_MEMBER if engine == "sqlite" else PG_MEMBER)).is_file():
            raise BackupError("the archive holds no database (备份中没有数据库)")
        if engine == "sqlite":
            _restore_sqlite(settings, unpacked, force)
        else:
            _restore_postgresql(settings, unpacked, force)
        files = _restore_data_dir(unpacked, Path(settings.data_dir))
    return RestoreInfo(engine=engine, created_at=str(manifest.get("created_at", "")), revisions=list(manifest.get("revisions", [])), data_files=files)
