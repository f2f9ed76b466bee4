"""The audit log: every change leaves an entry; the hash chain detects edits, removals and reorders."""

from sqlalchemy import text

from core.audit.verify import verify_chain


async def _verify(api):
    async with api.direct.db.read() as session:
        return await verify_chain(session)


async def test_changes_leave_entries_with_before_and_after(api, admin):
    enterprise = await api.enterprise(admin)
    await api.client.patch(f"/api/v1/enterprises/{enterprise['id']}", json={"address": "新地址"}, headers=admin)
    entries = (await api.client.get(f"/api/v1/audit?entity=enterprise&entity_id={enterprise['id']}", headers=admin)).json()
    assert [e["action"] for e in entries] == ["enterprise_updated", "enterprise_created"]
    updated = entries[0]
    assert updated["actor_name"] == "root"
    assert updated["before"]["address"] == "" and updated["after"]["address"] == "新地址"
    actions = {e["action"] for e in (await api.client.get("/api/v1/audit", headers=admin)).json()}
    assert {"user_created", "login", "enterprise_created"} <= actions


async def test_no_secret_reaches_the_log(api, admin):
    entries = (await api.client.get("/api/v1/audit?entity=user", headers=admin)).json()
    assert entries and all("password_hash" not in (e["after"] or {}) for e in entries)


async def test_intact_chain_verifies(api, admin):
    await api.enterprise(admin)
    report = (await api.client.get("/api/v1/audit/verify", headers=admin)).json()
    assert report["ok"] is True and report["entries"] >= 3


async def test_edited_entry_is_detected(api, admin):
    await api.enterprise(admin)
    async with api.direct.db.write() as session:
        await session.execute(text("UPDATE audit_entry SET actor_name = 'mallory' WHERE seq = 2"))
    report = await _verify(api)
    assert not report.ok and report.broken_seq == 2 and "edited" in report.reason


async def test_removed_entry_is_detected(api, admin):
    await api.enterprise(admin)
    async with api.direct.db.write() as session:
        await session.execute(text("DELETE FROM audit_entry WHERE seq = 2"))
    report = await _verify(api)
    assert not report.ok and report.broken_seq == 3 and "link" in report.reason


async def test_cli_audit_verify_exits_nonzero_on_tampering(api, admin, settings, monkeypatch):
    from click.testing import CliRunner

    from server import cli

    await api.enterprise(admin)
    monkeypatch.setenv("ANJIAN_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ANJIAN_DATA_DIR", settings.data_dir)
    monkeypatch.setenv("ANJIAN_SECRET_KEY", settings.secret_key)
    import asyncio

    def run_cli():  # the command runs its own event loop: keep it off the test's loop
        return CliRunner().invoke(cli, ["audit", "verify"])

    ok = await asyncio.to_thread(run_cli)
    assert ok.exit_code == 0, ok.output
    assert "intact" in ok.output
    async with api.direct.db.write() as session:
        await session.execute(text("UPDATE audit_entry SET action = 'nothing' WHERE seq = 1"))
    broken = await asyncio.to_thread(run_cli)
    assert broken.exit_code == 1


async def test_several_entries_in_one_transaction_chain_and_the_next_transaction_links_on(api, admin):
    from sqlmodel import col, select

    from core.storage.audit_log import SYSTEM, AuditEntry, append_audit

    ctx = api.direct
    async with ctx.db.write() as session:
        for i in range(3):
            await append_audit(session, actor=SYSTEM, action="test_batch", entity="test", entity_id=str(i), at=ctx.clock.now())
    # Another writer's transaction in between: the next one must link to it, not to a remembered hash.
    await api.enterprise(admin)
    async with ctx.db.write() as session:
        await append_audit(session, actor=SYSTEM, action="test_after", entity="test", at=ctx.clock.now())
    async with ctx.db.read() as session:
        entries = (await session.exec(select(AuditEntry).order_by(col(AuditEntry.seq)))).all()
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(entries, entries[1:]))
    assert (await _verify(api)).ok


def test_an_entry_hashed_from_its_payload_encoded_before_the_lock_hashes_as_the_whole_document() -> None:
    import hashlib
    from datetime import UTC, datetime

    import msgspec

    from core.storage.audit_log import entry_hash, linked_hash, unlinked_payload

    entry = {
        "at": datetime(2026, 3, 2, 8, 0, 1, 123456, tzinfo=UTC), "actor_id": None, "actor_name": "系统\"引号\"", "action": "hazard_created",
        "entity": "hazard", "entity_id": "h-1", "before": None, "after": {"描述": "仓库无防火间距", "zeta": [1, 2.5], "alpha": {"b": 1, "a": None}},
    }
    prev = "ab" * 32
    # The definition the stored chain was built with: the whole entry, ``prev`` included, keys sorted.
    whole = msgspec.json.encode({"prev": prev, **entry, "at": entry["at"].isoformat()}, order="sorted")
    assert linked_hash(unlinked_payload(entry), prev) == entry_hash(prev, entry) == hashlib.sha256(whole).hexdigest()
