"""The minimum password policy: refused with a Chinese reason on creation, on change and in the CLI;
the tests' and the demo's passwords pass; the common-password list ships in the package."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.access.password_policy import common_passwords, weakness
from core.demo import new_password
from server import cli
from tests.conftest import PASSWORD

WEAK = ["12345678", "password", " " * 8, "short-1A", " " * 12, "aaaaaaaaaaaa", "ABCDEFGHIJKL", "1234567890", "qwertyuiop",
        "Password2024!", "woaini1314520", "1234567890!", "P@ssw0rd123"]
STRONG = [PASSWORD, "long-enough-pw", "安全生产检查2024", "Jiancha-7-Yuan"]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _assert_weak_password_error(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "weak_password" and body["field"] == "password"
    assert CHINESE.search(body["message_zh"]) and body["message"]


@pytest.mark.parametrize("password", WEAK)
def test_weak_passwords_fail_the_policy(password):
    assert weakness(password) is not None


@pytest.mark.parametrize("password", STRONG)
def test_good_passwords_pass_the_policy(password):
    assert weakness(password) is None


def test_the_demo_makes_passwords_that_pass():
    assert all(weakness(new_password()) is None for _ in range(500))


async def test_creating_a_user_with_a_weak_password_is_refused(api, admin):
    for password in ["12345678", "password", " " * 8, "Password2024!"]:
        response = await api.client.post("/api/v1/users", json={"username": "weak1", "password": password, "role": "viewer"}, headers=admin)
        _assert_weak_password_error(response)
    ok = await api.client.post("/api/v1/users", json={"username": "weak1", "password": "Jiancha-7-Yuan", "role": "viewer"}, headers=admin)
    assert ok.status_code == 201, ok.text


async def test_changing_to_a_weak_password_is_refused(api, admin):
    user_id = await api.user("u1", "viewer")
    for password in ["12345678", "password", " " * 8, "qwertyuiop"]:
        _assert_weak_password_error(await api.client.patch(f"/api/v1/users/{user_id}", json={"password": password}, headers=admin))
    await api.login("u1")  # unchanged
    assert (await api.client.patch(f"/api/v1/users/{user_id}", json={"password": "Jiancha-7-Yuan"}, headers=admin)).status_code == 200
    await api.login("u1", password="Jiancha-7-Yuan")


@pytest.fixture
def cli_env(tmp_path, db_url, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ANJIAN_DATABASE_URL", db_url)
    monkeypatch.setenv("ANJIAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ANJIAN_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("ANJIAN_ARGON2_MEMORY_KIB", "64")
    monkeypatch.setenv("ANJIAN_ARGON2_PARALLELISM", "1")
    return CliRunner()


@pytest.mark.parametrize("password", ["12345678", "password", "1234567", "aaaaaaaaaaaa"])
def test_user_create_command_refuses_a_weak_password(cli_env, password):
    result = cli_env.invoke(cli, ["user", "create", "zhang", "--role", "viewer", "--password", password])
    assert result.exit_code != 0
    assert "[password]" in result.output and CHINESE.search(result.output)
    assert "created user" not in result.output


def test_the_common_password_list_ships_in_the_package():
    words = common_passwords()
    assert len(words) > 5000 and {"password", "qwertyuiop", "1234567890", "woaini1314"} <= words
    root = Path(__file__).resolve().parents[3]
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    patterns = [pattern for key in ("*", "core.access") for pattern in data.get(key, [])]
    assert any(fnmatch.fnmatch("common_passwords.txt", pattern) for pattern in patterns), patterns
    assert (root / "core" / "access" / "common_passwords.txt").read_text(encoding="utf-8").startswith("# ")
