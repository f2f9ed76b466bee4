"""Planning and marking self-check tasks (system records: no user writes them).

* ``set_lists``: the enterprise's generated check lists after a generation (``checklists.generated``
  calls it in its transaction); lists that left the register are deactivated and their open tasks
  of periods not yet ended cancelled.
* ``plan``: a task for every period of every active list from the one its list became active in
  (or the one after its last task) to the current one, at most ``BACKFILL`` back.
* ``stage_self_check``: what a push stages for an accepted self-check (``sync.push.submission_ingest``
  calls it in the submission's write set): the record, and one more check on the task of its period.
* ``refresh``: recount open tasks from the records; a period that ended short of its checks is
  ``missed``. Run by the ``self_check_tasks`` job, and after planning.

A self-check counts for the period its ``finished_at`` falls in if the server received it before
that period ended plus ``GRACE`` (a tablet offline at the end of a shift syncs the next morning);
one received later is kept but fulfils nothing, so a tablet's clock cannot fill an old period.
A correction (a submission that ``replaces`` another) is not a new self-check.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, literal
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.context import Context
from core.self_checks.periods import Period, following, period_of, required_checks
from core.self_checks.records import SelfCheckList, SelfCheckRecord, SelfCheckTask
from core.storage.db_types import UTCDateTime
from core.storage.write_set import WriteSet

GRACE = timedelta(days=1)
BACKFILL = timedelta(days=100)
_TASK_NS = uuid.UUID("0f4c5a52-3c1e-4f0b-9d2a-73656c666368")


@dataclass(frozen=True)
class ListSpec:
    """One generated check list as generation hands it over."""

    checklist_id: str
    title: str
    level: str
    frequency: str


def task_id(checklist_id: str, period: str) -> str:
    """The task of one list and period always has this id."""
    return str(uuid.uuid5(_TASK_NS, f"{checklist_id}|{period}"))


async def set_lists(session: AsyncSession, ctx: Context, enterprise_id: str, lists: list[ListSpec], now: datetime) -> dict[str, int]:
    """Make ``lists`` the enterprise's active lists; plan their tasks. Counts of what changed."""
    known = {row.checklist_id: row for row in (await session.exec(select(SelfCheckList).where(col(SelfCheckList.enterprise_id) == enterprise_id))).all()}
    wanted = {spec.checklist_id: spec for spec in lists}
    deactivated = cancelled = 0
    for checklist_id, spec in wanted.items():
        row = known.get(checklist_id)
        if row is None:
            row = SelfCheckList(checklist_id=checklist_id, enterprise_id=enterprise_id, title=spec.title, level=spec.level,
                                frequency=spec.frequency, active=True, active_since=now, updated_at=now)
        elif not row.active or row.title != spec.title:
            if not row.active:
                row.active, row.active_since = True, now
            row.title, row.updated_at = spec.title, now
        session.add(row)
    for checklist_id, row in known.items():
        if checklist_id in wanted or not row.active:
            continue
        row.active, row.updated_at = False, now
        session.add(row)
        deactivated += 1
        open_tasks = (await session.exec(select(SelfCheckTask).where(
            col(SelfCheckTask.checklist_id) == checklist_id, col(SelfCheckTask.status) == "due", col(SelfCheckTask.ends_at) > now,
        ))).all()
        for task in open_tasks:
            task.status, task.updated_at = "cancelled", now
            session.add(task)
            cancelled += 1
    await session.flush()
    planned = len(await plan(session, ctx, await active_lists(session, enterprise_id), now))
    return {"deactivated": deactivated, "cancelled": cancelled, "planned": planned}


async def active_lists(session: AsyncSession, enterprise_id: str | None = None) -> list[SelfCheckList]:
    query = select(SelfCheckList).where(col(SelfCheckList.active).is_(True))
    if enterprise_id is not None:
        query = query.where(col(SelfCheckList.enterprise_id) == enterprise_id)
    return list((await session.exec(query.order_by(col(SelfCheckList.checklist_id)))).all())


async def _count(session: AsyncSession, checklist_id: str, starts_at: datetime, ends_at: datetime) -> int:
    """Self-checks of one list that fulfil the period ``[starts_at, ends_at)``."""
    query = select(func.count()).select_from(SelfCheckRecord).where(
        col(SelfCheckRecord.checklist_id) == checklist_id, col(SelfCheckRecord.finished_at) >= starts_at,
        col(SelfCheckRecord.finished_at) < ends_at, col(SelfCheckRecord.received_at) < ends_at + GRACE,
    )
    return int((await session.exec(query)).one())


def _settle(task: SelfCheckTask, count: int, now: datetime) -> bool:
    """Set the task's count and status from ``count``; whether anything changed."""
    status = "done" if count >= task.required else ("missed" if task.ends_at <= now else "due")
    if (task.done_count, task.status) == (count, status):
        return False
    if status == "done" and task.status != "done":
        task.done_at = now
    task.done_count, task.status, task.updated_at = count, status, now
    return True


async def plan(session: AsyncSession, ctx: Context, lists: list[SelfCheckList], now: datetime) -> list[SelfCheckTask]:
    """Create the tasks of ``lists`` up to the current period (a past one settled at once); those created."""
    created: list[SelfCheckTask] = []
    shifts = ctx.settings.self_check_shifts
    for row in lists:
        if not row.active:
            continue
        last = (await session.exec(
            select(SelfCheckTask.period, SelfCheckTask.starts_at, SelfCheckTask.ends_at)
            .where(col(SelfCheckTask.checklist_id) == row.checklist_id).order_by(col(SelfCheckTask.starts_at).desc()).limit(1)
        )).first()
        period = period_of(row.frequency, max(row.active_since, now - BACKFILL))
        if last is not None and last[1] >= period.starts_at:
            period = following(row.frequency, Period(*last))
        while period.starts_at <= now:
            task = SelfCheckTask(
                id=task_id(row.checklist_id, period.key), enterprise_id=row.enterprise_id, checklist_id=row.checklist_id, title=row.title,
                level=row.level, frequency=row.frequency, period=period.key, starts_at=period.starts_at, ends_at=period.ends_at,
                required=required_checks(row.frequency, shifts), created_at=now, updated_at=now,
            )
            _settle(task, await _count(session, row.checklist_id, period.starts_at, period.ends_at), now)
            session.add(task)
            created.append(task)
            period = following(row.frequency, period)
    await session.flush()
    return created


async def refresh(session: AsyncSession, now: datetime, enterprise_id: str | None = None) -> dict[str, int]:
    """Recount every open task (and missed ones still within ``GRACE``); counts of those now done and missed."""
    query = select(SelfCheckTask).where(
        (col(SelfCheckTask.status) == "due") | ((col(SelfCheckTask.status) == "missed") & (col(SelfCheckTask.ends_at) > now - GRACE))
    )
    if enterprise_id is not None:
        query = query.where(col(SelfCheckTask.enterprise_id) == enterprise_id)
    done = missed = 0
    for task in (await session.exec(query)).all():
        if _settle(task, await _count(session, task.checklist_id, task.starts_at, task.ends_at), now):
            session.add(task)
            done += task.status == "done"
            missed += task.status == "missed"
    await session.flush()
    return {"done": done, "missed": missed}


async def stage_self_check(
    session: AsyncSession, writes: WriteSet, *, submission_id: str, enterprise_id: str, checklist_id: str, checklist_version: str,
    finished_at: datetime, received_at: datetime, failed_items: int,
) -> None:
    """Stage an accepted self-check on a generated list, and one more check on its period's task
    (if that task exists yet and the check arrived in time; ``plan`` counts it otherwise)."""
    row: dict[str, Any] = {  # in the table's column order (core.storage.row_binding)
        "submission_id": submission_id, "enterprise_id": enterprise_id, "checklist_id": checklist_id, "checklist_version": checklist_version,
        "finished_at": finished_at, "received_at": received_at, "failed_items": failed_items,
    }
    writes.insert(SelfCheckRecord, row)
    tasks = (await session.exec(select(SelfCheckTask.id).where(
        col(SelfCheckTask.checklist_id) == checklist_id, col(SelfCheckTask.enterprise_id) == enterprise_id,
        col(SelfCheckTask.starts_at) <= finished_at, col(SelfCheckTask.ends_at) > finished_at,
        col(SelfCheckTask.ends_at) > received_at - GRACE, col(SelfCheckTask.status).in_(("due", "missed")),
    ))).all()
    table = SelfCheckTask.__table__  # type: ignore[attr-defined]
    reaches = table.c.done_count + 1 >= table.c.required
    for key in tasks:
        writes.update(SelfCheckTask, key, {
            "done_count": table.c.done_count + 1,
            "status": case((reaches, "done"), else_=table.c.status),
            "done_at": case((reaches & (table.c.status != "done"), literal(received_at, UTCDateTime())), else_=table.c.done_at),
            "updated_at": received_at,
        })
