"""Push: exactly-once storage, refusals with field paths, quarantine, plugins told after commit."""

from __future__ import annotations

import uuid

from sqlmodel import col, func, select

from core.hazards.records import Hazard
from sync.push.ledger import SyncRecord
from sync.push.submissions import Submission


async def _count(ctx, model, *conditions) -> int:  # type: ignore[no-untyped-def]
    async with ctx.db.read() as session:
        return (await session.exec(select(func.count()).select_from(model).where(*conditions))).one()


async def test_same_batch_pushed_ten_times_is_stored_once(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    failing = world.submission(answers={"CC-1": {"result": "fail", "note": "仓库无防火间距"}, "CC-2": {"value": 35}, "CC-3": {"result": "fail"}})
    batch = [world.submission(), failing]
    first = await world.push(tablet, *batch)
    assert [r["status"] for r in first] == ["accepted", "accepted"]
    assert len(first[1]["hazard_ids"]) == 3
    for _ in range(9):
        again = await world.push(tablet, *batch)
        assert [r["status"] for r in again] == ["duplicate", "duplicate"]
        assert again[1]["hazard_ids"] == first[1]["hazard_ids"]
    ctx = world.api.ctx
    assert await _count(ctx, Submission) == 2
    assert await _count(ctx, SyncRecord) == 2
    assert await _count(ctx, Hazard) == 3
    assert len(world.recorder.seen) == 2  # plugins told once per submission
    # Plugins get plain data, exactly what was stored (the row is staged with the wire structs).
    told = next(s for s in world.recorder.seen if s.id == failing["id"])
    assert told.answers == failing["answers"]
    async with ctx.db.read() as session:
        stored = await session.get(Submission, failing["id"])
    assert stored is not None and stored.answers == told.answers


async def test_major_hazard_item_creates_a_listed_major_hazard_awaiting_its_plan(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    hazard_id = str(uuid.uuid4())
    record = world.submission(
        answers={"CC-1": {"result": "pass"}, "CC-2": {"value": 20}, "CC-3": {"result": "fail", "photos": ["a" * 64]}},
        hazards=[{"id": hazard_id, "item_code": "CC-3", "description": "重大危险源未登记建档", "responsible_person": "张三", "rectification_plan": "十日内完成辨识登记"}],
    )
    [result] = await world.push(tablet, record)
    assert result["status"] == "accepted"
    assert result["hazard_ids"] == [hazard_id]
    assert result["missing_attachments"] == ["a" * 64]
    async with world.api.ctx.db.read() as session:
        hazard = await session.get(Hazard, hazard_id)
    assert hazard is not None and hazard.level == "major" and hazard.listed_supervision
    # no deadline from the item's rectification_days: the 治理方案 sets it (test_major_hazard_plan.py)
    assert hazard.status == "reported" and hazard.deadline is None and hazard.rectification_plan == "十日内完成辨识登记"
    assert hazard.submission_id == record["id"]


async def test_different_record_under_used_id_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    record = world.submission()
    [first] = await world.push(tablet, record)
    assert first["status"] == "accepted"
    changed = dict(record, notes="改过的备注")
    [second] = await world.push(tablet, changed)
    assert second["status"] == "rejected" and second["code"] == "id_in_use" and second["field"] == "id"
    async with world.api.ctx.db.read() as session:
        stored = await session.get(Submission, record["id"])
    assert stored is not None and stored.notes == ""


async def test_unknown_version_item_and_out_of_scope_enterprise_are_rejected_with_path(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    other = await world.api.enterprise(world.admin, name="德阳市外县企业", region_code="510603")
    bad_version = world.submission(checklist_version="9.9.9")
    bad_item = world.submission(answers={"CC-1": {"result": "pass"}, "CC-2": {"value": 1}, "CC-3": {"result": "pass"}, "ZZ-9": {"result": "pass"}})
    out_of_scope = world.submission(enterprise_id=other["id"])
    missing_required = world.submission(answers={"CC-1": {"result": "pass"}, "CC-2": {"value": 1}})
    bad_hash = world.submission(checklist_hash="0" * 64)
    malformed = world.submission(answers={"CC-1": {"result": "maybe"}})
    good = world.submission()
    results = await world.push(tablet, bad_version, bad_item, out_of_scope, missing_required, bad_hash, malformed, good)
    assert [(r["status"], r.get("field")) for r in results] == [
        ("rejected", "checklist_version"),
        ("rejected", "answers.ZZ-9"),
        ("rejected", "enterprise_id"),
        ("rejected", "answers.CC-3"),
        ("rejected", "checklist_hash"),
        ("rejected", "answers.CC-1.result"),
        ("accepted", None),
    ]
    assert all(r.get("quarantine_id") for r in results[:6])
    ctx = world.api.ctx
    assert await _count(ctx, Submission) == 1
    # Nothing half-written stays behind: no hazards from the rejected records.
    assert await _count(ctx, Hazard) == 0


async def test_quarantine_keeps_rejected_records_and_admin_reingests_or_dismisses(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    bad = world.submission(answers={"CC-1": {"result": "pass"}, "CC-2": {"value": 1}})
    other_bad = world.submission(checklist_version="2.0.0")
    results = await world.push(tablet, bad, other_bad)
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    # The tablet resends the same rejected record: still one quarantine row, attempts counted.
    await world.push(tablet, bad)
    client = world.api.client
    listed = (await client.get("/api/v1/sync/quarantine", headers=world.admin)).json()
    assert listed["total"] == 2
    row = next(r for r in listed["items"] if r["record_id"] == bad["id"])
    assert row["attempts"] == 2 and row["field"] == "answers.CC-3" and row["payload"]["id"] == bad["id"]
    # Inspectors may not review quarantine.
    assert (await client.get("/api/v1/sync/quarantine", headers=tablet.headers)).status_code == 403
    fixed = dict(row["payload"])
    fixed["answers"] = dict(fixed["answers"], **{"CC-3": {"result": "pass"}})
    response = await client.post(f"/api/v1/sync/quarantine/{row['id']}/reingest", json={"payload": fixed, "note": "补录漏答项"}, headers=world.admin)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "accepted"
    async with world.api.ctx.db.read() as session:
        stored = await session.get(Submission, bad["id"])
    assert stored is not None and stored.inspector_id == tablet.user_id
    other_row = next(r for r in listed["items"] if r["record_id"] == other_bad["id"])
    response = await client.post(f"/api/v1/sync/quarantine/{other_row['id']}/dismiss", json={"reason": "重复录入"}, headers=world.admin)
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    assert (await client.get("/api/v1/sync/quarantine", headers=world.admin)).json()["total"] == 0


async def test_a_bug_in_ingestion_quarantines_the_record_and_the_batch_goes_on(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sync.push.batch as push_module

    tablet = await world.tablet("insp1")
    real = push_module.accept_submission
    boom_id = str(uuid.uuid4())

    async def flaky(session, writes, ctx, principal, record, digest, now, **kwargs):  # type: ignore[no-untyped-def]
        if record.id == boom_id:
            raise ZeroDivisionError("validation bug")
        return await real(session, writes, ctx, principal, record, digest, now, **kwargs)

    monkeypatch.setattr(push_module, "accept_submission", flaky)
    results = await world.push(tablet, world.submission(id=boom_id), world.submission())
    assert [r["status"] for r in results] == ["rejected", "accepted"]
    assert results[0]["code"] == "internal_error"
    assert await _count(world.api.ctx, Submission, col(Submission.id) == boom_id) == 0


async def test_push_needs_a_device_session_and_a_revoked_device_is_refused_at_once(world) -> None:  # type: ignore[no-untyped-def]
    client = world.api.client
    await world.api.user("webinsp", "inspector", region_code="510681", industries=["hazchem"])
    web = await world.api.login("webinsp")
    response = await client.post("/api/v1/sync/push", json={"records": []}, headers=web)
    assert response.status_code == 403 and response.json()["code"] == "device_required"
    tablet = await world.tablet("insp1")
    assert (await client.post("/api/v1/sync/push", json={"records": []}, headers=tablet.headers)).status_code == 200
    revoke = await client.post(f"/api/v1/devices/{tablet.device_id}/revoke", json={"reason": "平板丢失"}, headers=world.admin)
    assert revoke.status_code == 200, revoke.text
    response = await client.post("/api/v1/sync/push", json={"records": [world.submission()]}, headers=tablet.headers)
    assert response.status_code == 401 and response.json()["code"] in ("device_revoked", "session_ended")
    response = await client.get("/api/v1/sync/pull", headers=tablet.headers)
    assert response.status_code == 401


async def test_submission_pins_old_version_after_a_newer_one_is_published(world) -> None:  # type: ignore[no-untyped-def]
    from checklists.versions import publish_version
    from core.storage.audit_log import SYSTEM
    from tests.sync.conftest import checklist_v

    await publish_version(world.api.ctx, checklist_v("1.1.0", extra_item=True), actor=SYSTEM, source="api")
    tablet = await world.tablet("insp1")
    old = world.submission()  # made on 1.0.0 without CC-5
    [result] = await world.push(tablet, old)
    assert result["status"] == "accepted"
    on_old_with_new_item = world.submission(answers={"CC-1": {"result": "pass"}, "CC-2": {"value": 1}, "CC-3": {"result": "pass"}, "CC-5": {"result": "pass"}})
    [result] = await world.push(tablet, on_old_with_new_item)
    assert result["status"] == "rejected" and result["field"] == "answers.CC-5"


async def test_a_batch_is_stored_by_its_group_not_record_by_record(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Storing each record on its own is the fallback after a constraint race; a group that takes it
    # for valid, duplicate and rejected records alike (a bug in the group's path) still answers
    # right, only slower, so it has to be caught here.
    import sync.push.batch

    fallbacks: list[str] = []
    real_ingest = sync.push.batch.ingest

    async def watched(ctx, principal, plugins, store, record, **kwargs):  # type: ignore[no-untyped-def]
        fallbacks.append(record.id)
        return await real_ingest(ctx, principal, plugins, store, record, **kwargs)

    monkeypatch.setattr(sync.push.batch, "ingest", watched)
    tablet = await world.tablet("insp1")
    failing = world.submission(answers={"CC-1": {"result": "fail", "note": "仓库无防火间距"}, "CC-2": {"value": 35}, "CC-3": {"result": "fail"}})
    batch = [world.submission(), failing, world.submission()]
    assert [r["status"] for r in await world.push(tablet, *batch)] == ["accepted"] * 3
    unknown_enterprise = world.submission(enterprise_id=str(uuid.uuid4()))
    again = await world.push(tablet, *batch, unknown_enterprise)
    assert [r["status"] for r in again] == ["duplicate"] * 3 + ["rejected"]
    assert fallbacks == []


def test_decoded_records_are_not_tracked_by_the_cyclic_collector() -> None:
    # Thousands of answers per push, alive until it is answered: tracked, they set off collections.
    import gc

    import msgspec

    from sync.wire import PushRecord, SubmissionRecord

    record = msgspec.json.decode(msgspec.json.encode({
        "kind": "submission", "id": str(uuid.uuid4()), "enterprise_id": str(uuid.uuid4()), "checklist_id": "hazchem.storage",
        "checklist_version": "1.0.0", "checklist_hash": "0" * 64, "started_at": "2026-03-02T08:00:00+08:00", "finished_at": "2026-03-02T09:00:00+08:00",
        "answers": {"CC-1": {"result": "pass", "note": "良好"}},
    }), type=PushRecord)
    assert isinstance(record, SubmissionRecord)
    assert not gc.is_tracked(record) and not gc.is_tracked(record.answers["CC-1"])
