"""Hazard jobs: mark overdue hazards, escalate long-overdue ones, remind of deadlines due soon.

Overdue is what ``core.hazards.deadlines`` says: the enterprise missed the deadline (a fix reported
in time and waiting for its recheck is not). Escalation to 挂牌督办 needs the enterprise to be
more than ``overdue_escalation_days`` late. Who is told of what: ``core.hazards.notices``.

Each hazard is handled in its own short write transaction; the selection conditions ("not yet
marked", "not yet listed", a notification's dedup key) make a second run change nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select

from core.context import Context
from core.hazards.deadlines import escalation_candidates, is_overdue, overdue_by, overdue_condition, overdue_days
from core.hazards.notices import notify_hazard
from core.hazards.records import Hazard
from core.hazards.service import append_history, put_under_listed_supervision
from core.storage.audit_log import SYSTEM, snapshot


async def mark_overdue_and_escalate(ctx: Context, now: datetime) -> dict[str, Any]:
    """Record newly overdue hazards, and put those overdue beyond the configured days under listed supervision."""
    days = ctx.settings.overdue_escalation_days
    beyond = timedelta(days=days)
    async with ctx.db.read() as session:
        to_mark = (await session.exec(select(Hazard.id).where(overdue_condition(now), col(Hazard.overdue_marked_at).is_(None)))).all()
        to_list = (await session.exec(select(Hazard.id).where(escalation_candidates(now, beyond), col(Hazard.listed_supervision).is_(False)))).all()
    marked = escalated = 0
    for hazard_id in to_mark:
        async with ctx.db.write() as session:
            hazard = await session.get(Hazard, hazard_id)
            if hazard is None or hazard.overdue_marked_at is not None or not is_overdue(hazard, now):
                continue
            before = snapshot(hazard)
            hazard.overdue_marked_at = now
            hazard.version += 1
            await append_history(session, ctx, hazard, actor=SYSTEM, action="marked_overdue", from_status=hazard.status,
                                 reason="超过整改期限未完成整改", data={"deadline": hazard.deadline, "overdue_days": overdue_days(hazard, now)}, before=before)
            await notify_hazard(session, "overdue", hazard, at=now)
            marked += 1
    reason = f"逾期超过{days}天未完成整改，升级挂牌督办"
    for hazard_id in to_list:
        async with ctx.db.write() as session:
            hazard = await session.get(Hazard, hazard_id)
            late = overdue_by(hazard, now) if hazard is not None else None
            if hazard is None or late is None or late <= beyond:
                continue
            before = snapshot(hazard)
            if not put_under_listed_supervision(hazard, now, reason):
                continue
            hazard.version += 1
            await append_history(session, ctx, hazard, actor=SYSTEM, action="listed_supervision", from_status=hazard.status, reason=reason,
                                 data={"deadline": hazard.deadline, "overdue_days": overdue_days(hazard, now)}, before=before)
            await notify_hazard(session, "listed", hazard, at=now, reason=reason)
            escalated += 1
    return {"marked_overdue": marked, "escalated": escalated}


async def deadline_reminders(ctx: Context, now: datetime) -> dict[str, Any]:
    """Remind the enterprise's users and the user who registered the hazard of rectification deadlines within the configured days."""
    horizon = now + timedelta(days=ctx.settings.deadline_reminder_days)
    sent = 0
    async with ctx.db.write() as session:
        hazards = (
            await session.exec(
                select(Hazard).where(col(Hazard.status) == "rectifying", col(Hazard.deadline).is_not(None), col(Hazard.deadline) > now, col(Hazard.deadline) <= horizon)
            )
        ).all()
        for hazard in hazards:
            sent += await notify_hazard(session, "deadline_reminder", hazard, at=now)
    return {"hazards_due_soon": len(hazards), "notifications": sent}
