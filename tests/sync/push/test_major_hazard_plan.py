"""A major hazard found on a tablet gets no deadline from its checklist item: it is 停产/停止使用 and
listed at once, and its deadline is the completion date of its 治理方案 when rectification is
ordered. A general hazard still gets the item's default."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from core.hazards.jobs import mark_overdue_and_escalate
from core.hazards.records import Hazard, HazardTransition


async def _hazard(world, hazard_id: str) -> Hazard:  # type: ignore[no-untyped-def]
    async with world.api.ctx.db.read() as session:
        hazard = await session.get(Hazard, hazard_id)
    assert hazard is not None
    return hazard


async def test_a_major_hazard_waits_for_its_plan_not_for_an_item_default(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    ctx = world.api.ctx
    major_id, general_id = str(uuid.uuid4()), str(uuid.uuid4())
    record = world.submission(
        answers={"CC-1": {"result": "fail"}, "CC-2": {"value": 20}, "CC-3": {"result": "fail"}},
        hazards=[
            {"id": major_id, "item_code": "CC-3", "description": "重大危险源未登记建档", "responsible_person": "张三", "rectification_plan": "停用储罐区，完成辨识登记"},
            {"id": general_id, "item_code": "CC-1", "description": "仓库标识缺失", "responsible_person": "李四"},
        ],
    )
    [result] = await world.push(tablet, record)
    assert result["status"] == "accepted", result
    received = ctx.clock.now()
    major, general = await _hazard(world, major_id), await _hazard(world, general_id)
    # the item's rectification_days (10 in this checklist) is not the major hazard's deadline
    assert (major.level, major.status, major.deadline, major.listed_supervision) == ("major", "reported", None, True)
    assert (major.responsible_person, major.rectification_plan) == ("张三", "停用储罐区，完成辨识登记")  # kept for the order
    assert general.status == "rectifying" and general.deadline == received + timedelta(days=30)  # the item default

    # a month on (the job run as of then; the tablet's token would not last): only the general one is overdue
    assert (await mark_overdue_and_escalate(ctx, received + timedelta(days=31))) == {"marked_overdue": 1, "escalated": 0}
    assert not (await _hazard(world, major_id)).overdue_marked_at

    # the 治理方案's completion date is the deadline
    plan_done = datetime(2026, 6, 30, 16, 0, tzinfo=UTC)
    update = {
        "kind": "hazard_update", "id": str(uuid.uuid4()), "hazard_id": major_id, "base_version": major.version,
        "transition": {"to_status": "rectifying", "deadline": plan_done.isoformat(), "responsible_person": "张三"},
    }
    [ordered] = await world.push(tablet, update)
    assert ordered["status"] == "accepted", ordered
    major = await _hazard(world, major_id)
    assert (major.status, major.deadline, major.rectification_plan) == ("rectifying", plan_done, "停用储罐区，完成辨识登记")
    async with ctx.db.read() as session:
        actions = (await session.exec(select(HazardTransition.action).where(col(HazardTransition.hazard_id) == major_id).order_by(col(HazardTransition.resulting_version)))).all()
    assert actions == ["created", "listed_supervision", "order_rectification"]
