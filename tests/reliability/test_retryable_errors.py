"""A locked database or a full disk during a push: the tablet gets ``503`` + ``Retry-After``, never a
success for a record that was not stored, and the retry after the fault is gone stores it once.

* locked: another connection holds SQLite's write lock (``BEGIN IMMEDIATE``) longer than the busy
  timeout (lowered for the test with ``sqlite_busy_timeout_ms``);
* database full: SQLite's ``max_page_count`` stops the file from growing (``SQLITE_FULL``);
* disk full: a small tmpfs under the data directory fills up (needs root to mount; skipped
  otherwise) — for attachments, and for the database file itself.
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import event

from checklists.canonical import content_hash
from checklists.schema import Checklist
from checklists.versions import publish_version
from core.storage.audit_log import SYSTEM
from server import build_context, create_app
from tests.conftest import Api, make_settings
from tests.sync.conftest import CHECKLIST, SyncWorld

BUSY_MS = 200


def _stored(db_path: Path, table: str, record_id: str) -> int:
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table} WHERE id = ?", (record_id,)).fetchone()[0])


async def _world(client: AsyncTestClient, app: Any, settings: Any) -> SyncWorld:
    api = Api(client, app)
    api.ctx = build_context(settings, app.state.ctx.clock)
    await api.user("root", "admin")
    admin = await api.login("root")
    enterprise = await api.enterprise(admin, name="广汉市红星化工有限公司")
    checklist = msgspec.convert(CHECKLIST, Checklist)
    await publish_version(api.ctx, checklist, actor=SYSTEM, source="api")
    world = SyncWorld(api=api, admin=admin, enterprise=enterprise, checklist_hash=content_hash(checklist), recorder=None)  # type: ignore[arg-type]
    await world.tablet("insp1")
    return world


@asynccontextmanager
async def _serving(db_dir: Path, sqlite_template: str) -> AsyncIterator[SyncWorld]:
    """The app on a copy of the template database in ``db_dir``; writers wait only ``BUSY_MS``."""
    import shutil

    db_path = db_dir / "anjian.db"
    shutil.copyfile(sqlite_template, db_path)
    settings = make_settings(f"sqlite+aiosqlite:///{db_path}", str(db_dir / "data"), sqlite_busy_timeout_ms=BUSY_MS)
    app = create_app(settings)
    async with AsyncTestClient(app=app) as client:
        world = await _world(client, app, settings)
        world.db_path = db_path  # type: ignore[attr-defined]
        try:
            yield world
        finally:
            await world.api.ctx.db.dispose()


@pytest.fixture
async def world(tmp_path: Path, sqlite_template: str) -> AsyncIterator[SyncWorld]:
    """A SQLite app whose writers wait only ``BUSY_MS`` for the lock."""
    async with _serving(tmp_path, sqlite_template) as world:
        yield world


def _assert_retry_later(response: Any) -> None:
    assert response.status_code == 503, response.text
    assert response.headers.get("retry-after", "").isdigit(), response.headers
    body = response.json()
    assert body["code"] == "retry_later" and body["message_zh"]


async def test_locked_database_answers_503_and_stores_nothing(world: SyncWorld) -> None:
    tablet = world.tablets["insp1"]
    record = world.submission(answers={"CC-1": {"result": "fail"}, "CC-2": {"value": 21.5}, "CC-3": {"result": "pass"}})
    holder = sqlite3.connect(world.db_path, isolation_level=None)  # type: ignore[attr-defined]
    try:
        holder.execute("BEGIN IMMEDIATE")  # the write lock, held far longer than the busy timeout
        response = await world.api.client.post("/api/v1/sync/push", json={"records": [record]}, headers=tablet.headers)
        _assert_retry_later(response)
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    assert _stored(world.db_path, "submission", record["id"]) == 0  # type: ignore[attr-defined]
    assert _stored(world.db_path, "sync_record", record["id"]) == 0  # type: ignore[attr-defined]
    [result] = await world.push(tablet, record)
    assert result["status"] == "accepted", result  # stored now, not a "duplicate" of something never stored
    assert _stored(world.db_path, "submission", record["id"]) == 1  # type: ignore[attr-defined]
    [again] = await world.push(tablet, record)
    assert again["status"] == "duplicate" and again["first_status"] == "accepted"


@pytest.fixture
def page_limit(world: SyncWorld) -> Iterator[dict[str, int | None]]:
    """While ``limit["pages"]`` is set, every connection the app checks out may not grow the file."""
    limit: dict[str, int | None] = {"pages": None}
    engine = world.api.app.state.ctx.db.engine.sync_engine

    def on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        cursor = dbapi_connection.cursor()
        # max_page_count never goes below the current size; a huge value lifts the limit again.
        cursor.execute(f"PRAGMA max_page_count={limit['pages'] or 1_073_741_823}")
        cursor.close()

    event.listen(engine, "checkout", on_checkout)
    try:
        yield limit
    finally:
        event.remove(engine, "checkout", on_checkout)


async def test_full_database_answers_503_and_the_retry_stores_the_rest(world: SyncWorld, page_limit: dict[str, int | None]) -> None:
    """Push batches into a database that cannot grow: records before the failure are stored and
    answer ``duplicate`` on the retry, the one that hit the full file and those after are not."""
    tablet = world.tablets["insp1"]
    with sqlite3.connect(world.db_path) as conn:  # type: ignore[attr-defined]
        page_limit["pages"] = int(conn.execute("PRAGMA page_count").fetchone()[0]) + 40  # room for a few batches
    failed_batch: list[dict[str, Any]] | None = None
    accepted: list[str] = []
    for _ in range(200):  # free space inside existing pages runs out after a few records
        batch = [world.submission(answers={"CC-1": {"result": "fail", "note": "消防通道堵塞" * 20}, "CC-2": {"value": 21.5}, "CC-3": {"result": "fail"}}) for _ in range(5)]
        response = await world.api.client.post("/api/v1/sync/push", json={"records": batch}, headers=tablet.headers)
        if response.status_code == 503:
            _assert_retry_later(response)
            failed_batch = batch
            break
        assert response.status_code == 200, response.text
        assert {r["status"] for r in response.json()["results"]} == {"accepted"}
        accepted += [r["id"] for r in response.json()["results"]]
    assert failed_batch is not None, "the database never filled up"
    assert accepted and all(_stored(world.db_path, "submission", i) == 1 for i in accepted)  # type: ignore[attr-defined]
    stored_before = [_stored(world.db_path, "sync_record", r["id"]) for r in failed_batch]  # type: ignore[attr-defined]
    assert stored_before[-1] == 0 and stored_before == sorted(stored_before, reverse=True), stored_before
    page_limit["pages"] = None  # space again
    results = await world.push(tablet, *failed_batch)
    assert [r["status"] for r in results] == ["duplicate" if n else "accepted" for n in stored_before]
    for record, result in zip(failed_batch, results, strict=True):
        assert _stored(world.db_path, "submission", record["id"]) == 1  # type: ignore[attr-defined]
        assert len(result["hazard_ids"]) == 2


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """An 8 MiB tmpfs (needs the right to mount; skipped otherwise)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill (needs root): {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` up to ``leave`` bytes of free space with a filler file."""
    import os

    filler = disk / "filler"
    with filler.open("wb") as handle:
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        handle.write(b"\0" * max(free - leave, 0))
    return filler


@pytest.fixture
async def disk_world(small_disk: Path, sqlite_template: str) -> AsyncIterator[SyncWorld]:
    """The app with its database and data directory on the small disk."""
    async with _serving(small_disk, sqlite_template) as world:
        world.disk = small_disk  # type: ignore[attr-defined]
        yield world


async def test_attachment_upload_on_a_full_disk_answers_503_and_resumes(disk_world: SyncWorld) -> None:
    world = disk_world
    tablet = world.tablets["insp1"]
    photo = uuid.uuid4().bytes * 40_000  # 640 KB
    sha = hashlib.sha256(photo).hexdigest()
    record = world.submission(photos=[sha])
    [result] = await world.push(tablet, record)
    assert result["status"] == "accepted" and result["missing_attachments"] == [sha]
    filler = _fill(world.disk, 200_000)  # type: ignore[attr-defined]
    response = await world.api.client.put(f"/api/v1/attachments/{sha}", content=photo, headers={**tablet.headers, "Content-Type": "application/octet-stream"})
    _assert_retry_later(response)
    head = await world.api.client.head(f"/api/v1/attachments/{sha}", headers=tablet.headers)
    assert head.headers.get("upload-complete") != "1"
    [again] = await world.push(tablet, record)
    assert again["status"] == "duplicate" and again["missing_attachments"] == [sha]  # not acknowledged as stored
    filler.unlink()
    offset = int(head.headers.get("upload-offset", "0")) if head.status_code == 200 else 0
    response = await world.api.client.put(
        f"/api/v1/attachments/{sha}", content=photo[offset:],
        headers={**tablet.headers, "Content-Type": "application/octet-stream", "Content-Range": f"bytes {offset}-{len(photo) - 1}/{len(photo)}"},
    )
    assert response.status_code in (200, 201), response.text
    assert response.json()["complete"] is True
    [last] = await world.push(tablet, record)
    assert last["status"] == "duplicate" and last.get("missing_attachments", []) == []  # the photo is stored now


async def test_push_on_a_full_disk_answers_503_and_the_retry_is_accepted(disk_world: SyncWorld) -> None:
    world = disk_world
    tablet = world.tablets["insp1"]
    filler = _fill(world.disk, 0)  # type: ignore[attr-defined]
    batch = [world.submission(answers={"CC-1": {"result": "fail", "note": "配电箱未接地" * 50}, "CC-2": {"value": 21.5}, "CC-3": {"result": "fail"}}) for _ in range(20)]
    response = await world.api.client.post("/api/v1/sync/push", json={"records": batch}, headers=tablet.headers)
    _assert_retry_later(response)
    stored = [_stored(world.db_path, "sync_record", r["id"]) for r in batch]  # type: ignore[attr-defined]
    assert stored[-1] == 0 and stored == sorted(stored, reverse=True), stored
    assert [_stored(world.db_path, "submission", r["id"]) for r in batch] == stored  # type: ignore[attr-defined]
    filler.unlink()
    results = await world.push(tablet, *batch)
    assert [r["status"] for r in results] == ["duplicate" if n else "accepted" for n in stored]
    assert all(_stored(world.db_path, "submission", r["id"]) == 1 for r in batch)  # type: ignore[attr-defined]
