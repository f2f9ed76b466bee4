"""Helpers of the console tests: signing in through the console's own form, and requests carrying
one user's session cookie by hand, so that several users share one test client (one app); and for
the browser tests, a real server on a seeded database (``console_server``) and screenshots at
1280×800 and 800×1280 under ``tests/web/screenshots/console/``. Chromium and playwright come
from tests/web/conftest.py (the tests skip, saying why, without them)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import PASSWORD
from tests.reliability.processes import free_port, server_env
from tests.web.console.seed import ConsoleWorld, seed
from tests.web.launch import log_tail, start_server, stop_server
from web.console.session import LOGIN_COOKIE, SESSION_COOKIE

_CSRF = re.compile(r'name="_csrf" value="([0-9a-f]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token a console page put into its forms."""
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def cookie_from(response: httpx.Response, name: str) -> str | None:
    """The value a response sets for cookie ``name`` (None when it sets none)."""
    for header in response.headers.get_list("set-cookie"):
        key, _, rest = header.partition("=")
        if key.strip() == name:
            return rest.split(";", 1)[0]
    return None


class ConsoleUser:
    """One signed-in console user over a shared test client (its cookie sent by hand)."""

    def __init__(self, client: Any, cookie: str) -> None:
        self.client = client
        self.cookie = cookie
        self._csrf: str | None = None

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        self.client.cookies.clear()
        return {"cookie": f"{SESSION_COOKIE}={self.cookie}", **(extra or {})}

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        headers = self._headers(kwargs.pop("headers", None))
        return await self.client.get(path, headers=headers, follow_redirects=False, **kwargs)

    async def csrf(self) -> str:
        """This session's CSRF token, read from the workbench's logout form."""
        if self._csrf is None:
            page = await self.get("/")
            assert page.status_code == 200, page.text[:300]
            self._csrf = csrf_of(page.text)
        return self._csrf

    async def post(self, path: str, data: dict[str, Any] | None = None, *, token: str | None = "auto", **kwargs: Any) -> httpx.Response:
        """POST a form; ``token`` "auto" adds the session's CSRF token, None sends none."""
        form = dict(data or {})
        if token == "auto":
            form["_csrf"] = await self.csrf()
        elif token is not None:
            form["_csrf"] = token
        headers = self._headers(kwargs.pop("headers", None))
        return await self.client.post(path, data=form, headers=headers, follow_redirects=False, **kwargs)


async def login_response(client: Any, username: str, password: str = PASSWORD, next_path: str = "/") -> httpx.Response:
    """The answer to the console's login form, filled as a browser would."""
    client.cookies.clear()
    form = await client.get("/login", follow_redirects=False)
    nonce = cookie_from(form, LOGIN_COOKIE)
    client.cookies.clear()
    return await client.post(
        "/login", data={"username": username, "password": password, "next": next_path, "_csrf": csrf_of(form.text)},
        headers={"cookie": f"{LOGIN_COOKIE}={nonce}"}, follow_redirects=False,
    )


async def sign_in(client: Any, username: str, password: str = PASSWORD) -> ConsoleUser:
    """Sign in through the console's form and return the user with their session cookie."""
    response = await login_response(client, username, password)
    assert response.status_code == 303, response.text[:500]
    cookie = cookie_from(response, SESSION_COOKIE)
    assert cookie, response.headers
    client.cookies.clear()
    return ConsoleUser(client, cookie)


# ---- the browser tests: a real server on a seeded database, Debian's Chromium (tests/web/conftest.py) ----


ROOT = Path(__file__).resolve().parents[3]
SHOTS = Path(__file__).resolve().parents[1] / "screenshots" / "console"  # git-ignored with the field app's
DESKTOP = {"width": 1280, "height": 800}
PORTRAIT = {"width": 800, "height": 1280}


@pytest.fixture(scope="session")
def console_template(tmp_path_factory) -> tuple[Path, ConsoleWorld]:  # type: ignore[no-untyped-def]
    """The seeded database, made once; each test's server starts on a copy of it."""
    directory = tmp_path_factory.mktemp("console-template")
    world = seed(f"sqlite+aiosqlite:///{directory / 'anjian.db'}", str(directory / "data"))
    with sqlite3.connect(directory / "anjian.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return directory / "anjian.db", world


@dataclass
class ConsoleServer:
    """``anjian serve`` on a free port over a copy of the seeded database."""

    directory: Path
    world: ConsoleWorld
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db_path(self) -> Path:
        return self.directory / "anjian.db"

    def start(self) -> None:
        env = server_env(f"sqlite+aiosqlite:///{self.db_path}", str(self.directory / "data"))
        command = [sys.executable, "-m", "server", "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self.process = start_server(command, env, self.directory / "server.log", f"{self.base}/healthz")

    def stop(self) -> None:
        stop_server(self.process)

    def log(self) -> str:
        return log_tail(self.directory / "server.log")

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db_path) as conn:
            return conn.execute(sql, params).fetchall()

    def api(self, username: str = "root") -> httpx.Client:
        """An API client logged in as ``username`` (for steps the console has no page for yet)."""
        login = httpx.post(f"{self.base}/api/v1/auth/login", json={"username": username, "password": PASSWORD}, timeout=30)
        assert login.status_code == 200, login.text
        return httpx.Client(base_url=self.base, timeout=30, headers={"Authorization": f"Bearer {login.json()['access_token']}"})


@pytest.fixture
def console_server(tmp_path, console_template) -> Iterator[ConsoleServer]:  # type: ignore[no-untyped-def]
    template, world = console_template
    shutil.copyfile(template, tmp_path / "anjian.db")
    if (template.parent / "data").exists():
        shutil.copytree(template.parent / "data", tmp_path / "data")
    server = ConsoleServer(tmp_path, world)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class ConsoleShots:
    """Screenshots of one test at 1280×800 and 800×1280: ``NN-name-desktop.png``, ``NN-name-portrait.png``
    (a subclass names other ``SIZES``)."""

    SIZES: tuple[tuple[str, dict[str, int]], ...] = (("desktop", DESKTOP), ("portrait", PORTRAIT))

    def __init__(self, name: str) -> None:
        self.directory = SHOTS / name
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True)
        self.count = 0

    def __call__(self, page: Any, name: str, *, full_page: bool = False) -> None:
        self.count += 1
        for label, viewport in self.SIZES:
            page.set_viewport_size(viewport)
            page.wait_for_timeout(120)
            page.screenshot(path=str(self.directory / f"{self.count:02d}-{name}-{label}.png"), full_page=full_page)
        page.set_viewport_size(self.SIZES[0][1])


@pytest.fixture
def console_shots(request) -> ConsoleShots:  # type: ignore[no-untyped-def]
    return ConsoleShots(request.node.name)
