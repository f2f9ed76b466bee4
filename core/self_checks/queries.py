"""Reading self-check tasks in the caller's scope, and an enterprise's monthly summary.

Scope is the enterprise's, as for hazards: an enterprise's users see their own, staff those in their
region × industries (× grid); nothing else is listed or counted. ``liaison=me`` narrows to the
enterprises whose 联络员 is the caller.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select

from core.access.permissions import require
from core.access.scope import Principal, enterprise_in_scope
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import InvalidInput
from core.hazards.deadlines import overdue_condition
from core.hazards.records import OPEN_STATUSES, Hazard
from core.local_time import local_date, month_bounds, start_of_day
from core.risk_register.vocabulary import CONTROL_LEVEL_LABELS, FREQUENCY_LABELS
from core.self_checks.records import TASK_STATUS_LABELS, SelfCheckList, SelfCheckRecord, SelfCheckTask
from core.self_checks.wire import ListTally, SelfCheckSummaryOut, SelfCheckTaskOut
from core.wire import Page


def task_out(task: SelfCheckTask, enterprise_name: str) -> SelfCheckTaskOut:
    return SelfCheckTaskOut(
        id=task.id, enterprise_id=task.enterprise_id, enterprise_name=enterprise_name, checklist_id=task.checklist_id, title=task.title,
        level=task.level, level_label=CONTROL_LEVEL_LABELS.get(task.level, task.level), frequency=task.frequency,
        frequency_label=FREQUENCY_LABELS.get(task.frequency, task.frequency), period=task.period, starts_at=task.starts_at, ends_at=task.ends_at,
        required=task.required, done_count=task.done_count, status=task.status, status_label=TASK_STATUS_LABELS[task.status], done_at=task.done_at,
    )


async def list_tasks(
    ctx: Context, principal: Principal, *, enterprise_id: str | None = None, status: str | None = None, start: date | None = None,
    end: date | None = None, liaison_me: bool = False, page: int = 1, page_size: int = 50,
) -> Page[SelfCheckTaskOut]:
    """Tasks in scope, newest period first; ``start``/``end`` (local dates, inclusive) keep tasks whose period overlaps them."""
    require(principal.role, "risk_register.read")
    if start is not None and end is not None and end < start:
        raise InvalidInput("to is before from", "结束日期早于开始日期", field="to")
    conditions = [*principal.enterprise_conditions()]
    if enterprise_id is not None:
        conditions.append(col(SelfCheckTask.enterprise_id) == enterprise_id)
    if status is not None:
        conditions.append(col(SelfCheckTask.status) == status)
    if start is not None:
        conditions.append(col(SelfCheckTask.ends_at) > start_of_day(start))
    if end is not None:
        conditions.append(col(SelfCheckTask.starts_at) < start_of_day(end + timedelta(days=1)))
    if liaison_me:
        conditions.append(col(Enterprise.liaison_user_id) == principal.user_id)
    joined = select(SelfCheckTask, Enterprise.name).join(Enterprise, col(Enterprise.id) == col(SelfCheckTask.enterprise_id)).where(*conditions)
    counted = select(func.count()).select_from(SelfCheckTask).join(Enterprise, col(Enterprise.id) == col(SelfCheckTask.enterprise_id)).where(*conditions)
    ordered = joined.order_by(col(SelfCheckTask.starts_at).desc(), col(Enterprise.name), col(SelfCheckTask.checklist_id))
    async with ctx.db.read() as session:
        total = int((await session.exec(counted)).one())
        rows = (await session.exec(ordered.offset((page - 1) * page_size).limit(page_size))).all()
    return Page(items=[task_out(task, name) for task, name in rows], total=total, page=page, page_size=page_size)


def _month(month: str | None, now: datetime) -> tuple[str, datetime, datetime]:
    if month is None:
        today = local_date(now)
        year, number = today.year, today.month
    else:
        try:
            year, number = (int(part) for part in month.split("-"))
            if not 1 <= number <= 12 or not 2000 <= year <= 2100:
                raise ValueError(month)
        except ValueError as exc:
            raise InvalidInput("month must be YYYY-MM", "月份格式应为 YYYY-MM", field="month") from exc
    return f"{year}-{number:02d}", *month_bounds(year, number)


async def summary(ctx: Context, principal: Principal, enterprise_id: str, month: str | None = None) -> SelfCheckSummaryOut:
    """The enterprise's self-check tasks of a month (default: the current one) and the hazards its self-checks raised."""
    require(principal.role, "risk_register.read")
    now = ctx.clock.now()
    label, start, end = _month(month, now)
    async with ctx.db.read() as session:
        enterprise = await enterprise_in_scope(session, principal, enterprise_id)
        tasks = (await session.exec(select(SelfCheckTask).where(
            col(SelfCheckTask.enterprise_id) == enterprise_id, col(SelfCheckTask.starts_at) >= start, col(SelfCheckTask.starts_at) < end,
        ).order_by(col(SelfCheckTask.checklist_id)))).all()
        lists = (await session.exec(select(func.count()).select_from(SelfCheckList).where(
            col(SelfCheckList.enterprise_id) == enterprise_id, col(SelfCheckList.active).is_(True)))).one()
        checks, failed = (await session.exec(select(func.count(), func.coalesce(func.sum(SelfCheckRecord.failed_items), 0)).where(
            col(SelfCheckRecord.enterprise_id) == enterprise_id, col(SelfCheckRecord.finished_at) >= start, col(SelfCheckRecord.finished_at) < end,
        ))).one()
        from_self_checks = select(SelfCheckRecord.submission_id).where(col(SelfCheckRecord.enterprise_id) == enterprise_id)
        ours = (col(Hazard.enterprise_id) == enterprise_id, col(Hazard.submission_id).in_(from_self_checks))
        raised = (await session.exec(select(func.count()).select_from(Hazard).where(*ours, col(Hazard.received_at) >= start, col(Hazard.received_at) < end))).one()
        open_ = (await session.exec(select(func.count()).select_from(Hazard).where(*ours, col(Hazard.status).in_(OPEN_STATUSES)))).one()
        overdue = (await session.exec(select(func.count()).select_from(Hazard).where(*ours, overdue_condition(now)))).one()
    tallies: dict[str, ListTally] = {}
    for task in tasks:
        tally = tallies.setdefault(task.checklist_id, ListTally(checklist_id=task.checklist_id, title=task.title, frequency=task.frequency, due=0, done=0, missed=0))
        if task.status in ("due", "done", "missed"):
            setattr(tally, task.status, getattr(tally, task.status) + 1)
    due, done, missed = (sum(getattr(t, name) for t in tallies.values()) for name in ("due", "done", "missed"))
    return SelfCheckSummaryOut(
        enterprise_id=enterprise.id, enterprise_name=enterprise.name, month=label, lists=int(lists), due=due, done=done, missed=missed,
        on_time_rate=round(done / (done + missed), 4) if done + missed else None, self_checks=int(checks), failed_items=int(failed),
        hazards_raised=int(raised), hazards_open=int(open_), hazards_overdue=int(overdue), by_list=list(tallies.values()),
    )
