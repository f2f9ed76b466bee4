"""The latest runs of each job (core.scheduler.history): per job, newest first, however busy the
other jobs are; failed periods counted until run again."""

from __future__ import annotations

from datetime import timedelta

from core.scheduler.history import failed_periods, last_runs
from core.scheduler.runs import JobRun


async def test_each_job_gets_its_own_newest_runs_and_failures_are_counted(api) -> None:  # type: ignore[no-untyped-def]
    ctx = api.direct
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        for hour in range(30):  # a busy hourly job
            session.add(JobRun(job="hourly", period=f"h{hour:02d}", status="done", started_at=now - timedelta(hours=hour), finished_at=now))
        session.add(JobRun(job="monthly", period="2026-01", status="failed", started_at=now - timedelta(days=40), error="boom"))
        session.add(JobRun(job="monthly", period="2026-02", status="done", started_at=now - timedelta(days=10), finished_at=now))
    runs = await last_runs(ctx, ["hourly", "monthly", "never"], per_job=3)
    assert [r.period for r in runs["hourly"]] == ["h00", "h01", "h02"]
    assert [r.period for r in runs["monthly"]] == ["2026-02", "2026-01"]
    assert runs["never"] == []
    assert await failed_periods(ctx) == 1
