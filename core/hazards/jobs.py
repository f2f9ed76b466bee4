"""Hazard jobs: mark overdue hazards, escalate long-overdue ones, remind of deadlines due soon.

Each hazard is handled in its own short write transaction; the selection conditions ("not yet
marked", "not yet listed", a notification's dedup key) make a second run change nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select

from core.context import Context
from core.hazards.deadlines import is_overdue, overdue_days
from core.hazards.queries import overdue_condition
from core.hazards.records import Hazard
from core.hazards.service import append_history, put_under_listed_supervision
from core.local_time import LOCAL_TZ
from core.notifications.notices import notify
from core.storage.audit_log import SYSTEM, snapshot


def _local(at: datetime | None) -> str:
    return at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M") if at else ""


async def _notify_both(session: Any, ctx: Context, hazard: Hazard, key: str, kind: str, title: str, body: str) -> int:
    """Tell the enterprise and the inspector who registered the hazard."""
    added = await notify(session, ctx, dedup_key=f"{key}:enterprise", kind=kind, title=title, body=body, enterprise_id=hazard.enterprise_id, entity="hazard", entity_id=hazard.id)
    if hazard.reported_by:
        added += await notify(session, ctx, dedup_key=f"{key}:user", kind=kind, title=title, body=body, user_id=hazard.reported_by, enterprise_id=hazard.enterprise_id, entity="hazard", entity_id=hazard.id)
    return int(added)


async def mark_overdue_and_escalate(ctx: Context, now: datetime) -> dict[str, Any]:
    """Record newly overdue hazards, and put those overdue beyond the configured days under listed supervision."""
    days = ctx.settings.overdue_escalation_days
    async with ctx.db.read() as session:
        to_mark = (await session.exec(select(Hazard.id).where(overdue_condition(now), col(Hazard.overdue_marked_at).is_(None)))).all()
        to_list = (await session.exec(select(Hazard.id).where(overdue_condition(now - timedelta(days=days)), col(Hazard.listed_supervision).is_(False)))).all()
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
            await _notify_both(session, ctx, hazard, f"overdue:{hazard.id}:{hazard.deadline.isoformat() if hazard.deadline else ''}", "hazard_overdue",
                               "隐患整改已逾期", f"隐患“{hazard.description[:60]}”整改期限为 {_local(hazard.deadline)}，已逾期。")
            marked += 1
    reason = f"逾期超过{days}天未完成整改，升级挂牌督办"
    for hazard_id in to_list:
        async with ctx.db.write() as session:
            hazard = await session.get(Hazard, hazard_id)
            if hazard is None or hazard.status == "closed" or hazard.deadline is None or hazard.deadline >= now - timedelta(days=days):
                continue
            before = snapshot(hazard)
            if not put_under_listed_supervision(hazard, now, reason):
                continue
            hazard.version += 1
            await append_history(session, ctx, hazard, actor=SYSTEM, action="listed_supervision", from_status=hazard.status, reason=reason,
                                 data={"deadline": hazard.deadline, "overdue_days": overdue_days(hazard, now)}, before=before)
            await _notify_both(session, ctx, hazard, f"listed:{hazard.id}", "hazard_listed", "隐患已挂牌督办", f"隐患“{hazard.description[:60]}”{reason}。")
            escalated += 1
    return {"marked_overdue": marked, "escalated": escalated}


async def deadline_reminders(ctx: Context, now: datetime) -> dict[str, Any]:
    """Remind the enterprise and the inspector of rectification deadlines within the configured days."""
    horizon = now + timedelta(days=ctx.settings.deadline_reminder_days)
    sent = 0
    async with ctx.db.write() as session:
        hazards = (
            await session.exec(
                select(Hazard).where(col(Hazard.status) == "rectifying", col(Hazard.deadline).is_not(None), col(Hazard.deadline) > now, col(Hazard.deadline) <= horizon)
            )
        ).all()
        for hazard in hazards:
            assert hazard.deadline is not None
            sent += await _notify_both(session, ctx, hazard, f"deadline_reminder:{hazard.id}:{hazard.deadline.isoformat()}", "deadline_reminder",
                                       "隐患整改期限临近", f"隐患“{hazard.description[:60]}”须于 {_local(hazard.deadline)} 前完成整改。")
    return {"hazards_due_soon": len(hazards), "notifications": sent}
