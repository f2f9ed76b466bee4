"""The in-process scheduler (APScheduler 3): cron triggers in China time calling ``run_job``.

Started by the app's lifespan when ``settings.run_scheduler`` is on. Every server instance may run
one; ``core.scheduler.runner`` makes sure each job runs once per period across all of them.

The job store is in memory, so a fire time that passed while no instance was running is not
replayed by APScheduler. On start, ``catch_up`` runs every job whose last fire time falls in the
period that is still current (last month's dispatch report when the server comes back on the 3rd,
today's reminders at 10:00 after a restart at 9:30); ``run_job`` skips the periods already done.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from core.context import Context
from core.local_time import LOCAL_TZ
from core.scheduler.catalogue import JOBS
from core.scheduler.runner import run_job

log = logging.getLogger("anjian.scheduler")


async def _run(ctx: Context, name: str) -> None:
    try:
        outcome = await run_job(ctx, name)
        if outcome.status == "failed":
            log.error("scheduled job %s failed: %s", name, outcome.reason)
    except Exception:  # a scheduled job must never take the scheduler down
        log.exception("scheduled job %s crashed", name)


_LOOKBACK = timedelta(days=100)  # longer than the longest period (a quarter)


def _trigger(cron: dict[str, object]) -> CronTrigger:
    return CronTrigger(timezone=LOCAL_TZ, **cron)


def last_fire_time(cron: dict[str, object], now: datetime) -> datetime | None:
    """The newest time at or before ``now`` that the cron schedule fired (None: none in the lookback)."""
    trigger = _trigger(cron)
    last = None
    fire = trigger.get_next_fire_time(None, now - _LOOKBACK)
    while fire is not None and fire <= now:
        last = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return last


def missed_jobs(now: datetime) -> list[str]:
    """Jobs whose last scheduled run belongs to the period that is current at ``now``."""
    missed = []
    for spec in JOBS.values():
        fired = last_fire_time(spec.cron, now)
        if fired is not None and spec.period(fired) == spec.period(now):
            missed.append(spec.name)
    return missed


async def catch_up(ctx: Context) -> list[str]:
    """Run the jobs a stopped server may have missed in the current period; the names run."""
    names = missed_jobs(ctx.clock.now())
    for name in names:
        await _run(ctx, name)
    return names


def build_scheduler(ctx: Context) -> AsyncIOScheduler:
    """A scheduler with every registered job on its cron trigger (not started)."""
    scheduler = AsyncIOScheduler(timezone=LOCAL_TZ)
    for spec in JOBS.values():
        scheduler.add_job(
            _run, _trigger(spec.cron), args=[ctx, spec.name], id=spec.name, name=spec.description,
            coalesce=True, max_instances=1, misfire_grace_time=3600, replace_existing=True,
        )
    return scheduler


@dataclass
class RunningScheduler:
    """The started scheduler and its start-up catch-up; ``stop`` ends both before the database
    is closed (a catch-up still running then would wait forever on a disposed connection)."""

    scheduler: AsyncIOScheduler
    catching_up: asyncio.Task[list[str]]

    async def stop(self) -> None:
        self.scheduler.shutdown(wait=False)
        self.catching_up.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.catching_up


async def _catch_up_logged(ctx: Context) -> list[str]:
    try:
        return await catch_up(ctx)
    except Exception:  # like a scheduled job, the catch-up must never take the server down
        log.exception("catching up on missed jobs failed")
        return []


def start_scheduler(ctx: Context) -> RunningScheduler:
    """Build and start the scheduler on the running event loop, and catch up on missed runs."""
    scheduler = build_scheduler(ctx)
    scheduler.start()
    log.info("scheduler started with jobs: %s", ", ".join(JOBS))
    return RunningScheduler(scheduler, asyncio.get_running_loop().create_task(_catch_up_logged(ctx)))
