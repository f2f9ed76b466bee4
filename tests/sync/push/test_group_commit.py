"""Group commit: records of concurrent pushes share transactions, yet each record keeps its own
verdict, is stored exactly once, and the audit chain and change feed read as if written one by one."""

from __future__ import annotations

import asyncio
import uuid

import msgspec
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select

from core.audit.verify import verify_chain
from core.hazards.records import Hazard, HazardTransition
from core.inspections.records import Inspection
from core.plans.assignments import Assignment
from core.storage.changes import Change
from sync.push.group_commit import GroupCommit
from sync.push.ledger import SyncRecord
from sync.push.record_heads import RecordHead, independent, read_heads
from sync.push.submissions import Submission

_FAILING = {"CC-1": {"result": "fail", "note": "仓库无防火间距"}, "CC-2": {"value": 35}, "CC-3": {"result": "fail"}}


async def _count(ctx, model, *conditions) -> int:  # type: ignore[no-untyped-def]
    async with ctx.db.read() as session:
        return (await session.exec(select(func.count()).select_from(model).where(*conditions))).one()


async def test_concurrent_pushes_each_get_their_own_verdicts_and_everything_is_stored_once(world) -> None:  # type: ignore[no-untyped-def]
    tablets = [await world.tablet(f"insp{i}") for i in range(6)]
    shared = world.submission(answers=_FAILING)
    batches = [[world.submission(answers=_FAILING), shared, world.submission()] for _ in tablets]
    results = await asyncio.gather(*(world.push(t, *b) for t, b in zip(tablets, batches, strict=True)))
    statuses = [r["status"] for batch in results for r in batch]
    assert statuses.count("accepted") == 6 * 2 + 1  # the shared record is accepted exactly once…
    assert statuses.count("duplicate") == 5  # …and a duplicate for every other tablet
    shared_hazards = {tuple(batch[1]["hazard_ids"]) for batch in results}
    assert len(shared_hazards) == 1  # a duplicate names the hazards the first acceptance made
    ctx = world.api.ctx
    assert await _count(ctx, Submission) == 6 * 2 + 1
    assert await _count(ctx, SyncRecord) == 6 * 2 + 1
    assert await _count(ctx, Hazard) == 7 * 3
    assert await _count(ctx, HazardTransition) == 7 * 4  # created ×3, and CC-3 (major) listed at once
    async with ctx.db.read() as session:
        report = await verify_chain(session)
        hazard_changes = (await session.exec(select(Change.entity_id).where(col(Change.entity) == "hazard").order_by(col(Change.seq)))).all()
    assert report.ok, report
    # One change row per hazard: created and listed in one transaction tell a pull the same thing.
    assert len(hazard_changes) == 7 * 3 and len(set(hazard_changes)) == 7 * 3
    assert len(world.recorder.seen) == 6 * 2 + 1  # plugins told once per stored submission


async def test_a_record_of_a_group_may_build_on_an_earlier_one_of_the_same_group(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    ctx = world.api.ctx
    assignment = await world.assignment(tablet, slot="group")
    first = world.submission(assignment_id=assignment.id)
    correction = world.submission(replaces=first["id"], assignment_id=assignment.id)
    results = await world.push(tablet, first, correction)
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    async with ctx.db.read() as session:
        stored = await session.get(Assignment, assignment.id)
        inspections = (await session.exec(select(Inspection).where(col(Inspection.assignment_id) == assignment.id))).all()
        assignment_changes = (await session.exec(select(func.count()).select_from(Change).where(col(Change.entity_id) == assignment.id))).one()
    assert stored is not None and stored.status == "done" and stored.version == 2  # completed once, not twice
    assert stored.inspection_id == min(inspections, key=lambda i: i.created_at).id and len(inspections) == 2
    assert assignment_changes == 2  # created + done


async def test_a_hazard_id_reused_inside_one_group_is_refused_for_the_second_record(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    hazard_id = str(uuid.uuid4())
    hazard = [{"id": hazard_id, "item_code": "CC-1", "description": "仓库无防火间距"}]
    one = world.submission(answers=_FAILING, hazards=hazard)
    two = world.submission(answers=_FAILING, hazards=hazard)
    results = await world.push(tablet, one, two, world.submission())
    assert [(r["status"], r.get("code")) for r in results] == [("accepted", None), ("rejected", "id_in_use"), ("accepted", None)]
    assert results[1]["field"] == "hazards.0.id"  # the hazard's id, not the record's
    assert await _count(world.api.ctx, Hazard) == 3


async def test_a_group_that_fails_to_commit_is_stored_record_by_record(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sync.push.batch as push_module

    tablet = await world.tablet("insp1")
    real = push_module._stage_group
    calls = []

    async def conflicting(session, ctx, items):  # type: ignore[no-untyped-def]
        calls.append(len(items))
        await real(session, ctx, items)
        raise IntegrityError("INSERT", {}, Exception("another instance stored one of these first"))

    monkeypatch.setattr(push_module, "_stage_group", conflicting)
    bad = world.submission(answers={"CC-1": {"result": "maybe"}})
    records = [world.submission(answers=_FAILING), bad, world.submission()]
    results = await world.push(tablet, *records)
    assert calls == [2]  # the malformed record never reaches a group: it is rejected when decoded
    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted"]
    ctx = world.api.ctx
    assert await _count(ctx, Submission) == 2 and await _count(ctx, Hazard) == 3
    again = await world.push(tablet, *records)
    assert [r["status"] for r in again] == ["duplicate", "rejected", "duplicate"]
    assert len(world.recorder.seen) == 2
    async with ctx.db.read() as session:
        assert (await verify_chain(session)).ok


async def test_the_group_commit_answers_every_waiting_request_with_the_failure_of_its_group() -> None:
    seen: list[list[int]] = []

    async def process(items: list[int]) -> None:
        seen.append(list(items))
        await asyncio.sleep(0.01)
        if 13 in items:
            raise RuntimeError("database is locked")

    group = GroupCommit(process, max_records=4)
    outcomes = await asyncio.gather(
        group.submit([1, 2]), group.submit([3]), group.submit([13]), group.submit([4, 5, 6]), return_exceptions=True
    )
    # Requests queued while the leader starts are drained together, up to max_records per group.
    assert seen == [[1, 2, 3, 13], [4, 5, 6]]
    # A failing group fails every request in it (the tablets retry); the next group is unaffected.
    assert all(isinstance(o, RuntimeError) for o in outcomes[:3]) and outcomes[3] is None


async def test_a_lone_batch_is_cut_into_one_part_per_idle_writer_and_a_queued_one_kept_whole() -> None:
    seen: list[list[int]] = []
    running = {"now": 0, "most": 0}

    gate = asyncio.Event()
    gate.set()

    async def process(items: list[int]) -> None:
        seen.append(list(items))
        if items[0] < 5:
            await gate.wait()
        running["now"] += 1
        running["most"] = max(running["most"], running["now"])
        await asyncio.sleep(0.01)
        running["now"] -= 1
        if 7 in items:
            raise RuntimeError("database is locked")

    async def in_parts(items: list[int]) -> None:
        """What the push does with a batch of independent records."""
        parts = group.parts(len(items))
        if parts == 1:
            await group.submit(items)
            return
        outcomes = await asyncio.gather(*(group.submit(part, alone=True) for part in group.cut(items, parts)), return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome

    group = GroupCommit(process, parallel=4, min_part=2)
    assert group.parts(10) == 4 and group.parts(3) == 1  # fewer than two parts of min_part: whole
    await in_parts(list(range(10, 20)))
    assert seen == [[10, 11, 12], [13, 14, 15], [16, 17, 18], [19]] and running["most"] == 4  # side by side

    async def with_writers_busy(count: int) -> None:
        gate.clear()
        seen.clear()
        busy = []
        for n in range(1, count + 1):
            busy.append(asyncio.ensure_future(group.submit([n], alone=True)))
            await asyncio.sleep(0.005)  # its leader took it and holds a writer until the gate opens
        batch = asyncio.ensure_future(in_parts(list(range(20, 30))))
        await asyncio.sleep(0.005)
        gate.set()
        await asyncio.gather(*busy, batch)

    await with_writers_busy(4)
    assert seen[4:] == [list(range(20, 30))]  # every writer busy: the batch stays whole
    await with_writers_busy(2)
    assert seen[2:] == [list(range(20, 25)), list(range(25, 30))]  # as many parts as idle writers

    seen.clear()
    outcome = await asyncio.gather(in_parts([3, 4, 5, 6, 7, 8]), return_exceptions=True)
    assert isinstance(outcome[0], RuntimeError)  # a failing part fails the request (the tablet retries)…
    assert sorted(map(tuple, seen)) == [(3, 4), (5, 6), (7, 8)]  # …and the other parts were still stored


async def test_beside_a_running_group_a_new_one_starts_only_with_enough_records_and_fewer_wait_to_go_together() -> None:
    seen: list[list[int]] = []
    gate = asyncio.Event()

    async def process(items: list[int]) -> None:
        seen.append(list(items))
        await gate.wait()

    group = GroupCommit(process, parallel=4, min_part=3)
    gate.set()
    await group.submit([9])  # nothing running: a lone push is stored at once, alone
    assert seen == [[9]]

    gate.clear()
    seen.clear()
    running = asyncio.ensure_future(group.submit([1]))
    await asyncio.sleep(0.005)
    singles = [asyncio.ensure_future(group.submit([n])) for n in (2, 3)]
    await asyncio.sleep(0.005)
    assert seen == [[1]]  # two records are not worth a transaction beside the running one: they wait
    more = [asyncio.ensure_future(group.submit([n])) for n in (4, 5, 6)]
    await asyncio.sleep(0.005)
    assert seen == [[1], [2, 3, 4, 5, 6]]  # enough queued: a second group starts beside the first, with all of them
    last = asyncio.ensure_future(group.submit([7]))
    await asyncio.sleep(0.005)
    assert seen == [[1], [2, 3, 4, 5, 6]]  # one record waits again…
    gate.set()
    await asyncio.gather(running, *singles, *more, last)
    assert seen == [[1], [2, 3, 4, 5, 6], [7]]  # …until a group ended


async def test_a_batch_is_cut_only_when_its_records_are_independent(world) -> None:  # type: ignore[no-untyped-def]
    def heads(*records: dict, content_type: str = "application/json") -> list[RecordHead]:  # type: ignore[type-arg]
        encode = msgspec.msgpack.encode if "msgpack" in content_type else msgspec.json.encode
        read = read_heads([msgspec.Raw(encode(r)) for r in records], content_type)
        assert read is not None
        return read

    plain = [world.submission() for _ in range(3)]
    assert independent(heads(*plain))
    assert independent(heads(*plain, content_type="application/msgpack"))
    assert not independent(heads(plain[0], plain[0], content_type="application/msgpack"))
    assert not independent([])  # nothing to cut
    assert not independent(heads(plain[0], world.submission(replaces=plain[0]["id"])))  # a correction and what it corrects
    assert not independent(heads(plain[0], plain[0]))  # the same record twice
    assert not independent(heads(world.submission(assignment_id="a1"), world.submission(assignment_id="a1")))
    hazard = [{"id": str(uuid.uuid4()), "item_code": "CC-1", "description": "仓库无防火间距"}]
    assert not independent(heads(world.submission(answers=_FAILING, hazards=hazard), world.submission(answers=_FAILING, hazards=hazard)))
    shouted = [{**hazard[0], "id": hazard[0]["id"].upper()}]  # the same hazard id, as stored
    assert not independent(heads(world.submission(answers=_FAILING, hazards=hazard), world.submission(answers=_FAILING, hazards=shouted)))
    update = {"kind": "hazard_update", "id": str(uuid.uuid4()), "hazard_id": str(uuid.uuid4()), "base_version": 1, "transition": {}}
    assert not independent(heads(plain[0], update))  # hazard updates go one by one, in order
    # A record whose head cannot be read (not even an object) keeps the batch whole; decoded in
    # full, it is rejected with what is wrong with it.
    assert read_heads([msgspec.Raw(msgspec.json.encode(plain[0])), msgspec.Raw(b"[1, 2]")], "application/json") is None
    assert read_heads([msgspec.Raw(b'{"id": 5}')], "application/json") is None
