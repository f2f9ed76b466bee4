"""The figures of the 工作台 (workbench): what needs the user now, over their scope only.

Each count is ``web.console.hazard_lists.count_hazards`` with the filters of the list it links to,
so a figure and the list behind it (and ``GET /api/v1/hazards`` with the same filters) always agree.
The 12-month trend counts, per local month, the hazards registered and the hazards closed, in one
query over the same scoped join. Plan coverage is core's plan-coverage report for the current year.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import and_, case, func, or_
from sqlmodel import col

from core.access.permissions import allowed, require
from core.access.scope import Principal
from core.context import Context
from core.hazards.queries import HazardFilter, scoped_hazard_query
from core.hazards.records import OPEN_STATUSES, Hazard
from core.local_time import local_date, month_bounds
from core.reports.figures import plan_coverage_report
from web.console.hazard_lists import count_hazards


class MonthCount(msgspec.Struct, kw_only=True):
    """One month of the trend: hazards registered (opened) and closed in it."""

    month: str  # YYYY-MM
    opened: int
    closed: int


class CoverageRow(msgspec.Struct, kw_only=True):
    plan_id: str
    title: str
    enterprises_in_scope: int
    enterprises_inspected: int
    coverage_rate: float


class Workbench(msgspec.Struct, kw_only=True):
    """Everything the office workbench shows."""

    overdue: int
    listed_open: int
    awaiting_recheck: int
    open_total: int
    open_by_level: dict[str, int]
    trend: list[MonthCount]
    coverage: list[CoverageRow] | None  # None: the role reads no reports
    year: int


def last_months(now: datetime, count: int = 12) -> list[tuple[int, int]]:
    """(year, month) of the ``count`` local months ending with the current one, oldest first."""
    today = local_date(now)
    index = today.year * 12 + today.month - 1
    return [((i // 12), (i % 12) + 1) for i in range(index - count + 1, index + 1)]


async def monthly_trend(ctx: Context, principal: Principal, now: datetime, count: int = 12) -> list[MonthCount]:
    """Hazards registered and closed per local month, over the caller's scope."""
    require(principal.role, "hazard.read")
    months = [month_bounds(year, month) for year, month in last_months(now, count)]
    received, closed = col(Hazard.received_at), col(Hazard.closed_at)
    sums: list[Any] = []
    for start, end in months:
        sums.append(func.sum(case((and_(received >= start, received < end), 1), else_=0)))
        sums.append(func.sum(case((and_(closed.is_not(None), closed >= start, closed < end), 1), else_=0)))
    first = months[0][0]
    query = scoped_hazard_query(principal, *sums).where(or_(received >= first, and_(closed.is_not(None), closed >= first)))
    async with ctx.db.read() as session:
        row = (await session.exec(query)).one()
    values = [int(v or 0) for v in row]
    return [
        MonthCount(month=f"{year}-{month:02d}", opened=values[2 * i], closed=values[2 * i + 1])
        for i, (year, month) in enumerate(last_months(now, count))
    ]


async def open_by_level(ctx: Context, principal: Principal) -> dict[str, int]:
    """Open hazards per level (一般 / 重大) in scope."""
    require(principal.role, "hazard.read")
    query = scoped_hazard_query(principal, Hazard.level, func.count(col(Hazard.id))).where(col(Hazard.status).in_(OPEN_STATUSES)).group_by(col(Hazard.level))
    async with ctx.db.read() as session:
        rows = (await session.exec(query)).all()
    counts = {"general": 0, "major": 0}
    counts.update({level: int(n) for level, n in rows})
    return counts


async def plan_coverage(ctx: Context, principal: Principal, year: int) -> list[CoverageRow] | None:
    """This year's plans the caller sees, with coverage; None for roles without reports."""
    if not allowed(principal.role, "report.read"):
        return None
    table = await plan_coverage_report(ctx, principal, year)
    return [msgspec.convert({k: row[k] for k in CoverageRow.__struct_fields__}, CoverageRow) for row in table.rows]


async def workbench(ctx: Context, principal: Principal) -> Workbench:
    """The office workbench's figures for the caller."""
    now = ctx.clock.now()
    by_level = await open_by_level(ctx, principal)
    return Workbench(
        overdue=await count_hazards(ctx, principal, HazardFilter(overdue=True)),
        listed_open=await count_hazards(ctx, principal, HazardFilter(listed=True), open_only=True),
        awaiting_recheck=await count_hazards(ctx, principal, HazardFilter(status="awaiting_recheck")),
        open_total=sum(by_level.values()),
        open_by_level=by_level,
        trend=await monthly_trend(ctx, principal, now),
        coverage=await plan_coverage(ctx, principal, local_date(now).year),
        year=local_date(now).year,
    )
