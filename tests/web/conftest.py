"""Fixtures of the field-app tests: Debian's Chromium driven by playwright-python, a real anjian
server (a subprocess on a free port, serving a copy of ``web/app``) on a seeded database, and
screenshots at tablet (1280×800) and phone (412×915) sizes under ``tests/web/screenshots/``.

The tests skip, saying why, when Chromium or playwright is missing (``.ci/run`` installs both).
"""

from __future__ import annotations

import hashlib
import os
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
from tests.web.launch import log_tail, start_server, stop_server
from tests.web.seed import World, seed

ROOT = Path(__file__).resolve().parents[2]
APP_SOURCE = ROOT / "web" / "app"
SHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("ANJIAN_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
TABLET = {"width": 1280, "height": 800}
PHONE = {"width": 412, "height": 915}
GPS = {"latitude": 30.99123, "longitude": 104.26345, "accuracy": 8}


def _require_browser() -> Any:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install it (apt-get install chromium) to run the field-app browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed: pip install -e '.[test]' to run the field-app browser tests")
    return sync_playwright


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    """playwright's sync API for one test module: it keeps an event loop running in this thread, so
    it must be gone before any asyncio test (or ``asyncio.run``) of another module runs."""
    sync_playwright = _require_browser()
    with sync_playwright() as p:
        yield p


def launch(playwright: Any, *extra_args: str) -> Any:
    """Debian's Chromium, headless, with ``extra_args``."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args])


@pytest.fixture(scope="module")
def browser(playwright) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """One headless Chromium per module; each test opens its own contexts (profiles)."""
    chromium = launch(playwright)
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> tuple[Path, World]:  # type: ignore[no-untyped-def]
    """The seeded database, made once; each test's server starts on a copy of it."""
    directory = tmp_path_factory.mktemp("web-template")
    world = seed(f"sqlite+aiosqlite:///{directory / 'anjian.db'}", str(directory / "data"))
    with sqlite3.connect(directory / "anjian.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return directory / "anjian.db", world


@dataclass
class FieldServer:
    """A running anjian serving the field app from ``app_dir`` (a copy a test may change)."""

    directory: Path
    app_dir: Path
    world: World
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    extra_args: list[str] = field(default_factory=list)
    extra_env: dict[str, str] = field(default_factory=dict)
    scheme: str = "http"
    host: str = "127.0.0.1"

    @property
    def db_path(self) -> Path:
        return self.directory / "anjian.db"

    @property
    def data_dir(self) -> Path:
        return self.directory / "data"

    @property
    def base(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    @property
    def app_url(self) -> str:
        return f"{self.base}/app/"

    def start(self) -> None:
        env = server_env(f"sqlite+aiosqlite:///{self.db_path}", str(self.data_dir), **self.extra_env)
        command = [sys.executable, "-m", "tests.web.serve_app", str(self.app_dir), "--host", "127.0.0.1", "--port", str(self.port), *self.extra_args]
        self.process = start_server(command, env, self.directory / "server.log", f"{self.scheme}://127.0.0.1:{self.port}/healthz")

    def stop(self) -> None:
        stop_server(self.process)

    def log(self) -> str:
        return log_tail(self.directory / "server.log")

    # --- the server's side of the story ---------------------------------------------------------
    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db_path) as conn:
            return conn.execute(sql, params).fetchall()

    def stored_attachment(self, sha: str) -> bool:
        """Whether a complete file with these bytes is stored (whatever the layout under attachments/)."""
        root = self.data_dir / "attachments"
        return any(
            path.is_file() and "partial" not in path.parts and hashlib.sha256(path.read_bytes()).hexdigest() == sha
            for path in root.rglob("*")
        ) if root.exists() else False

    def api(self, username: str = "root") -> httpx.Client:
        """An HTTP client logged in as ``username`` (no device: for admin steps in tests)."""
        base = f"{self.scheme}://127.0.0.1:{self.port}"
        login = httpx.post(f"{base}/api/v1/auth/login", json={"username": username, "password": PASSWORD}, timeout=30, verify=False)
        assert login.status_code == 200, login.text
        return httpx.Client(base_url=base, timeout=30, verify=False, headers={"Authorization": f"Bearer {login.json()['access_token']}"})


@pytest.fixture
def field_server(tmp_path, seeded_template) -> Iterator[FieldServer]:  # type: ignore[no-untyped-def]
    template, world = seeded_template
    shutil.copyfile(template, tmp_path / "anjian.db")
    app_dir = tmp_path / "app"
    shutil.copytree(APP_SOURCE, app_dir)
    server = FieldServer(tmp_path, app_dir, world)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Shots:
    """Screenshots of one test at both sizes: ``NN-name-tablet.png`` and ``NN-name-phone.png``."""

    def __init__(self, name: str) -> None:
        self.directory = SHOTS / re.sub(r"[^\w.-]", "_", name)
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True)
        self.count = 0

    def __call__(self, page: Any, name: str, *, full_page: bool = False, focus: str | None = None) -> None:
        """Both sizes; ``focus`` (a selector) is scrolled to the middle of the screen at each."""
        self.count += 1
        size = page.viewport_size
        for label, viewport in (("tablet", TABLET), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.wait_for_timeout(150)
            if focus:
                page.eval_on_selector(focus, "el => el.scrollIntoView({block: 'center'})")
                page.wait_for_timeout(100)
            page.screenshot(path=str(self.directory / f"{self.count:02d}-{name}-{label}.png"), full_page=full_page)
        page.set_viewport_size(size)


@pytest.fixture
def shots(request) -> Shots:  # type: ignore[no-untyped-def]
    return Shots(request.node.name)


def new_context(browser: Any, **options: Any) -> Any:
    """A fresh browser profile as a tablet: Chinese locale and time zone, GPS allowed."""
    values: dict[str, Any] = dict(
        viewport=TABLET, locale="zh-CN", timezone_id="Asia/Shanghai", permissions=["geolocation"], geolocation=GPS, accept_downloads=True,
    )
    values.update(options)
    return browser.new_context(**values)



def _png(width: int, height: int) -> bytes:
    """A striped RGB PNG (no imaging library needed): what a camera would hand the app."""
    import struct
    import zlib

    stripes = bytearray()
    for x in range(width):
        stripes += bytes((x * 255 // width, 90, 200 if x // 40 % 2 else 30))
    raw = bytearray()
    for y in range(height):
        row = bytearray(stripes)
        row[1::3] = bytes([(y * 255) // height]) * width
        raw += b"\x00" + row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + chunk(b"IEND", b"")


@pytest.fixture(scope="session")
def photo_file(tmp_path_factory) -> str:  # type: ignore[no-untyped-def]
    """A 2400×1800 photo, larger than the app keeps (it downscales to 1600 px)."""
    path = tmp_path_factory.mktemp("photos") / "site.png"
    path.write_bytes(_png(2400, 1800))
    return str(path)
