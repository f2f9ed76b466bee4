"""Shared fixtures: settings on a fresh database, the app under a test client, users and tokens.

``db_url`` is SQLite in a temporary directory. ``any_db_url`` runs a test on SQLite and, when
``ANJIAN_TEST_PG_DSN`` is set, on a fresh PostgreSQL database (skipped with the reason otherwise).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from core.access.user_service import create_user
from core.access.wire import UserIn
from core.clock import FrozenClock
from core.enterprises.wire import EnterpriseIn
from core.settings import Settings
from core.storage.audit_log import SYSTEM
from server import build_context, create_app
from tests.scratch_db import create_pg_database, drop_pg_database

PG_DSN_ENV = "ANJIAN_TEST_PG_DSN"
PASSWORD = "correct-horse-battery"
SECRET = "test-secret-" + "x" * 40


def pg_dsn() -> str | None:
    """The PostgreSQL DSN for tests (postgresql+asyncpg://…), or None."""
    return os.environ.get(PG_DSN_ENV) or None


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:  # type: ignore[no-untyped-def]
    """A SQLite file migrated once per test session; each test starts from a copy of it."""
    import asyncio

    from core.bootstrap import prepare_database
    from core.storage.database import Database

    path = tmp_path_factory.mktemp("template") / "template.db"

    async def build() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        try:
            await prepare_database(db)
            async with db.engine.connect() as conn:
                await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            await db.dispose()

    asyncio.run(build())
    return str(path)


@pytest.fixture
def db_url(tmp_path, sqlite_template) -> str:  # type: ignore[no-untyped-def]
    """A fresh SQLite database file (a copy of the migrated template)."""
    import shutil

    target = tmp_path / "anjian.db"
    shutil.copyfile(sqlite_template, target)
    return f"sqlite+aiosqlite:///{target}"


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str | None]:
    """A PostgreSQL database migrated once per test session (its name), dropped at the end; None
    without a DSN. Tests of ``any_db_url`` start from a copy of it, as SQLite tests from their template:
    running every migration for each test cost seconds of set-up per PostgreSQL test."""
    import asyncio

    from core.bootstrap import prepare_database
    from core.storage.database import Database

    dsn = pg_dsn()
    if not dsn:
        yield None
        return

    async def build() -> str:
        url, name = await create_pg_database(dsn, "anjian_template")
        db = Database(url)
        try:
            await prepare_database(db)
        finally:
            await db.dispose()
        return name

    name = asyncio.run(build())
    try:
        yield name
    finally:
        asyncio.run(drop_pg_database(dsn, name))


@asynccontextmanager
async def fresh_pg_database(why: str, template: str | None = None) -> AsyncIterator[str]:
    """A fresh PostgreSQL database (empty, or a copy of ``template``), dropped afterwards; the test is
    skipped (saying ``why`` it needs one) when no DSN is set."""
    dsn = pg_dsn()
    if not dsn:
        pytest.skip(f"{why}: set {PG_DSN_ENV}=postgresql+asyncpg://user@host:port/db to run it")
    url, name = await create_pg_database(dsn, template=template)
    try:
        yield url
    finally:
        await drop_pg_database(dsn, name)


@pytest.fixture(params=["sqlite", "postgresql"])
async def any_db_url(request, tmp_path, sqlite_template, pg_template) -> AsyncIterator[str]:  # type: ignore[no-untyped-def]
    """A fresh database on each engine anjian supports: migrated (a copy of the session's template),
    or empty for a test marked ``empty_database`` (migrations, readiness)."""
    empty = request.node.get_closest_marker("empty_database") is not None
    if request.param == "sqlite":
        target = tmp_path / "anjian.db"
        if not empty:
            import shutil

            shutil.copyfile(sqlite_template, target)
        yield f"sqlite+aiosqlite:///{target}"
        return
    async with fresh_pg_database("PostgreSQL variant", template=None if empty else pg_template) as url:
        yield url


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """A fresh PostgreSQL database, for behaviour only PostgreSQL has (skipped without a DSN)."""
    async with fresh_pg_database("PostgreSQL only") as url:
        yield url


@pytest.fixture
def clock() -> FrozenClock:
    """Test time, moved by hand."""
    return FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


def make_settings(db_url: str, data_dir: str, **overrides: Any) -> Settings:
    """Settings for tests: fast (no login delay), no scheduler, an explicit secret."""
    values: dict[str, Any] = dict(
        database_url=db_url, data_dir=data_dir, secret_key=SECRET, login_failure_delay=0.0, run_scheduler=False, plugins_strict=False,
        argon2_time_cost=1, argon2_memory_kib=64, argon2_parallelism=1,
        gc_gen0_threshold=0,  # every test's app would freeze its objects into the test process for good
    )
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(db_url, tmp_path) -> Settings:  # type: ignore[no-untyped-def]
    return make_settings(db_url, str(tmp_path / "data"))


class Api:
    """A test client plus helpers to create users and log in as them."""

    def __init__(self, client: AsyncTestClient, app: Any) -> None:
        self.client = client
        self.app = app
        self.ctx = app.state.ctx
        # The app runs its own event loop: direct writes from the test's loop go through a
        # separate context whose engine belongs to this loop (asyncpg connections are loop-bound).
        self.direct = build_context(app.state.settings, clock=self.ctx.clock)

    async def user(self, username: str, role: str, *, region_code: str | None = None, industries: list[str] | None = None, enterprise_id: str | None = None, grid_code: str | None = None) -> str:
        """Create a user directly (as the system) and return its id."""
        out = await create_user(
            self.direct,
            SYSTEM,
            UserIn(username=username, password=PASSWORD, role=role, region_code=region_code, industries=industries or [], enterprise_id=enterprise_id, grid_code=grid_code),  # type: ignore[arg-type]
        )
        return out.id

    async def login(self, username: str, *, device_id: str | None = None, password: str = PASSWORD) -> dict[str, str]:
        """Log in and return the Authorization header."""
        body: dict[str, Any] = {"username": username, "password": password}
        if device_id:
            body["device_id"] = device_id
        response = await self.client.post("/api/v1/auth/login", json=body)
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    async def as_new(self, role: str, **scope: Any) -> dict[str, str]:
        """Create a user with a generated name and log in as them."""
        name = f"{role}_{uuid.uuid4().hex[:8]}"
        await self.user(name, role, **scope)
        return await self.login(name)

    async def enterprise(self, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
        """Create an enterprise through the API (defaults: a hazchem firm in 广汉市)."""
        data = {"name": "测试化工有限公司", "uscc": valid_uscc(), "region_code": "510681", "industries": ["hazchem"], "scale": "small_micro"}
        data.update(fields)
        response = await self.client.post("/api/v1/enterprises", json=data, headers=headers)
        assert response.status_code == 201, response.text
        return response.json()


_counter = iter(range(10_000_000))


def valid_uscc(region: str = "510681") -> str:
    """A fresh, valid USCC."""
    from core.enterprises.uscc import make_uscc

    return make_uscc("9", "1", region, f"{next(_counter):08d}")


@pytest.fixture
async def app(settings, clock):  # type: ignore[no-untyped-def]
    """The app on a fresh database (migrated by its lifespan)."""
    return create_app(settings, clock=clock)


@asynccontextmanager
async def serving(app) -> AsyncIterator[Api]:  # type: ignore[no-untyped-def]
    """``app`` under a test client, with helpers; its direct database handle closed afterwards."""
    async with AsyncTestClient(app=app) as client:
        helper = Api(client, app)
        try:
            yield helper
        finally:
            await helper.direct.db.dispose()


@pytest.fixture
async def api(app) -> AsyncIterator[Api]:  # type: ignore[no-untyped-def]
    """The app under a test client, with helpers."""
    async with serving(app) as helper:
        yield helper


@pytest.fixture
async def admin(api: Api) -> dict[str, str]:
    """Headers of a logged-in admin."""
    await api.user("root", "admin")
    return await api.login("root")


@pytest.fixture
async def any_api(any_db_url, tmp_path, clock) -> AsyncIterator[Api]:  # type: ignore[no-untyped-def]
    """``api`` on SQLite and on PostgreSQL (``any_db_url``): for what only PostgreSQL refuses."""
    async with serving(create_app(make_settings(any_db_url, str(tmp_path / "data")), clock=clock)) as helper:
        yield helper


@pytest.fixture
async def any_admin(any_api: Api) -> dict[str, str]:
    """Headers of a logged-in admin of ``any_api``."""
    await any_api.user("root", "admin")
    return await any_api.login("root")


__all__ = ["Api", "EnterpriseIn", "PASSWORD", "build_context", "make_settings", "pg_dsn", "valid_uscc"]
