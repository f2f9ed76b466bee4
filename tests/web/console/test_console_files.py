"""How the console's files are served and shipped: the design system at a stable URL, the vendored
htmx with its licence and pinned version (scripts/refresh_vendor.sh), every template and static file
in the wheel, and none of the console's routes in the API's OpenAPI document."""

from __future__ import annotations

import glob
import re
import tomllib
from pathlib import Path

from tests.conftest import Api

ROOT = Path(__file__).resolve().parents[3]
WEB = ROOT / "web"


async def test_the_design_system_and_console_files_are_served_without_a_session(api: Api) -> None:
    api.client.cookies.clear()
    for path, kind in (("/design/anjian.css", "text/css"), ("/static/console.css", "text/css"), ("/static/vendor/htmx.min.js", "text/javascript"),
                       ("/static/console.js", "text/javascript"), ("/static/favicon.svg", "image/svg+xml")):
        response = await api.client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith(kind), (path, response.headers["content-type"])
        assert response.headers["cache-control"] == "no-cache", path
    css = (await api.client.get("/design/anjian.css")).text
    for token in ("--aj-risk-major", "--aj-risk-high", "--aj-risk-moderate", "--aj-risk-low", ".aj-badge.risk-major", ".aj-pager", ".aj-empty"):
        assert token in css
    assert (await api.client.get("/static/../server.py")).status_code == 404


def test_htmx_is_vendored_with_its_licence_at_the_pinned_version() -> None:
    vendor = WEB / "console" / "static" / "vendor"
    pinned = re.search(r'HTMX_VERSION="\$\{1:-([\d.]+)\}"', (ROOT / "scripts" / "refresh_vendor.sh").read_text()).group(1)  # type: ignore[union-attr]
    assert (vendor / "VERSIONS.txt").read_text().split() == ["htmx.org", pinned]
    assert "BSD" in (vendor / "htmx.LICENSE").read_text()
    assert (vendor / "htmx.min.js").stat().st_size > 10_000


def test_every_console_and_design_file_ships_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    patterns = config["package-data"]["*"] + config["package-data"].get("web", [])
    shipped = {path for pattern in patterns for path in glob.glob(pattern, root_dir=WEB, recursive=True)}
    files = [p for folder in (WEB / "console" / "templates", WEB / "console" / "static", WEB / "design") for p in folder.rglob("*") if p.is_file()]
    missing = sorted(p.relative_to(WEB).as_posix() for p in files if p.relative_to(WEB).as_posix() not in shipped)
    assert files and not missing, f"not in [tool.setuptools.package-data]: {missing}"
    assert "jinja2" in " ".join(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]).lower()


async def test_console_routes_stay_out_of_the_api_document(api: Api) -> None:
    paths = (await api.client.get("/schema/openapi.json")).json()["paths"]
    assert [p for p in paths if not p.startswith("/api/") and p not in ("/healthz", "/readyz")] == []
