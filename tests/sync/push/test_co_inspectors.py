"""Co-inspectors (同行执法人员): a submission names the other officers present; each must be an
active inspector whose scope covers the enterprise, named once, not the one pushing. A bad name
rejects that record alone, with every reason at once and the field it is about."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import col, select

from core.storage.audit_log import AuditEntry
from sync.push.submissions import Submission


async def _stored(world: Any, submission_id: str) -> Submission:
    async with world.api.ctx.db.read() as session:
        row = await session.get(Submission, submission_id)
    assert row is not None
    return row


async def test_co_inspectors_are_kept_with_the_submission_and_its_audit_entry(world) -> None:  # type: ignore[no-untyped-def]
    lead, first, second = await world.tablet("zhang"), await world.tablet("li"), await world.tablet("wang")
    record = world.submission(co_inspectors=[first.user_id, second.user_id.upper()])
    [result] = await world.push(lead, record)
    assert result["status"] == "accepted", result
    assert (await _stored(world, record["id"])).co_inspectors == [first.user_id, second.user_id]
    async with world.api.ctx.db.read() as session:
        entry = (await session.exec(select(AuditEntry).where(col(AuditEntry.entity_id) == record["id"], col(AuditEntry.action) == "submission_accepted"))).one()
    assert entry.after["co_inspectors"] == [first.user_id, second.user_id]
    # Pushed again (any spelling of the ids): the same record, stored once.
    [again] = await world.push(lead, {**record, "co_inspectors": [first.user_id.upper(), second.user_id]})
    assert again["status"] == "duplicate"
    # Without the field: none, and the audit entry is as it always was.
    plain = world.submission()
    await world.push(lead, plain)
    assert (await _stored(world, plain["id"])).co_inspectors == []


async def test_a_bad_co_inspector_rejects_only_its_record_naming_each_one(world) -> None:  # type: ignore[no-untyped-def]
    api = world.api
    lead, good = await world.tablet("zhang"), await world.tablet("li")
    outsider = await world.tablet("far", region_code="510104", industries=["hazchem"])
    other_industry = await world.tablet("coal", region_code="510681", industries=["coal"])
    retired = await world.tablet("retired")
    assert (await api.client.patch(f"/api/v1/users/{retired.user_id}", json={"active": False}, headers=world.admin)).status_code == 200
    viewer = await api.user("viewer1", "viewer", region_code="510681")
    owner = await api.user("owner1", "enterprise_user", enterprise_id=world.enterprise["id"])
    nobody = str(uuid.uuid4())
    bad = world.submission(co_inspectors=[good.user_id, lead.user_id, good.user_id, nobody, retired.user_id])
    worse = world.submission(co_inspectors=[outsider.user_id, other_industry.user_id, viewer, owner])
    results = await world.push(lead, world.submission(), bad, world.submission(co_inspectors=[good.user_id]), worse)
    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted", "rejected"]
    problems = [(p["field"], p["code"]) for p in results[1]["problems"]]
    assert problems == [
        ("co_inspectors.1", "co_inspector_is_self"), ("co_inspectors.2", "duplicate_co_inspector"),
        ("co_inspectors.3", "unknown_co_inspector"), ("co_inspectors.4", "co_inspector_inactive"),
    ]
    assert [(p["field"], p["code"]) for p in results[3]["problems"]] == [
        ("co_inspectors.0", "co_inspector_out_of_scope"), ("co_inspectors.1", "co_inspector_out_of_scope"),
        ("co_inspectors.2", "co_inspector_not_inspector"), ("co_inspectors.3", "co_inspector_not_inspector"),
    ]
    for result in (results[1], results[3]):
        assert all(p["message"] and p["message_zh"] for p in result["problems"])
        assert result["quarantine_id"]
    assert "far" in results[3]["problems"][0]["message"] and "管辖范围" in results[3]["problems"][0]["message_zh"]


async def test_other_problems_of_the_record_are_reported_with_the_co_inspectors(world) -> None:  # type: ignore[no-untyped-def]
    lead = await world.tablet("zhang")
    record = world.submission(co_inspectors=[lead.user_id], answers={"CC-1": {"result": "pass"}, "CC-3": {"result": "pass"}})
    [result] = await world.push(lead, record)
    assert result["status"] == "rejected"
    assert {(p["field"], p["code"]) for p in result["problems"]} == {("answers.CC-2", "required_item_missing"), ("co_inspectors.0", "co_inspector_is_self")}


async def test_at_most_five_co_inspectors_and_each_a_user_id(world) -> None:  # type: ignore[no-untyped-def]
    lead = await world.tablet("zhang")
    too_many = world.submission(co_inspectors=[str(uuid.uuid4()) for _ in range(6)])
    not_an_id = world.submission(co_inspectors=["li"])
    results = await world.push(lead, too_many, not_an_id, world.submission())
    assert [r["status"] for r in results] == ["rejected", "rejected", "accepted"]
    assert (results[0]["code"], results[0]["field"]) == ("invalid_record", "co_inspectors")
    assert (results[1]["code"], results[1]["field"]) == ("invalid_record", "co_inspectors.0")


async def test_an_enterprise_self_inspection_names_no_officers(world) -> None:  # type: ignore[no-untyped-def]
    inspector = await world.tablet("zhang")
    owner = await world.tablet("owner", role="enterprise_user", enterprise_id=world.enterprise["id"])
    [result] = await world.push(owner, world.submission(co_inspectors=[inspector.user_id]))
    assert (result["status"], result["field"], result["code"]) == ("rejected", "co_inspectors", "co_inspectors_not_allowed")
    [fine] = await world.push(owner, world.submission())
    assert fine["status"] == "accepted"


async def test_the_staged_row_keeps_the_tables_column_order(world) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL inserts a group's rows in one statement, in key order, only when a row's keys are
    in the table's column order (else each table goes alone, in arrival order: two instances
    storing the same records could then deadlock)."""
    import msgspec
    from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

    from core.access.scope import Principal
    from core.storage.row_binding import insert_plan
    from core.storage.write_set import WriteSet
    from sync.push.identity import record_hash
    from sync.push.submission_ingest import accept_submission
    from sync.wire import SubmissionRecord

    lead, co = await world.tablet("zhang"), await world.tablet("li")
    record = msgspec.convert(world.submission(co_inspectors=[co.user_id]), SubmissionRecord)
    principal = Principal(user_id=lead.user_id, username="zhang", role="inspector", region_code="510681", industries=("hazchem",), device_id=lead.device_id)
    ctx = world.api.direct
    async with ctx.db.read() as session:
        _, row = await accept_submission(session, WriteSet(), ctx, principal, record, record_hash(record), ctx.clock.now())
    table = Submission.__table__  # type: ignore[attr-defined]
    assert tuple(row) == tuple(column.name for column in table.columns)
    assert insert_plan(table, tuple(row), asyncpg_dialect()) is not None
