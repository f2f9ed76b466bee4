"""Assignments reach their inspector's tablet; a submission naming one records the inspection and completes it."""

from __future__ import annotations

from sqlmodel import col, select

from core.inspections.records import Inspection


async def test_assignment_is_pulled_by_its_inspector_and_completed_by_a_submission(world) -> None:  # type: ignore[no-untyped-def]
    mine = await world.tablet("insp1")
    other = await world.tablet("insp2")
    ctx = world.api.ctx
    assignment = await world.assignment(mine)
    items, cursor = await world.pull_all(mine)
    [pulled] = [i for i in items if i["entity"] == "assignment"]
    assert pulled["id"] == assignment.id and pulled["data"]["status"] == "pending"
    others, _ = await world.pull_all(other)
    assert not [i for i in others if i["entity"] == "assignment"]
    bad = world.submission(assignment_id="00000000-0000-0000-0000-000000000000")
    good = world.submission(assignment_id=assignment.id)
    results = await world.push(mine, bad, good)
    assert [(r["status"], r.get("field")) for r in results] == [("rejected", "assignment_id"), ("accepted", None)]
    items, _ = await world.pull_all(mine, cursor)
    [done] = [i for i in items if i["entity"] == "assignment"]
    assert done["data"]["status"] == "done"
    async with ctx.db.read() as session:
        inspections = (await session.exec(select(Inspection).where(col(Inspection.submission_id) == good["id"]))).all()
    assert len(inspections) == 1 and inspections[0].assignment_id == assignment.id


async def test_enterprise_self_inspection_is_accepted_without_an_inspection_record(world) -> None:  # type: ignore[no-untyped-def]
    own = await world.tablet("boss", role="enterprise_user", enterprise_id=world.enterprise["id"])
    [result] = await world.push(own, world.submission())
    assert result["status"] == "accepted"
    async with world.api.ctx.db.read() as session:
        assert (await session.exec(select(Inspection))).all() == []
