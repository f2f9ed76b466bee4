"""One bad record never costs its neighbours: values a database cannot hold are that record's
rejection (kept in quarantine), never a failure of the batch."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy.exc import DataError
from sqlmodel import func, select

from sync.push.ledger import SyncRecord
from sync.push.submissions import Submission
from sync.review.quarantine_table import QuarantinedRecord


async def _count(ctx, model) -> int:  # type: ignore[no-untyped-def]
    async with ctx.db.read() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def _hazard(world, tablet) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    [result] = await world.push(tablet, world.submission(answers={"CC-1": {"result": "fail"}, "CC-2": {"value": 20}, "CC-3": {"result": "pass"}}))
    items, _ = await world.pull_all(tablet)
    return next(i["data"] for i in items if i["entity"] == "hazard" and i["id"] == result["hazard_ids"][0])


async def test_values_beyond_the_calendar_or_the_column_reject_only_their_record(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    hazard = await _hazard(world, tablet)
    edge = world.submission(finished_at="9999-12-31T23:59:59-14:00")
    huge = {
        "kind": "hazard_update", "id": str(uuid.uuid4()), "hazard_id": hazard["id"], "base_version": 2**31,
        "transition": {"to_status": "rectifying", "deadline": "2026-04-01T00:00:00+08:00", "responsible_person": "张三"},
    }
    batch = [world.submission(), edge, world.submission(), huge, world.submission()]
    results = await world.push(tablet, *batch)
    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted", "rejected", "accepted"]
    assert (results[1]["code"], results[1]["field"]) == ("invalid_record", "finished_at")
    assert (results[3]["code"], results[3]["field"]) == ("invalid_record", "base_version")
    assert all(results[i]["quarantine_id"] for i in (1, 3))
    ctx = world.api.ctx
    assert await _count(ctx, Submission) == 4  # the hazard's submission and the three valid ones
    assert await _count(ctx, SyncRecord) == 4
    assert await _count(ctx, QuarantinedRecord) == 2
    for beyond in (2**63, 2**64, -(2**63) - 1):  # SQLite's INTEGER, and beyond any 64-bit integer
        [result] = await world.push(tablet, {**huge, "id": str(uuid.uuid4()), "base_version": beyond})
        assert (result["status"], result["field"]) == ("rejected", "base_version")


async def test_a_database_refusal_while_keeping_a_conflict_rejects_only_that_update(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sync.push.ingest as ingest_module

    async def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise DataError("INSERT INTO sync_conflict", {}, Exception("value out of range for the column"))

    monkeypatch.setattr(ingest_module, "keep_conflict", refused)
    tablet = await world.tablet("insp1")
    hazard = await _hazard(world, tablet)
    stale = {
        "kind": "hazard_update", "id": str(uuid.uuid4()), "hazard_id": hazard["id"], "base_version": hazard["version"] + 1,
        "transition": {"to_status": "rectifying", "deadline": "2026-04-01T00:00:00+08:00", "responsible_person": "张三"},
    }
    results = await world.push(tablet, world.submission(), stale, world.submission())
    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted"]
    assert results[1]["code"] == "value_not_storable" and results[1]["quarantine_id"]
    assert results[1]["message_zh"]


async def test_a_value_the_database_refuses_in_a_group_rejects_only_its_record(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The group's transaction fails on the value; each record is then stored on its own, and the
    one the database refuses again is rejected as such, not as a bug, nor the batch with it."""
    if world.api.ctx.db.is_sqlite:
        pytest.skip("SQLite stores an over-long string; PostgreSQL refuses it")
    import sync.push.batch as batch_module
    import sync.push.ingest as ingest_module

    real = batch_module.accept_submission
    refused_id = str(uuid.uuid4())

    async def overlong(session, writes, ctx, principal, record, digest, now, **kwargs):  # type: ignore[no-untyped-def]
        outcome, row = await real(session, writes, ctx, principal, record, digest, now, **kwargs)
        if record.id == refused_id:
            row["device_id"] = "x" * 100  # a VARCHAR(36) column: PostgreSQL refuses it at write time
        return outcome, row

    monkeypatch.setattr(batch_module, "accept_submission", overlong)
    monkeypatch.setattr(ingest_module, "accept_submission", overlong)
    tablet = await world.tablet("insp1")
    results = await world.push(tablet, world.submission(), world.submission(id=refused_id), world.submission())
    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted"]
    assert results[1]["code"] == "value_not_storable"
    assert await _count(world.api.ctx, Submission) == 2


async def test_a_number_no_answer_can_hold_rejects_only_its_record(world) -> None:  # type: ignore[no-untyped-def]
    """MessagePack carries NaN and infinities, which JSON cannot; an answer is a finite number."""
    import msgspec

    tablet = await world.tablet("insp1")
    records = [world.submission(), world.submission(answers={"CC-1": {"result": "pass"}, "CC-2": {"value": float("inf")}, "CC-3": {"result": "pass"}}),
               world.submission(gps={"latitude": 30.9, "longitude": 104.2, "accuracy_m": float("nan")})]
    response = await world.api.client.post(
        "/api/v1/sync/push", content=msgspec.msgpack.encode({"records": records}), headers={**tablet.headers, "Content-Type": "application/msgpack"},
    )
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [(r["status"], r.get("field")) for r in results] == [("accepted", None), ("rejected", "answers.CC-2.value"), ("rejected", "gps.accuracy_m")]
