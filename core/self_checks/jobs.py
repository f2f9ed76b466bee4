"""The ``self_check_tasks`` job: plan each period's self-check tasks and mark those fulfilled or missed.

Hourly, so a day's tasks exist soon after local midnight and yesterday's unfinished ones turn
``missed`` within the hour. Idempotent: a task's id is its list and period, and recounting a task
that did not change writes nothing. One short write transaction per enterprise.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select

from core.context import Context
from core.self_checks.records import SelfCheckList
from core.self_checks.service import active_lists, plan, refresh


async def self_check_tasks(ctx: Context, now: datetime) -> dict[str, Any]:
    """Create the tasks of the current periods (and any a stopped server skipped), then settle open ones."""
    async with ctx.db.read() as session:
        enterprises = list((await session.exec(
            select(SelfCheckList.enterprise_id).where(col(SelfCheckList.active).is_(True)).distinct()
        )).all())
    created = done = missed = 0
    for enterprise_id in sorted(enterprises):
        async with ctx.db.write() as session:
            planned = await plan(session, ctx, await active_lists(session, enterprise_id), now)
            settled = await refresh(session, now, enterprise_id)
        created += len(planned)
        done += settled["done"] + sum(task.status == "done" for task in planned)
        missed += settled["missed"] + sum(task.status == "missed" for task in planned)
    return {"enterprises": len(enterprises), "tasks_created": created, "marked_done": done, "marked_missed": missed}
