"""The container files hang together: Dockerfile and compose.yaml are read, not run (no Docker
daemon in CI), and checked for the wiring a deployer relies on."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from core.settings import settings_from_env, unknown_variables

ROOT = Path(__file__).resolve().parents[2]


def interpolated(value: str, environ: dict[str, str] | None = None) -> str:
    """Compose's ``${NAME:-default}`` / ``${NAME}`` substitution, with ``environ`` (empty: defaults)."""
    environ = environ or {}
    return re.sub(r"\$\{(\w+)(?::-([^}]*))?\}", lambda m: environ.get(m.group(1)) or (m.group(2) or ""), value)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dockerfile() -> list[str]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _env(service: dict[str, Any], environ: dict[str, str] | None = None) -> dict[str, str]:
    return {key: interpolated(str(value), environ) for key, value in service["environment"].items()}


def test_anjian_waits_for_a_healthy_postgresql_and_reaches_it_with_its_credentials(compose) -> None:
    postgres, anjian = compose["services"]["postgres"], compose["services"]["anjian"]
    assert postgres["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert anjian["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for environ in ({}, {"PG_PASSWORD": "s3cret-from-.env"}):
        db, url = _env(postgres, environ), make_url(_env(anjian, environ)["ANJIAN_DATABASE_URL"])
        assert (url.drivername, url.host, url.port) == ("postgresql+asyncpg", "postgres", 5432)
        assert (url.username, url.password, url.database) == (db["POSTGRES_USER"], db["POSTGRES_PASSWORD"], db["POSTGRES_DB"])
    assert _env(postgres, {"PG_PASSWORD": "x"})["POSTGRES_PASSWORD"] == "x"


def test_anjians_environment_is_valid_settings_and_nothing_unknown(compose) -> None:
    env = _env(compose["services"]["anjian"])
    assert all(key.startswith("ANJIAN_") for key in env)
    assert unknown_variables(env) == []
    settings = settings_from_env(env)
    assert (settings.host, settings.port, settings.data_dir, settings.is_sqlite) == ("0.0.0.0", 8000, "/data", False)


def test_the_published_port_data_volume_and_health_check_match_the_settings(compose) -> None:
    anjian = compose["services"]["anjian"]
    settings = settings_from_env(_env(anjian))
    published = [interpolated(str(port)) for port in anjian["ports"]]
    assert published == [f"8000:{settings.port}"]
    mounts = dict(volume.split("#")[0].strip().split(":", 1) for volume in anjian["volumes"])
    assert mounts["anjian-data"] == settings.data_dir
    assert set(mounts) <= set(compose["volumes"]) and "pgdata" in compose["volumes"]
    assert compose["services"]["postgres"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    check = " ".join(anjian["healthcheck"]["test"])
    assert f"127.0.0.1:{settings.port}/healthz" in check


def test_the_image_runs_anjian_as_a_user_with_its_data_in_a_volume(dockerfile) -> None:
    froms = [line.split()[1] for line in dockerfile if line.startswith("FROM ")]
    base = next(line.split("=", 1)[1] for line in dockerfile if line.startswith("ARG PYTHON_IMAGE="))
    assert base.startswith("python:3.11-slim") and froms == ["${PYTHON_IMAGE}", "${PYTHON_IMAGE}"]
    users = [line.split()[1] for line in dockerfile if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert 'VOLUME ["/data"]' in dockerfile and "EXPOSE 8000" in dockerfile
    env = " ".join(line for line in dockerfile if line.startswith("ENV "))
    assert "ANJIAN_DATA_DIR=/data" in env and "ANJIAN_HOST=0.0.0.0" in env and "ANJIAN_DATABASE_URL=sqlite+aiosqlite:////data/anjian.db" in env
    healthcheck = next(line for line in dockerfile if line.startswith("HEALTHCHECK "))
    assert "/healthz" in healthcheck
    assert 'ENTRYPOINT ["anjian"]' in dockerfile and 'CMD ["serve"]' in dockerfile
    assert any("postgresql-client" in line for line in dockerfile)  # pg_dump for anjian backup


def test_the_image_holds_every_package_the_server_imports(dockerfile) -> None:
    copied = {source for line in dockerfile if line.startswith("COPY ") and "--from" not in line for source in line.split()[1:-1]}
    tree = ast.parse((ROOT / "server.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    own = {name for name in imported if (ROOT / name / "__init__.py").exists()}
    assert own == {"core", "sync", "checklists", "plugins", "web"}
    assert own | {"pyproject.toml", "README.md", "server.py"} <= copied
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip() and not line.startswith("#")}
    assert not own & ignored
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert all(f'"{name}*"' in pyproject for name in own), "every package the server imports must be in the wheel"
