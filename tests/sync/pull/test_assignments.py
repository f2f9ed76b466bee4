"""Assignments reach their inspector's tablet; a submission naming one records the inspection and completes it."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from core.inspections.records import Inspection
from core.plans.random_draws import RandomDraw
from core.plans.records import InspectionPlan


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


async def test_an_assignment_carries_its_plans_name_and_its_enterprises_name(world) -> None:  # type: ignore[no-untyped-def]
    mine = await world.tablet("insp1")
    ctx = world.api.ctx
    now = ctx.clock.now()
    plan = InspectionPlan(year=2026, title="2026年度危险化学品执法检查计划", region_code="510681", industries=["hazchem"], created_at=now, updated_at=now)
    draw = RandomDraw(
        title="2026年第一季度双随机抽查", seed="s", region_code="510681", industries=["hazchem"], enterprise_count=1, inspectors_per_enterprise=1,
        due_from=date(2026, 4, 1), due_until=date(2026, 4, 30), created_at=now,
    )
    async with ctx.db.write() as session:
        session.add(plan)
        session.add(draw)
    planned = await world.assignment(mine, slot="planned")
    drawn = await world.assignment(mine, slot="drawn")
    plain = await world.assignment(mine, slot="plain")
    async with ctx.db.write() as session:
        for assignment, fields in ((planned, {"plan_id": plan.id}), (drawn, {"kind": "random_draw", "draw_id": draw.id})):
            row = await session.get(type(assignment), assignment.id)
            for name, value in fields.items():
                setattr(row, name, value)
    items, _ = await world.pull_all(mine)
    pulled = {i["id"]: i["data"] for i in items if i["entity"] == "assignment"}
    assert {k: pulled[planned.id][k] for k in ("plan_name", "plan_year", "plan_industries", "enterprise_name")} == {
        "plan_name": "2026年度危险化学品执法检查计划", "plan_year": 2026, "plan_industries": ["hazchem"], "enterprise_name": "广汉市红星化工有限公司",
    }
    assert (pulled[drawn.id]["plan_name"], pulled[drawn.id]["kind"]) == ("2026年第一季度双随机抽查", "random_draw")
    assert pulled[plain.id]["plan_name"] is None and pulled[plain.id]["enterprise_name"] == "广汉市红星化工有限公司"
