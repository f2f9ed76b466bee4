"""执法证号 (``enforcement_card_no``): set by an admin on create or update (API and CLI), trimmed,
at most 32 characters, shown with the user and audited; blank clears it."""

from __future__ import annotations

import re

from click.testing import CliRunner
from sqlmodel import col, select

from core.access.users import User
from core.storage.audit_log import AuditEntry
from server import cli
from tests.conftest import PASSWORD, Api

CHINESE = re.compile(r"[\u4e00-\u9fff]")


async def test_an_admin_sets_changes_and_clears_a_card_no(api: Api, admin: dict[str, str]) -> None:
    created = await api.client.post(
        "/api/v1/users", json={"username": "zhang", "password": PASSWORD, "role": "inspector", "enforcement_card_no": "  川应急执法 0001 \t"}, headers=admin,
    )
    assert created.status_code == 201, created.text
    user = created.json()
    assert user["enforcement_card_no"] == "川应急执法 0001"
    assert (await api.client.get(f"/api/v1/users/{user['id']}", headers=admin)).json()["enforcement_card_no"] == "川应急执法 0001"
    changed = await api.client.patch(f"/api/v1/users/{user['id']}", json={"enforcement_card_no": "51068100002"}, headers=admin)
    assert changed.status_code == 200 and changed.json()["enforcement_card_no"] == "51068100002"
    untouched = await api.client.patch(f"/api/v1/users/{user['id']}", json={"display_name": "张伟"}, headers=admin)
    assert untouched.json()["enforcement_card_no"] == "51068100002"
    for blank in ("   ", "", None):
        await api.client.patch(f"/api/v1/users/{user['id']}", json={"enforcement_card_no": "X1"}, headers=admin)
        cleared = await api.client.patch(f"/api/v1/users/{user['id']}", json={"enforcement_card_no": blank}, headers=admin)
        assert cleared.status_code == 200 and cleared.json()["enforcement_card_no"] is None
    async with api.direct.db.read() as session:
        entries = (await session.exec(select(AuditEntry).where(col(AuditEntry.entity_id) == user["id"]).order_by(col(AuditEntry.seq)))).all()
    assert entries[0].action == "user_created" and entries[0].after["enforcement_card_no"] == "川应急执法 0001"
    assert (entries[1].before["enforcement_card_no"], entries[1].after["enforcement_card_no"]) == ("川应急执法 0001", "51068100002")
    # The user sees their own number.
    me = await api.client.get("/api/v1/auth/me", headers=await api.login("zhang"))
    assert me.json()["enforcement_card_no"] is None


async def test_a_card_no_too_long_or_with_control_characters_is_refused_naming_the_field(api: Api, admin: dict[str, str]) -> None:
    user_id = await api.user("li", "inspector")
    for bad in ("1" * 33, "川" * 33, "A\u0007B", "12\n34"):
        created = await api.client.post("/api/v1/users", json={"username": "wang", "password": PASSWORD, "role": "inspector", "enforcement_card_no": bad}, headers=admin)
        patched = await api.client.patch(f"/api/v1/users/{user_id}", json={"enforcement_card_no": bad}, headers=admin)
        for response in (created, patched):
            assert response.status_code == 400, (bad, response.text)
            body = response.json()
            assert body["field"] == "enforcement_card_no" and CHINESE.search(body["message"] + body.get("message_zh", ""))
    assert (await api.client.patch(f"/api/v1/users/{user_id}", json={"enforcement_card_no": " " * 10 + "1" * 32 + " " * 10}, headers=admin)).json()["enforcement_card_no"] == "1" * 32
    # Not an admin: not allowed, whatever the value.
    inspector = await api.login("li")
    assert (await api.client.patch(f"/api/v1/users/{user_id}", json={"enforcement_card_no": "X"}, headers=inspector)).status_code == 403


def test_the_cli_creates_a_user_with_a_card_no(tmp_path, db_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name, value in (("DATABASE_URL", db_url), ("DATA_DIR", str(tmp_path / "data")), ("ARGON2_TIME_COST", "1"), ("ARGON2_MEMORY_KIB", "64"), ("ARGON2_PARALLELISM", "1")):
        monkeypatch.setenv(f"ANJIAN_{name}", value)
    runner = CliRunner()
    result = runner.invoke(cli, ["user", "create", "zhao", "--role", "inspector", "--card-no", " 51068100009 ", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    refused = runner.invoke(cli, ["user", "create", "qian", "--role", "inspector", "--card-no", "9" * 33, "--password", PASSWORD])
    assert refused.exit_code != 0 and "enforcement_card_no" in refused.output and "created user" not in refused.output

    import asyncio

    from core.storage.database import Database

    async def stored() -> list[tuple[str, str | None]]:
        db = Database(db_url)
        try:
            async with db.read() as session:
                return [tuple(row) for row in (await session.exec(select(User.username, User.enforcement_card_no).order_by(col(User.username)))).all()]  # type: ignore[misc]
        finally:
            await db.dispose()

    assert asyncio.run(stored()) == [("zhao", "51068100009")]
