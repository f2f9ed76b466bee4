"""Scheduled jobs (定时任务): what runs, when, and which period each run belongs to.

``JOBS`` is the registry the scheduler, ``anjian jobs`` and the tests read; jobs of the rooms
above core (sync's ``upload_expiry``) are added to it by ``server.py`` (``add_job``). Every job is
idempotent by itself (dedup keys, "not yet marked" conditions, unique slots and snapshots), and
``core.scheduler.runner`` additionally runs it at most once per period across server instances.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.audit.anchors import anchor_job
from core.context import Context
from core.hazards.jobs import deadline_reminders, mark_overdue_and_escalate
from core.local_time import LOCAL_TZ
from core.plans.jobs import plan_assignments
from core.reports.jobs import monthly_dispatch, previous_month, previous_quarter, quarterly_bulletin
from core.reports.rebuild import rebuild_monthly_dispatch, rebuild_quarterly_bulletin
from core.self_checks.jobs import self_check_tasks


def hour_period(now: datetime) -> str:
    return now.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H")


def day_period(now: datetime) -> str:
    return now.astimezone(LOCAL_TZ).strftime("%Y-%m-%d")


@dataclass(frozen=True)
class JobSpec:
    """A job: its work, its cron schedule (local time) and how a run's period is named."""

    name: str
    description: str
    run: Callable[[Context, datetime], Awaitable[dict[str, Any]]]
    period: Callable[[datetime], str]
    cron: dict[str, Any] = field(default_factory=dict)
    # What a forced run (``anjian jobs run NAME --force``) does instead of ``run``, where running
    # again is not enough: the report snapshots are rebuilt rather than found and left as they are.
    rerun: Callable[[Context, datetime], Awaitable[dict[str, Any]]] | None = None


JOBS: dict[str, JobSpec] = {
    spec.name: spec
    for spec in (
        JobSpec("hazard_overdue", "标记逾期隐患，逾期超过设定天数的升级挂牌督办 (mark overdue hazards, escalate)", mark_overdue_and_escalate, hour_period, {"minute": 5}),
        JobSpec("deadline_reminders", "整改期限临近提醒 (remind of deadlines due soon)", deadline_reminders, day_period, {"hour": 8, "minute": 0}),
        JobSpec("monthly_dispatch", "上月月调度报表 (monthly dispatch summary of last month)", monthly_dispatch, lambda now: previous_month(now)[0], {"day": 1, "hour": 1, "minute": 0}, rebuild_monthly_dispatch),
        JobSpec("quarterly_bulletin", "上季度季通报 (quarterly bulletin of last quarter)", quarterly_bulletin, lambda now: previous_quarter(now)[0], {"month": "1,4,7,10", "day": 1, "hour": 2, "minute": 0}, rebuild_quarterly_bulletin),
        JobSpec("plan_assignments", "按年度计划生成即将开始的检查任务 (plan assignments for the coming period)", plan_assignments, day_period, {"hour": 0, "minute": 30}),
        JobSpec("self_check_tasks", "生成本期企业自查任务，标记已完成和未按期完成的任务 (plan self-check tasks, mark done and missed)", self_check_tasks, hour_period, {"minute": 10}),
        JobSpec("audit_anchor", "用服务器密钥签署审计链当前链头 (sign the audit chain's head with the server secret)", anchor_job, hour_period, {"minute": 55}),
    )
}


def add_job(spec: JobSpec) -> None:
    """Add a job defined above core (``server.py`` adds sync's, which core may not import).

    Names are unique: another job under a taken name is a start-up error, not a silent swap.
    """
    current = JOBS.get(spec.name)
    if current is not None and current is not spec:
        raise ValueError(f"a job named {spec.name!r} is already registered")
    JOBS[spec.name] = spec
