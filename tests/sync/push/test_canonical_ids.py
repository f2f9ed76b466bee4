"""Every id of a pushed record is canonical (lower case) from decoding on: one record pushed with
its ids in upper case, then in lower case, is one record, stored once with one set of hazards."""

from __future__ import annotations

import uuid

import msgspec
from sqlmodel import func, select

from core.hazards.records import Hazard
from sync.push.identity import record_hash
from sync.push.ledger import SyncRecord
from sync.push.submissions import Submission
from sync.wire import PushRecord

_FAILING = {"CC-1": {"result": "fail"}, "CC-2": {"value": 35}, "CC-3": {"result": "pass"}}


async def _count(ctx, model) -> int:  # type: ignore[no-untyped-def]
    async with ctx.db.read() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def test_a_submission_pushed_in_upper_then_lower_case_is_stored_once(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    hazard_id = str(uuid.uuid4())
    record = world.submission(answers=_FAILING, hazards=[{"id": hazard_id, "item_code": "CC-1", "description": "仓库无防火间距"}])
    upper = {**record, "id": record["id"].upper(), "enterprise_id": record["enterprise_id"].upper(),
             "hazards": [{**record["hazards"][0], "id": hazard_id.upper()}]}
    [first] = await world.push(tablet, upper)
    [second] = await world.push(tablet, record)
    assert first["status"] == "accepted" and first["id"] == record["id"]
    assert second["status"] == "duplicate" and second["hazard_ids"] == first["hazard_ids"]
    assert hazard_id in first["hazard_ids"]
    ctx = world.api.ctx
    assert await _count(ctx, Submission) == 1
    assert await _count(ctx, SyncRecord) == 1
    assert await _count(ctx, Hazard) == 2  # CC-1 (the tablet's hazard) and CC-2 (out of range), once
    async with ctx.db.read() as session:
        assert await session.get(Submission, record["id"]) is not None


async def test_a_hazard_update_naming_its_hazard_in_upper_case_applies_to_it(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    [pushed] = await world.push(tablet, world.submission(answers=_FAILING))
    hazard_id = pushed["hazard_ids"][0]
    update_id = str(uuid.uuid4())
    update = {
        "kind": "hazard_update", "id": update_id.upper(), "hazard_id": hazard_id.upper(), "base_version": 1,
        "transition": {"to_status": "rectifying", "deadline": "2026-04-01T00:00:00+08:00", "responsible_person": "张三"},
    }
    [first] = await world.push(tablet, update)
    [again] = await world.push(tablet, {**update, "id": update_id, "hazard_id": hazard_id})
    assert (first["status"], first["id"]) == ("accepted", update_id)
    assert again["status"] == "duplicate"
    async with world.api.ctx.db.read() as session:
        hazard = await session.get(Hazard, hazard_id)
    assert hazard is not None and hazard.status == "rectifying" and hazard.version == 2


def test_canonical_ids_leave_the_hash_of_a_canonical_record_as_it_was() -> None:
    record = {
        "kind": "submission", "id": "0b7c2f0e-3f0a-4c1e-9d7a-00000000000a", "enterprise_id": "0b7c2f0e-3f0a-4c1e-9d7a-00000000000b",
        "checklist_id": "hazchem.storage", "checklist_version": "1.0.0", "checklist_hash": "a" * 64,
        "started_at": "2026-01-01T08:00:00+08:00", "finished_at": "2026-01-01T09:00:00+08:00", "answers": {"A1": {"result": "pass"}},
        "replaces": "0b7c2f0e-3f0a-4c1e-9d7a-00000000000c", "assignment_id": "0b7c2f0e-3f0a-4c1e-9d7a-00000000000d",
        "hazards": [{"id": "0b7c2f0e-3f0a-4c1e-9d7a-00000000000e", "description": "d"}],
    }
    shouting = {**record, **{key: record[key].upper() for key in ("id", "enterprise_id", "replaces", "assignment_id")},
                "hazards": [{"id": "0B7C2F0E-3F0A-4C1E-9D7A-00000000000E", "description": "d"}]}
    canonical = msgspec.json.decode(msgspec.json.encode(record), type=PushRecord)
    upper = msgspec.json.decode(msgspec.json.encode(shouting), type=PushRecord)
    assert upper == canonical
    assert record_hash(upper) == record_hash(canonical)
    # A canonical record is left as it came, so its hash is the released one (test_identity_hash.py pins it).
    assert msgspec.to_builtins(canonical) == {key: value for key, value in record.items() if key not in ("started_at", "finished_at")} | {
        "started_at": canonical.started_at.isoformat(), "finished_at": canonical.finished_at.isoformat()}
