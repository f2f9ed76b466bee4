"""Plan job: hand out the coming period's assignments of every active plan (idempotent by slot)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select

from core.context import Context
from core.local_time import local_date
from core.plans.records import InspectionPlan
from core.plans.service import generate_in_session
from core.storage.audit_log import SYSTEM


async def plan_assignments(ctx: Context, now: datetime) -> dict[str, Any]:
    """Generate, for each active plan of this year (and next, near the turn of the year), the
    assignments whose window starts within ``assignment_lookahead_days``."""
    today = local_date(now)
    through = today + timedelta(days=ctx.settings.assignment_lookahead_days)
    async with ctx.db.read() as session:
        plan_ids = (await session.exec(select(InspectionPlan.id).where(col(InspectionPlan.active).is_(True), col(InspectionPlan.year).in_(sorted({today.year, through.year}))))).all()
    created = uncovered = 0
    for plan_id in plan_ids:
        async with ctx.db.write() as session:
            plan = await session.get(InspectionPlan, plan_id)
            if plan is None:
                continue
            result = await generate_in_session(session, ctx, plan, SYSTEM, through)
        created += result.created
        uncovered += len(result.uncovered)
    return {"plans": len(plan_ids), "created": created, "uncovered_enterprises": uncovered, "through": through.isoformat()}
