"""Settings from the environment, the generated signing secret, and the core CLI commands."""

import os
import stat

import pytest
from click.testing import CliRunner

from core.access.secret import load_or_create_secret
from core.settings import SettingsError, settings_from_env
from server import cli


def test_settings_decode_and_validate_environment():
    settings = settings_from_env({"ANJIAN_PORT": "9000", "ANJIAN_PLUGINS_DISABLED": "coal, fire", "ANJIAN_RUN_SCHEDULER": "false", "OTHER": "x"})
    assert settings.port == 9000 and settings.plugins_disabled == ["coal", "fire"] and settings.run_scheduler is False
    with pytest.raises(SettingsError) as info:
        settings_from_env({"ANJIAN_PORT": "not-a-port"})
    assert "port" in str(info.value)
    with pytest.raises(SettingsError):
        settings_from_env({"ANJIAN_PORT": "70000"})


def test_secret_is_generated_once_kept_private_and_never_a_constant(tmp_path):
    first = load_or_create_secret(str(tmp_path))
    assert len(first) >= 32
    assert load_or_create_secret(str(tmp_path)) == first
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600
    assert load_or_create_secret(str(tmp_path / "other")) != first
    assert load_or_create_secret(str(tmp_path), "y" * 40) == "y" * 40
    with pytest.raises(ValueError):
        load_or_create_secret(str(tmp_path), "short")


@pytest.fixture
def cli_env(tmp_path, db_url, monkeypatch):
    monkeypatch.setenv("ANJIAN_DATABASE_URL", db_url)
    monkeypatch.setenv("ANJIAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ANJIAN_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("ANJIAN_ARGON2_MEMORY_KIB", "64")
    monkeypatch.setenv("ANJIAN_ARGON2_PARALLELISM", "1")
    return CliRunner()


def test_user_create_command(cli_env):
    ok = cli_env.invoke(cli, ["user", "create", "zhang", "--role", "inspector", "--region", "510681", "--industry", "hazchem", "--password", "long-enough-pw"])
    assert ok.exit_code == 0, ok.output
    assert "created user zhang (inspector)" in ok.output
    again = cli_env.invoke(cli, ["user", "create", "zhang", "--role", "viewer", "--password", "long-enough-pw"])
    assert again.exit_code != 0 and "已存在" in again.output
    bad_region = cli_env.invoke(cli, ["user", "create", "li", "--role", "viewer", "--region", "999999", "--password", "long-enough-pw"])
    assert bad_region.exit_code != 0 and "region_code" in bad_region.output
    prompted = cli_env.invoke(cli, ["user", "create", "wang", "--role", "viewer"], input="long-enough-pw\nlong-enough-pw\n")
    assert prompted.exit_code == 0, prompted.output


def test_demo_command_creates_a_county_and_one_user_per_role(cli_env):
    result = cli_env.invoke(cli, ["demo", "--enterprises", "30"])
    assert result.exit_code == 0, result.output
    assert "30 new enterprises" in result.output
    assert "3 new risk registers" in result.output  # the first 工贸 enterprises, graded by the plugins' evaluators
    for role in ["admin", "department_admin", "inspector", "evaluator", "enterprise_user", "viewer"]:
        assert f"role {role}" in result.output
    second = cli_env.invoke(cli, ["demo", "--enterprises", "30"])
    assert "0 new enterprises" in second.output and "existing users kept" in second.output
    assert "0 new risk registers" in second.output


async def test_postgresql_pool_size_comes_from_the_settings(tmp_path):
    """Creating the engine opens no connection, so this needs no PostgreSQL server."""
    from server import build_context

    settings = settings_from_env(
        {"ANJIAN_DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/none", "ANJIAN_DATA_DIR": str(tmp_path), "ANJIAN_SECRET_KEY": "s" * 48,
         "ANJIAN_PG_POOL_SIZE": "12", "ANJIAN_PG_MAX_OVERFLOW": "3"}
    )
    ctx = build_context(settings)
    try:
        pool = ctx.db.engine.sync_engine.pool
        assert (pool.size(), pool._max_overflow) == (12, 3)  # type: ignore[attr-defined]
    finally:
        await ctx.db.dispose()
    default = build_context(settings_from_env({"ANJIAN_DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/none", "ANJIAN_DATA_DIR": str(tmp_path), "ANJIAN_SECRET_KEY": "s" * 48}))
    try:
        assert default.db.engine.sync_engine.pool.size() == 30
    finally:
        await default.db.dispose()
    with pytest.raises(SettingsError, match="pg_pool_size"):
        settings_from_env({"ANJIAN_PG_POOL_SIZE": "0"})
