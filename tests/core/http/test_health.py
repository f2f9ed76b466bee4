"""``/healthz`` says the process answers; ``/readyz`` says it can serve: database up, schema current."""

from __future__ import annotations

import asyncio

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text

from core.http import health
from core.storage import migrate
from core.storage.database import Database
from plugins.registry import PluginRegistry
from server import create_app
from tests.conftest import make_settings, pg_dsn
from tests.scratch_db import _plain


async def test_healthz_and_readyz_answer_200_on_a_migrated_database(api) -> None:
    assert (await api.client.get("/healthz")).json() == {"status": "ok"}
    ready = await api.client.get("/readyz")  # no token: a load balancer has none
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": "ok", "migrations": "current"}


async def _set_revision(url: str, revision: str) -> None:
    db = Database(url)
    try:
        async with db.engine.begin() as conn:
            await conn.execute(text("DELETE FROM alembic_version"))
            await conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:r)"), {"r": revision})
    finally:
        await db.dispose()


@pytest.mark.empty_database
async def test_readyz_is_503_while_the_database_is_behind_or_ahead_of_the_code(any_db_url, tmp_path) -> None:
    db = Database(any_db_url)
    try:
        await migrate.upgrade(db, "0002_checklists")  # an instance started before its migrations ran
    finally:
        await db.dispose()
    settings = make_settings(any_db_url, str(tmp_path / "data"), migrate_on_start=False)
    async with AsyncTestClient(create_app(settings, plugins=PluginRegistry())) as client:
        behind = await client.get("/readyz")
        assert behind.status_code == 503
        body = behind.json()
        assert (body["code"], body["database"], body["migrations"], body["current"]) == ("not_ready", "ok", "not_current", ["0002_checklists"])
        assert body["message_zh"].startswith("服务未就绪") and "anjian migrate" in body["message"]
        assert behind.headers["retry-after"] == "5"
        assert (await client.get("/healthz")).status_code == 200  # alive all the same: no restart wanted

        db = Database(any_db_url)
        try:
            await migrate.upgrade(db)
        finally:
            await db.dispose()
        assert (await client.get("/readyz")).status_code == 200

        await _set_revision(any_db_url, "0099_from_a_newer_version")  # a newer release migrated the database
        ahead = await client.get("/readyz")
        assert ahead.status_code == 503 and ahead.json()["current"] == ["0099_from_a_newer_version"]


async def test_readyz_is_503_when_the_database_is_gone(pg_url, tmp_path) -> None:
    import asyncpg

    async with AsyncTestClient(create_app(make_settings(pg_url, str(tmp_path / "data")), plugins=PluginRegistry())) as client:
        assert (await client.get("/readyz")).status_code == 200
        conn = await asyncpg.connect(_plain(pg_dsn() or ""))
        try:
            await conn.execute(f'DROP DATABASE "{pg_url.rsplit("/", 1)[1]}" WITH (FORCE)')
        finally:
            await conn.close()
        gone = await client.get("/readyz")
    assert gone.status_code == 503
    assert (gone.json()["code"], gone.json()["database"]) == ("not_ready", "unreachable")


async def test_readyz_is_503_when_the_database_is_too_slow_to_answer(api, monkeypatch) -> None:
    async def stuck(db: Database) -> set[str]:
        await asyncio.sleep(10)
        return set()

    monkeypatch.setattr(health, "applied_revisions", stuck)
    monkeypatch.setattr(health, "READY_TIMEOUT_S", 0.05)
    response = await api.client.get("/readyz")
    assert response.status_code == 503 and response.json()["database"] == "unreachable"
