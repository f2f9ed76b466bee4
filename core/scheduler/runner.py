"""Running one job for one period, once, even with several server instances on one database.

Two guards: on PostgreSQL a session advisory lock per job (``pg_try_advisory_lock``) so only one
instance runs a job at a time — the others skip at once rather than queue; and on every database a
``job_run`` row per (job, period) claimed in a write transaction, so a period that was done is not
done again (``force`` re-runs it; the jobs are idempotent by themselves, so that is safe).
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from core.context import Context
from core.errors import InvalidInput
from core.scheduler.runs import STALE_AFTER, JobRun

log = logging.getLogger("anjian.jobs")


class JobOutcome(msgspec.Struct, kw_only=True):
    """What happened: ``done``, ``skipped`` (with the reason) or ``failed`` (with the error)."""

    job: str
    period: str
    status: str
    reason: str = ""
    result: dict[str, Any] = msgspec.field(default_factory=dict)


def instance_name() -> str:
    """This server process, as recorded on the runs it makes."""
    return f"{socket.gethostname()}:{os.getpid()}"


def lock_key(job: str) -> int:
    """A stable signed 64-bit advisory lock key for a job name."""
    return int.from_bytes(hashlib.sha256(f"anjian-job:{job}".encode()).digest()[:8], "big", signed=True)


@asynccontextmanager
async def instance_lock(ctx: Context, job: str) -> AsyncIterator[bool]:
    """Yield True if this instance may run ``job`` now (always True on SQLite)."""
    if ctx.db.dialect != "postgresql" or not ctx.settings.scheduler_instance_lock:
        yield True
        return
    key = lock_key(job)
    async with ctx.db.engine.connect() as conn:
        got = bool((await conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})).scalar())
        await conn.commit()
        try:
            yield got
        finally:
            if got:
                await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                await conn.commit()


async def _claim(ctx: Context, job: str, period: str, now: datetime, force: bool, instance: str) -> tuple[JobRun | None, str]:
    try:
        async with ctx.db.write() as session:
            run = (await session.exec(select(JobRun).where(col(JobRun.job) == job, col(JobRun.period) == period))).first()
            if run is None:
                run = JobRun(job=job, period=period, status="running", instance=instance, started_at=now)
                session.add(run)
                return run, ""
            stale = run.status == "running" and now - run.started_at > STALE_AFTER
            if not (force or run.status == "failed" or stale):
                return None, f"already {run.status} for period {period} (instance {run.instance})"
            run.status, run.instance, run.started_at, run.finished_at, run.error = "running", instance, now, None, None
            run.attempts += 1
            session.add(run)
            return run, ""
    except IntegrityError:
        return None, f"claimed by another instance for period {period}"


async def _finish(ctx: Context, run_id: str, status: str, result: dict[str, Any], error: str | None) -> None:
    async with ctx.db.write() as session:
        run = await session.get(JobRun, run_id)
        if run is not None:
            run.status, run.result, run.error, run.finished_at = status, msgspec.to_builtins(result), error, ctx.clock.now()
            session.add(run)


async def run_job(ctx: Context, name: str, *, force: bool = False, instance: str | None = None) -> JobOutcome:
    """Run job ``name`` for the current period unless it is done or running elsewhere."""
    from core.scheduler.catalogue import JOBS  # the registry imports every job module

    spec = JOBS.get(name)
    if spec is None:
        raise InvalidInput(f"unknown job {name!r}; known: {', '.join(sorted(JOBS))}", f"未知的定时任务 {name}", field="name")
    now = ctx.clock.now()
    period = spec.period(now)
    instance = instance or instance_name()
    async with instance_lock(ctx, name) as got:
        if not got:
            return JobOutcome(job=name, period=period, status="skipped", reason="running on another instance")
        run, reason = await _claim(ctx, name, period, now, force, instance)
        if run is None:
            return JobOutcome(job=name, period=period, status="skipped", reason=reason)
        try:
            result = await (spec.rerun if force and spec.rerun is not None else spec.run)(ctx, now)
        except Exception as exc:
            log.exception("job %s failed for period %s", name, period)
            await _finish(ctx, run.id, "failed", {}, f"{type(exc).__name__}: {exc}"[:2000])
            return JobOutcome(job=name, period=period, status="failed", reason=f"{type(exc).__name__}: {exc}")
        await _finish(ctx, run.id, "done", result, None)
        log.info("job %s done for period %s: %s", name, period, result)
        return JobOutcome(job=name, period=period, status="done", result=result)


async def recent_runs(ctx: Context, limit: int = 50) -> list[JobRun]:
    """The newest job runs."""
    async with ctx.db.read() as session:
        return list((await session.exec(select(JobRun).order_by(col(JobRun.started_at).desc()).limit(limit))).all())
