"""A malformed setting is one clear line and exit code 2; an unknown ``ANJIAN_*`` is warned about."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from core.settings import SettingsError, settings_from_env, unknown_variables
from server import cli

ROOT = Path(__file__).resolve().parents[2]


def test_anjian_serve_with_a_malformed_port_prints_one_line_and_exits_2(tmp_path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANJIAN_")}
    env.update(ANJIAN_PORT="abc", ANJIAN_DATA_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "server", "serve"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert "ANJIAN_PORT='abc'" in lines[0] and "Expected `int`" in lines[0] and "设置项 ANJIAN_PORT 无效" in lines[0]


def test_every_command_refuses_a_malformed_setting_the_same_way(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ANJIAN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ANJIAN_PG_POOL_SIZE", "lots")
    result = CliRunner().invoke(cli, ["migrate"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [result.output.strip()] and "ANJIAN_PG_POOL_SIZE='lots'" in result.output


def test_the_message_names_the_variable_for_checks_made_after_decoding() -> None:
    for env, expected in [({"ANJIAN_TIME_ZONE": "Mars/Base"}, "ANJIAN_TIME_ZONE='Mars/Base'"), ({"ANJIAN_LOG_LEVEL": "loud"}, "ANJIAN_LOG_LEVEL='loud'"),
                          ({"ANJIAN_LOG_FORMAT": "xml"}, "ANJIAN_LOG_FORMAT='xml'")]:
        try:
            settings_from_env(env)
        except SettingsError as exc:
            assert expected in str(exc) and "\n" not in str(exc)
        else:
            raise AssertionError(env)
    assert settings_from_env({"ANJIAN_LOG_LEVEL": "debug", "ANJIAN_LOG_FORMAT": "json"}).log_level == "DEBUG"


def test_unknown_variables_are_named_with_the_setting_meant() -> None:
    warnings = unknown_variables({"ANJIAN_PROT": "9000", "ANJIAN_PORT": "9000", "ANJIAN_NOTHING_LIKE_IT": "1", "ANJIAN_TEST_PG_DSN": "x", "ANJIAN_TABLET_STATE": "t.db", "PATH": "/bin"})
    assert warnings == [
        "unknown setting ANJIAN_NOTHING_LIKE_IT is ignored (未知设置项 ANJIAN_NOTHING_LIKE_IT，已忽略)",
        "unknown setting ANJIAN_PROT is ignored; did you mean ANJIAN_PORT? (未知设置项 ANJIAN_PROT，已忽略)",
    ]


def test_commands_warn_of_unknown_variables(tmp_path, db_url, monkeypatch, caplog) -> None:
    monkeypatch.setenv("ANJIAN_DATABASE_URL", db_url)
    monkeypatch.setenv("ANJIAN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ANJIAN_DATABSE_URL", "sqlite+aiosqlite:///elsewhere.db")
    result = CliRunner().invoke(cli, ["migrate"])
    assert result.exit_code == 0, result.output
    warned = [r for r in caplog.records if r.name == "anjian.settings"]
    assert [r.levelname for r in warned] == ["WARNING"] and "ANJIAN_DATABSE_URL" in warned[0].getMessage() and "ANJIAN_DATABASE_URL" in warned[0].getMessage()
