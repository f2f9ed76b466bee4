"""The figures of the 工作台 (workbench): what needs the user now, over their scope only.

Every figure counts with the conditions of the list it links to (``hazard_conditions``), over the
scope of ``hazards_in_scope``, so a figure and the list behind it (and ``GET /api/v1/hazards`` with
the same filters) always agree. The queries are few and fixed, whatever the scope's size: the open
hazards per status and level, overdue, listed and per region in one pass over ``ix_hazard_open``;
the closed ones in one count; the open ones per industry in one GROUP BY; the 12-month trend in one
statement of range counts (kept five minutes per scope). Plan coverage is core's plan-coverage report for
the current year. Each chart slice links to the hazard list of exactly its filters.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import and_, case, func
from sqlmodel import col, select

from core.access.permissions import allowed, require
from core.access.scope import Principal
from core.context import Context
from core.enterprises.records import EnterpriseIndustry
from core.hazards.queries import HazardFilter, checked_per_row, hazard_conditions, hazards_in_scope
from core.hazards.records import HAZARD_LEVEL_LABELS, HAZARD_STATUS_LABELS, OPEN_STATUSES, Hazard
from core.local_time import local_date, month_bounds
from core.regions.codes import TOWNSHIP_LENGTH, region_level
from core.reports.figures import plan_coverage_report
from core.vocabulary import INDUSTRIES, INDUSTRY_LABELS
from web.console.memo import remembered, scope_key
from web.console.places import region_names


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


class Slice(msgspec.Struct, kw_only=True):
    """One bar of a workbench chart: what it counts, how many, and the list that shows them."""

    key: str
    label: str
    count: int
    href: str


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
    by_status: list[Slice] = msgspec.field(default_factory=list)  # every hazard, by status
    by_level: list[Slice] = msgspec.field(default_factory=list)  # open hazards from here on
    by_region: list[Slice] = msgspec.field(default_factory=list)
    by_industry: list[Slice] = msgspec.field(default_factory=list)


def last_months(now: datetime, count: int = 12) -> list[tuple[int, int]]:
    """(year, month) of the ``count`` local months ending with the current one, oldest first."""
    today = local_date(now)
    index = today.year * 12 + today.month - 1
    return [((i // 12), (i % 12) + 1) for i in range(index - count + 1, index + 1)]


TREND_SECONDS = 300  # the trend and the closed count may be five minutes late; the figures that need the user now never are


async def monthly_trend(ctx: Context, principal: Principal, now: datetime, count: int = 12) -> list[MonthCount]:
    """Hazards registered and closed per local month, over the caller's scope; counted at most once
    per ``TREND_SECONDS`` per scope (``web.console.memo``), since at a province's million hazards a
    department's trend costs about a second (bench/console.py)."""
    require(principal.role, "hazard.read")
    months = tuple(last_months(now, count))
    return await remembered(ctx, ("console.trend", scope_key(principal), months), TREND_SECONDS, lambda: _count_trend(ctx, principal, months))


async def _count_trend(ctx: Context, principal: Principal, months: tuple[tuple[int, int], ...]) -> list[MonthCount]:
    """One count per month and kind, each a range of ``ix_hazard_received`` or ``ix_hazard_closed``,
    sent as one statement of scalar subqueries: a database counts an index range far faster than it
    finds each entry's month, and ``received OR closed`` would read every hazard."""
    counts = []
    for start, end in (month_bounds(year, month) for year, month in months):
        for stamp in (col(Hazard.received_at), col(Hazard.closed_at)):
            counts.append(hazards_in_scope(principal, func.count(), by_range=True).where(stamp >= start, stamp < end).scalar_subquery())
    async with ctx.db.read() as session:
        row = [int(v or 0) for v in (await session.exec(select(*counts))).one()]
    return [MonthCount(month=f"{year}-{month:02d}", opened=row[2 * i], closed=row[2 * i + 1]) for i, (year, month) in enumerate(months)]


class OpenFigures(msgspec.Struct, kw_only=True):
    """What the workbench counts among the open hazards in scope."""

    by_status: dict[str, int]
    by_level: dict[str, int]
    overdue: int
    listed: int
    by_region: list[tuple[str, int]]  # open hazards per leading digits of the region code (region_digits)


def region_digits(principal: Principal) -> int:
    """How many leading digits of a hazard's region code the chart by region groups by: six (a
    county), or nine (a township) under a county."""
    return TOWNSHIP_LENGTH if child_length(principal) == TOWNSHIP_LENGTH else 6


async def open_figures(ctx: Context, principal: Principal, now: datetime) -> OpenFigures:
    """Open hazards per status and level, overdue and listed, and per region (the chart by region),
    in one pass over ``ix_hazard_open`` grouped by the region's leading digits.

    Each figure uses the condition of the list it links to (``hazard_conditions``), so it equals that
    list's total."""
    require(principal.role, "hazard.read")

    def counted(*conditions: Any) -> Any:
        return func.sum(case((and_(*conditions), 1), else_=0))

    status, level = col(Hazard.status), col(Hazard.level)
    region = func.substr(col(Hazard.region_code), 1, region_digits(principal))
    sums = [counted(status == s) for s in OPEN_STATUSES] + [counted(level == v) for v in HAZARD_LEVEL_LABELS]
    sums += [counted(*hazard_conditions(HazardFilter(overdue=True), now)), counted(*hazard_conditions(HazardFilter(listed=True), now))]
    query = hazards_in_scope(principal, region, *sums).where(status.in_(OPEN_STATUSES)).group_by(region)
    async with ctx.db.read() as session:
        rows = [(str(code), [int(v or 0) for v in values]) for code, *values in (await session.exec(query)).all()]
    total = [sum(values[i] for _, values in rows) for i in range(len(sums))]
    statuses, levels = len(OPEN_STATUSES), len(HAZARD_LEVEL_LABELS)
    return OpenFigures(
        by_status=dict(zip(OPEN_STATUSES, total[:statuses], strict=True)),
        by_level=dict(zip(HAZARD_LEVEL_LABELS, total[statuses:statuses + levels], strict=True)),
        overdue=total[-2], listed=total[-1],
        by_region=[(code, sum(values[:statuses])) for code, values in rows],
    )


def level_slices(counts: dict[str, int]) -> list[Slice]:
    """Open hazards per level as chart slices (重大 first)."""
    return [Slice(key=level, label=HAZARD_LEVEL_LABELS[level], count=counts.get(level, 0), href=f"/hazards?open=1&level={level}") for level in ("major", "general")]


async def by_status(ctx: Context, principal: Principal, open_counts: dict[str, int]) -> list[Slice]:
    """Every hazard in scope per status, in the order of the workflow: the open ones as counted by
    ``open_figures``, the closed ones by one more count — remembered like the trend (every closed
    hazard of the scope is read: a department's ninth of a million costs 150–300 ms), since a
    history figure may be five minutes late; its link's list counts live."""
    require(principal.role, "hazard.read")

    async def closed() -> int:
        async with ctx.db.read() as session:
            return int((await session.exec(hazards_in_scope(principal, func.count()).where(col(Hazard.status) == "closed"))).one())

    counts = {**open_counts, "closed": await remembered(ctx, ("console.closed", scope_key(principal)), TREND_SECONDS, closed)}
    return [Slice(key=s, label=label, count=counts.get(s, 0), href=f"/hazards?status={s}") for s, label in HAZARD_STATUS_LABELS.items()]


def child_length(principal: Principal) -> int:
    """How many leading digits name the regions one level below the caller's scope: provinces (2)
    for a user without a region, cities (4) under a province, counties (6) under a city, townships
    (9) under a county or township."""
    if principal.is_admin or not principal.region_code:
        return 2
    level = region_level(principal.region_code)
    return {"province": 4, "city": 6}.get(level, TOWNSHIP_LENGTH)


def _full_code(prefix: str) -> str:
    """A code prefix as a region code: ``51`` → ``510000``, ``5106`` → ``510600``."""
    return prefix if len(prefix) >= 6 else prefix.ljust(6, "0")


async def by_region(ctx: Context, principal: Principal, finest: list[tuple[str, int]]) -> list[Slice]:
    """Open hazards per region one level below the caller's scope, most first — or further down
    while everything lies in one region (a county's deployment shows its counties' figures to
    the 安委办, not one bar for the province). ``finest``: the counts per leading six (under a county:
    nine) digits of the hazard's region code (``open_figures``), summed up here. Under a county,
    hazards registered at the county itself (no township) form their own slice, unlinked when
    townships have hazards too (the county's list would count theirs as well)."""
    require(principal.role, "hazard.read")
    length = child_length(principal)
    while length < 6 and len({code[:length] for code, _ in finest}) == 1:
        length += 2
    counts: dict[str, int] = {}
    for code, n in finest:
        key = _full_code(code[:length])
        counts[key] = counts.get(key, 0) + n
    names = await region_names(ctx, counts)
    townships = any(len(code) == TOWNSHIP_LENGTH for code in counts)

    def slice_of(code: str, n: int) -> Slice:
        if length == TOWNSHIP_LENGTH and len(code) < TOWNSHIP_LENGTH:
            # the county's own list would count its townships' hazards too: no link that disagrees
            return Slice(key=code, label=names.get(code, code) + "（县级直属）", count=n, href="" if townships else f"/hazards?open=1&region_code={code}")
        return Slice(key=code, label=names.get(code, code), count=n, href=f"/hazards?open=1&region_code={code}")

    return sorted((slice_of(code, n) for code, n in counts.items()), key=lambda s: (-s.count, s.key))


async def by_industry(ctx: Context, principal: Principal) -> list[Slice]:
    """Open hazards per industry of their enterprise, the caller's industries only, most first (one
    GROUP BY). A hazard of a multi-industry enterprise counts under each of its industries, as the
    hazard list's ``industry`` filter finds it under each."""
    require(principal.role, "hazard.read")
    industry = col(EnterpriseIndustry.industry)
    # open hazards per enterprise first (from ix_hazard_open, the scope checked per entry), then their industries:
    # one lookup per enterprise with open hazards instead of a search per (enterprise, industry)
    per_enterprise = (
        hazards_in_scope(principal, col(Hazard.enterprise_id).label("enterprise_id"), func.count().label("open"), by_range=True)
        .where(col(Hazard.status).in_(OPEN_STATUSES)).group_by(checked_per_row(col(Hazard.enterprise_id))).subquery()
    )
    query = (
        select(industry, func.sum(per_enterprise.c.open))
        .join(per_enterprise, per_enterprise.c.enterprise_id == col(EnterpriseIndustry.enterprise_id)).group_by(industry)
    )
    async with ctx.db.read() as session:
        rows = (await session.exec(query)).all()
    slices = [
        Slice(key=key, label=INDUSTRY_LABELS.get(key, key), count=int(n), href=f"/hazards?open=1&industry={key}")
        for key, n in rows if key in INDUSTRIES and principal.covers_industry(key)
    ]
    return sorted(slices, key=lambda s: (-s.count, s.key))


async def plan_coverage(ctx: Context, principal: Principal, year: int) -> list[CoverageRow] | None:
    """This year's plans the caller sees, with coverage; None for roles without reports."""
    if not allowed(principal.role, "report.read"):
        return None
    table = await plan_coverage_report(ctx, principal, year)
    return [msgspec.convert({k: row[k] for k in CoverageRow.__struct_fields__}, CoverageRow) for row in table.rows]


async def workbench(ctx: Context, principal: Principal) -> Workbench:
    """The office workbench's figures for the caller."""
    now = ctx.clock.now()
    figures = await open_figures(ctx, principal, now)
    return Workbench(
        by_status=await by_status(ctx, principal, figures.by_status), by_level=level_slices(figures.by_level),
        by_region=await by_region(ctx, principal, figures.by_region), by_industry=await by_industry(ctx, principal),
        overdue=figures.overdue,
        listed_open=figures.listed,
        awaiting_recheck=figures.by_status["awaiting_recheck"],
        open_total=sum(figures.by_status.values()),
        open_by_level=figures.by_level,
        trend=await monthly_trend(ctx, principal, now),
        coverage=await plan_coverage(ctx, principal, local_date(now).year),
        year=local_date(now).year,
    )
