"""Scheduled jobs over HTTP (admin): list recent runs, run one now."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, get, post

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.scheduler.runner import JobOutcome, recent_runs, run_job


class JobRunOut(msgspec.Struct, kw_only=True):
    job: str
    period: str
    status: str
    instance: str
    attempts: int
    started_at: datetime
    finished_at: datetime | None
    result: dict[str, Any]
    error: str | None


class JobController(Controller):
    path = "/api/v1/jobs"
    tags = ["jobs"]

    @get("/runs", operation_id="listJobRuns")
    async def runs(self, ctx: Context, principal: Principal) -> list[JobRunOut]:
        require(principal.role, "job.run")
        return [msgspec.convert(r.model_dump(), JobRunOut) for r in await recent_runs(ctx)]

    @post("/{name:str}/run", operation_id="runJob", status_code=200)
    async def run(self, ctx: Context, principal: Principal, name: str, force: bool = False) -> JobOutcome:
        """Run a job now for the current period (``force`` re-runs a period already done)."""
        require(principal.role, "job.run")
        return await run_job(ctx, name, force=force)


ROUTES = [JobController]
