"""The figures supervisors report (统计报表), always over the caller's scope only.

Rows are loaded through the same scope conditions as lists (``Principal.enterprise_conditions``),
then counted in Python: the numbers are simple and the same code runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, Literal

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import require
from core.access.scope import Principal
from core.access.users import User
from core.context import Context
from core.enterprises.records import Enterprise
from core.hazards.deadlines import is_overdue, overdue_days
from core.hazards.queries import scoped_hazard_query
from core.hazards.records import HAZARD_LEVEL_LABELS, HAZARD_STATUS_LABELS, Hazard
from core.inspections.records import Inspection
from core.local_time import LOCAL_TZ, year_bounds
from core.plans.records import InspectionPlan
from core.plans.service import coverage_in_session, plan_visible
from core.regions.records import Region
from core.reports.rendering import Column, ReportTable
from core.vocabulary import INDUSTRY_LABELS

HazardGrouping = Literal["region", "industry", "level", "status"]
_GROUP_LABELS = {"region": "行政区划", "industry": "行业", "level": "隐患等级", "status": "状态"}
TOTAL_KEY = "total"

HAZARD_METRICS = [
    Column(key="total", label="隐患总数"),
    Column(key="open", label="未销号"),
    Column(key="closed", label="已销号"),
    Column(key="overdue", label="逾期"),
    Column(key="listed", label="挂牌督办（未销号）"),
    Column(key="rectification_rate", label="整改率"),
    Column(key="mean_days_to_close", label="平均销号天数"),
]


def _scope_of(principal: Principal) -> dict[str, Any]:
    return {"role": principal.role, "region_code": principal.region_code, "industries": list(principal.industries), "grid_code": principal.grid_code}


async def _region_names(session: AsyncSession, codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = (await session.exec(select(Region.code, Region.name).where(col(Region.code).in_(sorted(codes))))).all()
    return dict(rows)


def _metrics(hazards: list[Hazard], now: datetime) -> dict[str, Any]:
    closed = [h for h in hazards if h.status == "closed"]
    close_days = [(h.closed_at - h.received_at).total_seconds() / 86400 for h in closed if h.closed_at]
    return {
        "total": len(hazards),
        "open": len(hazards) - len(closed),
        "closed": len(closed),
        "overdue": sum(is_overdue(h, now) for h in hazards),
        "listed": sum(h.listed_supervision and h.status != "closed" for h in hazards),
        "rectification_rate": round(len(closed) / len(hazards), 4) if hazards else 0.0,
        "mean_days_to_close": round(sum(close_days) / len(close_days), 2) if close_days else None,
    }


async def scoped_hazards(session: AsyncSession, principal: Principal, year: int | None = None) -> list[Hazard]:
    """Hazards the caller may see, optionally only those registered in a (local) year."""
    query = scoped_hazard_query(principal)
    if year is not None:
        start, end = year_bounds(year)
        query = query.where(col(Hazard.received_at) >= start, col(Hazard.received_at) < end)
    return list((await session.exec(query)).all())


async def hazard_report(ctx: Context, principal: Principal, by: HazardGrouping, year: int | None = None) -> ReportTable:
    """Hazards grouped by region, industry, level or status, with a 合计 row.

    By industry, a hazard of a multi-industry enterprise counts under each of its industries the
    caller covers (so the column sums may exceed the 合计 row, which counts each hazard once).
    """
    require(principal.role, "report.read")
    now = ctx.clock.now()
    async with ctx.db.read() as session:
        hazards = await scoped_hazards(session, principal, year)
        names = await _region_names(session, {h.region_code for h in hazards}) if by == "region" else {}
    groups: dict[str, list[Hazard]] = defaultdict(list)
    for h in hazards:
        if by == "industry":
            for industry in h.industries:
                if principal.covers_industry(industry):
                    groups[industry].append(h)
        else:
            groups[getattr(h, {"region": "region_code", "level": "level", "status": "status"}[by])].append(h)
    labels = {"industry": INDUSTRY_LABELS, "level": HAZARD_LEVEL_LABELS, "status": HAZARD_STATUS_LABELS, "region": names}[by]
    rows = [{"key": key, "name": labels.get(key, key), **_metrics(items, now)} for key, items in sorted(groups.items())]
    rows.append({"key": TOTAL_KEY, "name": "合计", **_metrics(hazards, now)})
    title = f"隐患统计（按{_GROUP_LABELS[by]}）" + (f" {year}年" if year else "")
    columns = [Column(key="key", label="代码"), Column(key="name", label=_GROUP_LABELS[by]), *HAZARD_METRICS]
    return ReportTable(name=f"hazards_by_{by}", title=title, columns=columns, rows=rows, generated_at=now, scope=_scope_of(principal))


async def _scoped_inspections(session: AsyncSession, principal: Principal, year: int) -> list[Inspection]:
    start, end = year_bounds(year)
    query = (
        select(Inspection)
        .join(Enterprise, col(Enterprise.id) == col(Inspection.enterprise_id))
        .where(*principal.enterprise_conditions(), col(Inspection.inspected_at) >= start, col(Inspection.inspected_at) < end)
    )
    return list((await session.exec(query)).all())


async def inspections_by_inspector(ctx: Context, principal: Principal, year: int) -> ReportTable:
    """Inspections per inspector in a year (enterprises in the caller's scope only), most first, then by account name."""
    require(principal.role, "report.read")
    async with ctx.db.read() as session:
        inspections = await _scoped_inspections(session, principal, year)
        ids = sorted({i.inspector_id for i in inspections})
        users = {u.id: u for u in (await session.exec(select(User).where(col(User.id).in_(ids)))).all()} if ids else {}
    per: dict[str, list[Inspection]] = defaultdict(list)
    for i in inspections:
        per[i.inspector_id].append(i)
    rows = []
    def order(kv: tuple[str, list[Inspection]]) -> tuple[int, str, str]:
        user = users.get(kv[0])
        return (-len(kv[1]), user.username if user else "", kv[0])

    for inspector_id, items in sorted(per.items(), key=order):
        user = users.get(inspector_id)
        rows.append({
            "inspector_id": inspector_id,
            "username": user.username if user else "",
            "display_name": user.display_name if user else "",
            "inspections": len(items),
            "enterprises": len({i.enterprise_id for i in items}),
        })
    rows.append({"inspector_id": TOTAL_KEY, "username": "", "display_name": "合计", "inspections": len(inspections), "enterprises": len({i.enterprise_id for i in inspections})})
    columns = [Column(key="inspector_id", label="检查人员编号"), Column(key="username", label="账号"), Column(key="display_name", label="姓名"),
               Column(key="inspections", label="检查次数"), Column(key="enterprises", label="检查企业数")]
    return ReportTable(name="inspections_by_inspector", title=f"{year}年检查人员检查统计", columns=columns, rows=rows, generated_at=ctx.clock.now(), scope=_scope_of(principal))


async def inspections_by_month(ctx: Context, principal: Principal, year: int) -> ReportTable:
    """Inspections per local month of a year."""
    require(principal.role, "report.read")
    async with ctx.db.read() as session:
        inspections = await _scoped_inspections(session, principal, year)
    counts = [0] * 12
    enterprises: list[set[str]] = [set() for _ in range(12)]
    for i in inspections:
        month = i.inspected_at.astimezone(LOCAL_TZ).month
        counts[month - 1] += 1
        enterprises[month - 1].add(i.enterprise_id)
    rows: list[dict[str, Any]] = [{"month": f"{year}-{m:02d}", "inspections": counts[m - 1], "enterprises": len(enterprises[m - 1])} for m in range(1, 13)]
    rows.append({"month": "合计", "inspections": len(inspections), "enterprises": len({i.enterprise_id for i in inspections})})
    columns = [Column(key="month", label="月份"), Column(key="inspections", label="检查次数"), Column(key="enterprises", label="检查企业数")]
    return ReportTable(name="inspections_by_month", title=f"{year}年逐月检查统计", columns=columns, rows=rows, generated_at=ctx.clock.now(), scope=_scope_of(principal))


async def plan_coverage_report(ctx: Context, principal: Principal, year: int) -> ReportTable:
    """Each visible plan of a year: enterprises in scope, inspected, coverage and completion rates."""
    require(principal.role, "report.read")
    rows = []
    async with ctx.db.read() as session:
        plans = (await session.exec(select(InspectionPlan).where(col(InspectionPlan.year) == year).order_by(col(InspectionPlan.title)))).all()
        for plan in plans:
            if not plan_visible(principal, plan):
                continue
            cov = await coverage_in_session(session, ctx, plan, principal)
            rows.append({
                "plan_id": plan.id, "title": plan.title, "region_code": plan.region_code, "industries": [INDUSTRY_LABELS.get(i, i) for i in plan.industries],
                "enterprises_in_scope": cov.enterprises_in_scope, "enterprises_inspected": cov.enterprises_inspected,
                "not_inspected": len(cov.not_inspected), "coverage_rate": cov.coverage_rate,
                "assignments_total": cov.assignments_total, "assignments_done": cov.assignments_done, "completion_rate": cov.completion_rate,
            })
    columns = [
        Column(key="plan_id", label="计划编号"), Column(key="title", label="计划名称"), Column(key="region_code", label="行政区划"),
        Column(key="industries", label="行业"), Column(key="enterprises_in_scope", label="应检企业数"), Column(key="enterprises_inspected", label="已检企业数"),
        Column(key="not_inspected", label="未检企业数"), Column(key="coverage_rate", label="覆盖率"), Column(key="assignments_total", label="任务数"),
        Column(key="assignments_done", label="已完成任务数"), Column(key="completion_rate", label="完成率"),
    ]
    return ReportTable(name="plan_coverage", title=f"{year}年检查计划覆盖率", columns=columns, rows=rows, generated_at=ctx.clock.now(), scope=_scope_of(principal))


async def listed_supervision_report(ctx: Context, principal: Principal) -> ReportTable:
    """挂牌督办清单: open hazards under listed supervision, most overdue first."""
    require(principal.role, "report.read")
    now = ctx.clock.now()
    async with ctx.db.read() as session:
        rows_db = (
            await session.exec(
                scoped_hazard_query(principal, Hazard, Enterprise.name).where(col(Hazard.listed_supervision).is_(True), col(Hazard.status) != "closed")
            )
        ).all()
        names = await _region_names(session, {h.region_code for h, _ in rows_db})
    items = sorted(rows_db, key=lambda r: (-overdue_days(r[0], now), r[0].listed_at or now, r[0].id))
    rows = [
        {
            "hazard_id": h.id, "enterprise_name": name, "region": names.get(h.region_code, h.region_code), "level": HAZARD_LEVEL_LABELS.get(h.level, h.level),
            "status": HAZARD_STATUS_LABELS.get(h.status, h.status), "description": h.description, "listed_at": h.listed_at, "listed_reason": h.listed_reason,
            "deadline": h.deadline, "responsible_person": h.responsible_person, "overdue": is_overdue(h, now), "overdue_days": overdue_days(h, now),
        }
        for h, name in items
    ]
    columns = [
        Column(key="hazard_id", label="隐患编号"), Column(key="enterprise_name", label="企业名称"), Column(key="region", label="行政区划"),
        Column(key="level", label="隐患等级"), Column(key="status", label="状态"), Column(key="description", label="隐患描述"),
        Column(key="listed_at", label="挂牌时间"), Column(key="listed_reason", label="挂牌原因"), Column(key="deadline", label="整改期限"),
        Column(key="responsible_person", label="整改责任人"), Column(key="overdue", label="是否逾期"), Column(key="overdue_days", label="逾期天数"),
    ]
    return ReportTable(name="listed_supervision", title="挂牌督办隐患清单", columns=columns, rows=rows, generated_at=now, scope=_scope_of(principal))
