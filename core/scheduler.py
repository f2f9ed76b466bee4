"""The in-process scheduler (APScheduler 3): cron triggers in China time calling ``run_job``.

Started by the app's lifespan when ``settings.run_scheduler`` is on. Every server instance may run
one; ``core.job_runner`` makes sure each job runs once per period across all of them.
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from core.context import Context
from core.job_runner import run_job
from core.jobs import JOBS
from core.local_time import LOCAL_TZ

log = logging.getLogger("anjian.scheduler")


async def _run(ctx: Context, name: str) -> None:
    try:
        outcome = await run_job(ctx, name)
        if outcome.status == "failed":
            log.error("scheduled job %s failed: %s", name, outcome.reason)
    except Exception:  # a scheduled job must never take the scheduler down
        log.exception("scheduled job %s crashed", name)


def build_scheduler(ctx: Context) -> AsyncIOScheduler:
    """A scheduler with every registered job on its cron trigger (not started)."""
    scheduler = AsyncIOScheduler(timezone=LOCAL_TZ)
    for spec in JOBS.values():
        scheduler.add_job(
            _run, CronTrigger(timezone=LOCAL_TZ, **spec.cron), args=[ctx, spec.name], id=spec.name, name=spec.description,
            coalesce=True, max_instances=1, misfire_grace_time=3600, replace_existing=True,
        )
    return scheduler


def start_scheduler(ctx: Context) -> AsyncIOScheduler:
    """Build and start the scheduler on the running event loop."""
    scheduler = build_scheduler(ctx)
    scheduler.start()
    log.info("scheduler started with jobs: %s", ", ".join(JOBS))
    return scheduler
