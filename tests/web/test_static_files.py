"""How anjian serves the field app (web/routes.py): at /app/ without a token, revalidated on every
use (``no-cache``), with JavaScript and manifest types; every file of the app is in the service
worker's offline list and ships in the wheel."""

from __future__ import annotations

import fnmatch
import glob
import re
import tomllib
from pathlib import Path

from tests.web.conftest import APP_SOURCE

ROOT = Path(__file__).resolve().parents[2]


async def test_app_is_served_at_app_without_a_token_and_never_cached_stale(api) -> None:  # type: ignore[no-untyped-def]
    client = api.client
    bare = await client.get("/app", follow_redirects=False)
    assert bare.status_code == 308 and bare.headers["location"] == "/app/"
    index = await client.get("/app/")
    assert index.status_code == 200 and "text/html" in index.headers["content-type"]
    assert '<script type="module" src="js/main.js">' in index.text
    for path, kind in (("sw.js", "text/javascript"), ("js/main.js", "text/javascript"), ("manifest.webmanifest", "application/manifest+json"), ("app.css", "text/css")):
        response = await client.get(f"/app/{path}")
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith(kind), (path, response.headers["content-type"])
        assert response.headers["cache-control"] == "no-cache", path
    assert (await client.get("/app/nope.js")).status_code == 404
    assert (await client.get("/app/../server.py")).status_code == 404


async def test_app_routes_stay_out_of_the_api_document(api) -> None:  # type: ignore[no-untyped-def]
    paths = (await api.client.get("/schema/openapi.json")).json()["paths"]
    assert not [p for p in paths if p.startswith("/app")]


def _app_files() -> set[str]:
    return {p.relative_to(APP_SOURCE).as_posix() for p in APP_SOURCE.rglob("*") if p.is_file()}


def test_the_service_worker_caches_every_file_of_the_app() -> None:
    """A file missing from the list would be missing offline (the app would break in the field)."""
    listed = set(re.findall(r"^  '([^']+)',$", (APP_SOURCE / "sw.js").read_text(encoding="utf-8"), re.M)) - {"./"}
    assert listed == _app_files() - {"sw.js"}


def test_every_file_of_the_app_ships_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert any(fnmatch.fnmatch("web", pattern) for pattern in config["packages"]["find"]["include"])
    patterns = config["package-data"]["*"] + config["package-data"].get("web", [])
    shipped = {path for pattern in patterns for path in glob.glob(pattern, root_dir=ROOT / "web", recursive=True)}  # as setuptools globs
    missing = sorted(f for f in _app_files() if f"app/{f}" not in shipped)
    assert not missing, f"not in [tool.setuptools.package-data]: {missing}"
