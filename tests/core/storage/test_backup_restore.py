"""``anjian backup`` then ``anjian restore`` elsewhere gives back the same server: every row, the
secret, the attachments; a restore never overwrites a database in use unless told to."""

from __future__ import annotations

import asyncio
import hashlib
import io
import shutil
import tarfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlmodel import SQLModel

from core.storage.database import Database
from plugins.registry import PluginRegistry
from server import cli, create_app
from tests.conftest import Api, make_settings, pg_dsn
from tests.scratch_db import create_pg_database, drop_pg_database

PHOTO = b"\xff\xd8\xff\xe0 photo of the fire exit " * 100
SHA = hashlib.sha256(PHOTO).hexdigest()


def _env(database_url: str, data_dir: Path) -> dict[str, str]:
    return {"ANJIAN_DATABASE_URL": database_url, "ANJIAN_DATA_DIR": str(data_dir)}


async def _anjian(*args: str, env: dict[str, str]) -> Any:
    """The CLI, in a thread: its commands run their own event loops."""
    return await asyncio.to_thread(CliRunner().invoke, cli, list(args), env=env)


async def _rows(database_url: str) -> dict[str, list[str]]:
    db = Database(database_url)
    try:
        async with db.engine.connect() as conn:
            return {table.name: sorted(repr(tuple(row)) for row in await conn.execute(select(table))) for table in SQLModel.metadata.sorted_tables}
    finally:
        await db.dispose()


def _files(data_dir: Path) -> dict[str, bytes]:
    return {path.relative_to(data_dir).as_posix(): path.read_bytes() for path in sorted(data_dir.rglob("*")) if path.is_file()}


async def _fill(settings: Any) -> None:
    """An admin, an enterprise, a tablet of an inspector and the photo it uploaded."""
    app = create_app(settings, plugins=PluginRegistry())
    async with AsyncTestClient(app) as client:
        api = Api(client, app)
        try:
            await api.user("root", "admin")
            await api.enterprise(await api.login("root"))
            await api.user("li", "inspector", region_code="510681", industries=["hazchem"])
            tablet = await api.login("li", device_id=str(uuid.uuid4()))
            uploaded = await client.put(f"/api/v1/attachments/{SHA}", content=PHOTO, headers=tablet)
            assert uploaded.status_code == 200 and uploaded.json()["complete"], uploaded.text
        finally:
            await api.direct.db.dispose()


@pytest.fixture
async def second_database(any_db_url, tmp_path) -> Any:  # type: ignore[no-untyped-def]
    """Where the backup goes back to: a new SQLite file, or a fresh PostgreSQL database."""
    if any_db_url.startswith("sqlite"):
        yield f"sqlite+aiosqlite:///{tmp_path}/restored/anjian.db"
        return
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("PostgreSQL variant: needs pg_dump and pg_restore on PATH")
    url, name = await create_pg_database(pg_dsn() or "")
    try:
        yield url
    finally:
        await drop_pg_database(pg_dsn() or "", name)


async def test_a_restored_backup_is_the_same_server(any_db_url, second_database, tmp_path) -> None:
    source = make_settings(any_db_url, str(tmp_path / "data"), secret_key=None)  # the secret lives in the data directory
    await _fill(source)
    archive = tmp_path / "backups" / "anjian.tar.gz"

    made = await _anjian("backup", str(archive), env=_env(any_db_url, tmp_path / "data"))
    assert made.exit_code == 0, made.output
    assert "备份完成" in made.output and archive.stat().st_mode & 0o077 == 0  # it holds the secret: owner only

    restored_dir = tmp_path / "restored" / "data"
    done = await _anjian("restore", str(archive), env=_env(second_database, restored_dir))
    assert done.exit_code == 0, done.output

    assert await _rows(second_database) == await _rows(any_db_url)
    assert _files(restored_dir) == _files(tmp_path / "data")
    assert "secret_key" in _files(restored_dir) and f"attachments/{SHA[:2]}/{SHA[2:]}" in _files(restored_dir)

    target = make_settings(second_database, str(restored_dir), secret_key=None)
    app = create_app(target, plugins=PluginRegistry())
    async with AsyncTestClient(app) as client:
        api = Api(client, app)
        try:
            assert (await client.get("/readyz")).status_code == 200
            tablet = await api.login("li", device_id=str(uuid.uuid4()))  # the password hashes came back too
            photo = await client.get(f"/api/v1/attachments/{SHA}", headers=tablet)
            assert photo.status_code == 200 and photo.content == PHOTO
        finally:
            await api.direct.db.dispose()


async def test_restore_refuses_a_database_in_use_unless_forced(any_db_url, second_database, tmp_path) -> None:
    source = make_settings(any_db_url, str(tmp_path / "data"))
    await _fill(source)
    archive = tmp_path / "anjian.tar.gz"
    assert (await _anjian("backup", str(archive), env=_env(any_db_url, tmp_path / "data"))).exit_code == 0

    refused = await _anjian("restore", str(archive), env=_env(any_db_url, tmp_path / "data"))
    assert refused.exit_code == 1 and "--force" in refused.output and "不为空" in refused.output
    forced = await _anjian("restore", str(archive), "--force", env=_env(any_db_url, tmp_path / "data"))
    assert forced.exit_code == 0, forced.output
    assert (await _rows(any_db_url))["app_user"]


async def test_restore_refuses_an_archive_that_reaches_outside_its_folder(db_url, tmp_path) -> None:
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        payload = b"owned"
        member = tarfile.TarInfo("data/../../escaped.txt")
        member.size = len(payload)
        tar.addfile(member, io.BytesIO(payload))
    result = await _anjian("restore", str(archive), env=_env(f"sqlite+aiosqlite:///{tmp_path}/new.db", tmp_path / "new"))
    assert result.exit_code == 1 and "备份文件无法读取" in result.output
    assert not list(tmp_path.parent.rglob("escaped.txt")) and not (tmp_path / "new.db").exists()


async def test_a_backup_of_one_engine_does_not_go_into_the_other(db_url, tmp_path) -> None:
    archive = tmp_path / "anjian.tar.gz"
    assert (await _anjian("backup", str(archive), env=_env(db_url, tmp_path / "data"))).exit_code == 0
    result = await _anjian("restore", str(archive), env=_env("postgresql+asyncpg://nobody@127.0.0.1:1/none", tmp_path / "data"))
    assert result.exit_code == 1 and "sqlite" in result.output and "postgresql" in result.output
