"""What pull delivers for an assignment: ``AssignmentOut`` and what the tablet's 任务 screen shows
beside it — the plan (or random draw) it comes from and the enterprise's name, so a task reads
"2026 年度危化品执法检查计划 · 广汉市红星化工有限公司 · 3 月 1 日至 31 日" even before the
enterprise itself has arrived in a long first pull.

A plan's or draw's title never changes once made, so an assignment's change row is enough to keep
these current; an enterprise renamed later keeps its old name here until the assignment changes
(the tablet prefers the pulled enterprise's own name).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.scope import Principal
from core.enterprises.records import Enterprise
from core.plans.assignments import Assignment
from core.plans.random_draws import RandomDraw
from core.plans.records import InspectionPlan
from core.plans.service import AssignmentOut


async def _plans(session: AsyncSession, assignments: list[Assignment]) -> dict[str, dict[str, Any]]:
    """Per plan or draw id: its ``plan_name``, ``plan_year`` and ``plan_industries``."""
    plan_ids = sorted({a.plan_id for a in assignments if a.plan_id})
    draw_ids = sorted({a.draw_id for a in assignments if a.draw_id})
    out: dict[str, dict[str, Any]] = {}
    if plan_ids:
        for plan in (await session.exec(select(InspectionPlan).where(col(InspectionPlan.id).in_(plan_ids)))).all():
            out[plan.id] = {"plan_name": plan.title, "plan_year": plan.year, "plan_industries": list(plan.industries)}
    if draw_ids:
        rows = (await session.exec(select(RandomDraw.id, RandomDraw.title, RandomDraw.due_from, RandomDraw.industries).where(col(RandomDraw.id).in_(draw_ids)))).all()
        for draw_id, title, due_from, industries in rows:
            out[draw_id] = {"plan_name": title, "plan_year": due_from.year, "plan_industries": list(industries)}
    return out


async def load_assignments(session: AsyncSession, principal: Principal, ids: list[str], now: datetime) -> dict[str, dict[str, Any] | None]:
    """The caller's own assignments of enterprises still in scope; cancelled ones are tombstones."""
    rows = {a.id: a for a in (await session.exec(select(Assignment).where(col(Assignment.id).in_(ids)))).all()}
    enterprise_ids = sorted({a.enterprise_id for a in rows.values()})
    enterprises = {e.id: e for e in (await session.exec(select(Enterprise).where(col(Enterprise.id).in_(enterprise_ids)))).all()} if enterprise_ids else {}
    visible = {
        a.id: a for a in rows.values()
        if a.inspector_id == principal.user_id and a.status != "cancelled"
        and (e := enterprises.get(a.enterprise_id)) is not None and e.active and principal.sees_enterprise(e)
    }
    plans = await _plans(session, list(visible.values()))
    unnamed = {"plan_name": None, "plan_year": None, "plan_industries": []}
    out: dict[str, dict[str, Any] | None] = {}
    for entity_id in ids:
        assignment = visible.get(entity_id)
        if assignment is None:
            out[entity_id] = None
            continue
        data = msgspec.to_builtins(msgspec.convert(assignment.model_dump(), AssignmentOut))
        data.update(plans.get(assignment.plan_id or assignment.draw_id or "", unnamed))
        data["enterprise_name"] = enterprises[assignment.enterprise_id].name
        out[entity_id] = data
    return out
