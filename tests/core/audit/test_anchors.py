"""Anchors hold the audit chain to signed heads: removing its newest entries, rewriting every hash
from some entry on and forging an anchor are all detected, up to the last anchor."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from core.audit.anchors import AuditAnchor, anchor_mac, log_line, parse_log, take_anchor
from core.audit.verify import verify_chain
from core.bootstrap import prepare_database
from core.clock import FrozenClock
from core.context import Context
from core.scheduler.runner import run_job
from core.storage.audit_log import SYSTEM, AuditEntry, append_audit, columns_of, entry_hash
from tests.conftest import SECRET, build_context, make_settings


@pytest.fixture
async def ctx(any_db_url, tmp_path) -> AsyncIterator[Context]:  # type: ignore[no-untyped-def]
    context = build_context(make_settings(any_db_url, str(tmp_path / "data")), FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)))
    try:
        await prepare_database(context.db)
        yield context
    finally:
        await context.db.dispose()


async def _append(ctx: Context, n: int, action: str = "test_entry") -> None:
    async with ctx.db.write() as session:
        for i in range(n):
            await append_audit(session, actor=SYSTEM, action=action, entity="test", entity_id=str(i), at=ctx.clock.now(), after={"i": i})


async def _verify(ctx: Context, **kw: Any):  # type: ignore[no-untyped-def]
    async with ctx.db.read() as session:
        return await verify_chain(session, secret=ctx.secret, **kw)


async def _sql(ctx: Context, statement: str, **params: Any) -> None:
    async with ctx.db.write() as session:
        await session.execute(text(statement), params)


async def test_an_anchor_is_kept_in_its_table_in_the_chain_and_in_the_log(ctx, caplog) -> None:  # type: ignore[no-untyped-def]
    await _append(ctx, 3)
    with caplog.at_level(logging.INFO, logger="anjian.audit"):
        anchor = await take_anchor(ctx)
    assert anchor is not None and anchor.seq == 3
    assert anchor.mac == anchor_mac(SECRET, 3, anchor.hash, anchor.at)
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("audit anchor")]
    assert line == f"audit anchor seq=3 hash={anchor.hash} at={anchor.at.isoformat(timespec='microseconds')} mac={anchor.mac}"
    async with ctx.db.read() as session:
        head = (await session.exec(select(AuditEntry).order_by(col(AuditEntry.seq).desc()))).first()
        stored = (await session.exec(select(AuditAnchor))).one()
    assert head is not None and head.seq == 4 and head.action == "audit_anchored" and head.after == {
        "id": stored.id, "seq": 3, "hash": anchor.hash, "at": anchor.at.isoformat(timespec="microseconds"), "mac": anchor.mac,
    }
    # Nothing appended since: no new anchor (the hourly job on an idle server adds nothing).
    assert await take_anchor(ctx) is None
    report = await _verify(ctx)
    assert report.ok and report.anchors == 1 and report.last_anchor_seq == 3


async def test_removing_the_last_entries_after_an_anchor_fails_naming_the_anchor(ctx) -> None:  # type: ignore[no-untyped-def]
    await _append(ctx, 5)
    anchor = await take_anchor(ctx)
    assert anchor is not None
    await _append(ctx, 3)
    # What is left after removing a tail is a valid chain: only the anchor can tell.
    await _sql(ctx, "DELETE FROM audit_entry WHERE seq >= :s", s=anchor.seq - 1)
    report = await _verify(ctx)
    assert not report.ok
    assert report.broken_anchor == anchor.id and report.broken_seq == anchor.seq
    assert f"anchor #{anchor.id}" in report.reason and "removed" in report.reason
    assert f"锚点 #{anchor.id}" in report.reason_zh


async def test_rewriting_every_hash_from_an_entry_on_fails_naming_the_anchor(ctx) -> None:  # type: ignore[no-untyped-def]
    await _append(ctx, 6)
    anchor = await take_anchor(ctx)
    assert anchor is not None
    await _append(ctx, 2)
    # Edit entry 2 and recompute every later hash, as an attacker with the database would.
    async with ctx.db.write() as session:
        entries = (await session.exec(select(AuditEntry).order_by(col(AuditEntry.seq)))).all()
        prev = entries[0].hash
        for entry in entries[1:]:
            if entry.seq == 2:
                entry.actor_name = "mallory"
            entry.prev_hash = prev
            entry.hash = entry_hash(prev, columns_of(entry))
            session.add(entry)
            await session.flush()
            prev = entry.hash
    report = await _verify(ctx)
    assert not report.ok and report.broken_anchor == anchor.id and report.broken_seq == anchor.seq
    # Every link and hash up to the anchored entry was consistent: only the anchor caught it.
    assert "rewritten" in report.reason and f"anchor #{anchor.id}" in report.reason and report.entries == anchor.seq


async def test_a_forged_anchor_fails(ctx) -> None:  # type: ignore[no-untyped-def]
    await _append(ctx, 4)
    async with ctx.db.read() as session:
        entry = (await session.exec(select(AuditEntry).where(col(AuditEntry.seq) == 4))).one()
    at = ctx.clock.now()
    async with ctx.db.write() as session:
        session.add(AuditAnchor(seq=4, hash=entry.hash, at=at, mac=anchor_mac("not-the-server-secret", 4, entry.hash, at)))
    report = await _verify(ctx)
    assert not report.ok and report.broken_seq == 4 and report.broken_anchor is not None
    assert "forged" in report.reason and "锚点" in report.reason_zh
    # A real anchor with its MAC altered fails the same way.
    await _sql(ctx, "DELETE FROM audit_anchor")
    anchor = await take_anchor(ctx)
    assert anchor is not None
    await _sql(ctx, "UPDATE audit_anchor SET mac = :m", m="0" * 64)
    assert "forged" in (await _verify(ctx)).reason


async def test_a_removed_anchor_is_noticed_by_its_entry_in_the_chain(ctx) -> None:  # type: ignore[no-untyped-def]
    await _append(ctx, 2)
    anchor = await take_anchor(ctx)
    assert anchor is not None
    await _sql(ctx, "DELETE FROM audit_anchor")
    report = await _verify(ctx)
    assert not report.ok and report.broken_seq == anchor.seq + 1 and "missing from the anchor table" in report.reason


async def test_anchors_from_the_shipped_log_still_stand_when_the_table_and_the_tail_are_gone(ctx, caplog) -> None:  # type: ignore[no-untyped-def]
    await _append(ctx, 4)
    with caplog.at_level(logging.INFO, logger="anjian.audit"):
        anchor = await take_anchor(ctx)
    assert anchor is not None
    shipped = [f"2026-03-02 17:00:00 INFO anjian.audit {r.getMessage()}" for r in caplog.records] + ["unrelated line"]
    await _sql(ctx, "DELETE FROM audit_entry WHERE seq >= 3")
    await _sql(ctx, "DELETE FROM audit_anchor")
    # The limit the docs state: with the anchors gone too, the database alone cannot tell.
    assert (await _verify(ctx)).ok
    report = await _verify(ctx, logged=parse_log(shipped))
    assert not report.ok and report.broken_seq == anchor.seq and "logged anchor" in report.reason
    assert parse_log([log_line(anchor)])[0].mac == anchor.mac


async def test_the_hourly_job_anchors_and_an_idle_hour_adds_nothing(ctx) -> None:  # type: ignore[no-untyped-def]
    await _append(ctx, 2)
    first = await run_job(ctx, "audit_anchor")
    assert first.status == "done" and first.result == {"anchored": True, "seq": 2}
    ctx.clock.advance(hours=1)  # type: ignore[attr-defined]
    idle = await run_job(ctx, "audit_anchor")
    assert idle.status == "done" and idle.result == {"anchored": False, "seq": None}
    assert (await _verify(ctx)).ok


async def test_anchor_api_is_for_admins_and_verify_reports_anchors(api, admin) -> None:  # type: ignore[no-untyped-def]
    viewer = await api.as_new("viewer")
    refused = await api.client.post("/api/v1/audit/anchors", headers=viewer)
    assert refused.status_code == 403 and refused.json()["message_zh"]
    taken = (await api.client.post("/api/v1/audit/anchors", headers=admin)).json()
    assert taken["anchored"] is True and taken["anchor"]["seq"] >= 1
    listed = (await api.client.get("/api/v1/audit/anchors", headers=admin)).json()
    assert [a["id"] for a in listed] == [taken["anchor"]["id"]]
    report = (await api.client.get("/api/v1/audit/verify", headers=admin)).json()
    assert report["ok"] is True and report["anchors"] == 1 and report["last_anchor_seq"] == taken["anchor"]["seq"]
    async with api.direct.db.write() as session:
        await session.execute(text("DELETE FROM audit_entry WHERE seq >= :s"), {"s": taken["anchor"]["seq"]})
    broken = (await api.client.get("/api/v1/audit/verify", headers=admin)).json()
    assert broken["ok"] is False and broken["broken_anchor"] == taken["anchor"]["id"]


async def test_cli_anchors_and_verify_names_the_anchor(api, admin, settings, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from server import cli

    await api.enterprise(admin)
    monkeypatch.setenv("ANJIAN_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ANJIAN_DATA_DIR", settings.data_dir)
    monkeypatch.setenv("ANJIAN_SECRET_KEY", settings.secret_key)

    def run_cli(*args: str):  # type: ignore[no-untyped-def]  # its own event loop: off the test's
        return CliRunner().invoke(cli, ["audit", *args])

    taken = await asyncio.to_thread(run_cli, "anchor")
    assert taken.exit_code == 0 and taken.output.startswith("audit anchor seq="), taken.output
    log = tmp_path / "server.log"
    log.write_text(taken.output, encoding="utf-8")
    seq = parse_log([taken.output])[0].seq
    ok = await asyncio.to_thread(run_cli, "verify", "--anchors-from", str(log))
    assert ok.exit_code == 0 and "intact" in ok.output and "2 anchors" in ok.output, ok.output
    async with api.direct.db.write() as session:
        await session.execute(text("DELETE FROM audit_entry WHERE seq >= :s"), {"s": seq})
    broken = await asyncio.to_thread(run_cli, "verify")
    assert broken.exit_code == 1 and "anchor #1" in broken.output and "审计链" in broken.output
