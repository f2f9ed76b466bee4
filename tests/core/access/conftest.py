"""An app served on the test's own event loop, so requests really run in parallel, from any client
address: ``AsyncTestClient`` runs one request at a time and always says it is ``testclient``."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlmodel import select

from core.access.user_service import create_user
from core.access.wire import UserIn
from core.bootstrap import prepare_database
from core.storage.audit_log import SYSTEM, AuditEntry
from server import create_app
from tests.conftest import PASSWORD, make_settings


class Live:
    """The app (not started: no scheduler, no plugins' start-up; the database migrated) and its context."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.ctx = app.state.ctx

    def client(self, address: str = "192.0.2.1") -> httpx.AsyncClient:
        """An HTTP client whose requests come from ``address`` (the ASGI scope's client)."""
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app, client=(address, 50000)), base_url="http://anjian.test")

    async def user(self, username: str, role: str = "viewer") -> str:
        """A user with the tests' password."""
        return (await create_user(self.ctx, SYSTEM, UserIn(username=username, password=PASSWORD, role=role))).id  # type: ignore[arg-type]

    async def audit_actions(self) -> list[tuple[str, dict[str, Any]]]:
        """Every audit entry's action and ``after``, in order."""
        async with self.ctx.db.read() as session:
            rows = (await session.exec(select(AuditEntry).order_by(AuditEntry.seq))).all()
        return [(row.action, row.after or {}) for row in rows]


@pytest.fixture
async def live(any_db_url, tmp_path, clock, request) -> AsyncIterator[Live]:  # type: ignore[no-untyped-def]
    """A ``Live`` app on SQLite and PostgreSQL; ``@pytest.mark.settings(**overrides)`` changes settings."""
    marker = request.node.get_closest_marker("settings")
    overrides = marker.kwargs if marker else {}
    app = create_app(make_settings(any_db_url, str(tmp_path / "data"), **overrides), clock=clock)
    live = Live(app)
    await prepare_database(live.ctx.db)
    try:
        yield live
    finally:
        await live.ctx.db.dispose()


class SlowChecks:
    """Stands in for ``Passwords.check``: counts calls and how many run at once, and holds each
    until ``release()`` (or ``hold`` seconds), then answers as the real check would."""

    def __init__(self, real: Callable[[str, str | None], bool], hold: float | None = None) -> None:
        self.real = real
        self.hold = hold
        self.calls = 0
        self.running = 0
        self.most_at_once = 0
        self._released = threading.Event()
        self._lock = threading.Lock()

    def release(self) -> None:
        self._released.set()

    def __call__(self, password: str, password_hash: str | None) -> bool:
        with self._lock:
            self.calls += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            if self.hold is not None:
                time.sleep(self.hold)
            else:
                self._released.wait(timeout=30)
            return self.real(password, password_hash)
        finally:
            with self._lock:
                self.running -= 1


def pytest_configure(config) -> None:  # type: ignore[no-untyped-def]
    config.addinivalue_line("markers", "settings(**overrides): settings of the `live` app")
