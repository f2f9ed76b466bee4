"""The latest runs of each scheduled job, for an admin following them (the console's 定时任务 page).

``recent_runs`` answers the newest runs overall, where an hourly job crowds out a monthly one; this
answers the newest few of every job named, one indexed query per job.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import col, func, select

from core.context import Context
from core.scheduler.runs import JobRun


async def last_runs(ctx: Context, jobs: Iterable[str], per_job: int = 5) -> dict[str, list[JobRun]]:
    """Job name → its newest ``per_job`` runs (newest first; empty for a job never run)."""
    found: dict[str, list[JobRun]] = {}
    async with ctx.db.read() as session:
        for job in jobs:
            query = select(JobRun).where(col(JobRun.job) == job).order_by(col(JobRun.started_at).desc()).limit(per_job)
            found[job] = list((await session.exec(query)).all())
    return found


async def failed_periods(ctx: Context) -> int:
    """How many (job, period) runs stand failed: failed and not run again since."""
    async with ctx.db.read() as session:
        return int((await session.exec(select(func.count()).select_from(JobRun).where(col(JobRun.status) == "failed"))).one())
