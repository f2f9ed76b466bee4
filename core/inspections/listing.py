"""Listing inspections (执法检查) with the supervisors' filters, a page at a time.

The scope and permission are those of ``GET /api/v1/inspections`` (``inspection.read``, the
caller's ``enterprise_conditions``); the filters add what an office needs to find a visit: a date
range (local days), the enterprise (name or USCC), the inspector, the plan the visit fulfilled, a
region subtree and an industry. Each row carries the names a list shows and how many hazards the
visit's submission registered, so a page needs one query for its rows and one for the hazards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import func, or_
from sqlmodel import col, select

from core.access.permissions import require
from core.access.scope import Principal, industry_subquery
from core.access.users import User
from core.context import Context
from core.enterprises.records import Enterprise
from core.hazards.records import Hazard
from core.inspections.records import Inspection
from core.local_time import start_of_day
from core.plans.assignments import Assignment
from core.plans.records import InspectionPlan
from core.regions.codes import subtree_prefix


@dataclass(frozen=True)
class InspectionFilter:
    """What to narrow the list by; every field optional. Dates are inclusive local days."""

    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None  # part of the enterprise's name or USCC
    inspector_id: str | None = None
    plan_id: str | None = None
    region_code: str | None = None
    industry: str | None = None


class InspectionRow(msgspec.Struct, kw_only=True):
    id: str
    enterprise_id: str
    enterprise_name: str
    inspector_id: str
    inspector_name: str
    assignment_id: str | None
    plan_id: str | None
    plan_title: str | None
    submission_id: str | None
    inspected_at: datetime
    region_code: str
    industries: list[str]
    hazards_found: int


class InspectionPage(msgspec.Struct, kw_only=True):
    total: int
    page: int
    page_size: int
    items: list[InspectionRow]


def _conditions(principal: Principal, filters: InspectionFilter) -> list[Any]:
    conditions: list[Any] = list(principal.enterprise_conditions())
    if filters.date_from is not None:
        conditions.append(col(Inspection.inspected_at) >= start_of_day(filters.date_from))
    if filters.date_to is not None:
        conditions.append(col(Inspection.inspected_at) < start_of_day(filters.date_to + timedelta(days=1)))
    if filters.q:
        pattern = f"%{filters.q.strip()}%"
        conditions.append(or_(col(Enterprise.name).like(pattern), col(Enterprise.uscc).like(pattern)))
    if filters.inspector_id:
        conditions.append(col(Inspection.inspector_id) == filters.inspector_id)
    if filters.plan_id:
        conditions.append(col(Assignment.plan_id) == filters.plan_id)
    if filters.region_code:
        conditions.append(col(Enterprise.region_code).startswith(subtree_prefix(filters.region_code)))
    if filters.industry:
        conditions.append(col(Enterprise.id).in_(industry_subquery([filters.industry])))
    return conditions


def _joined(query: Any) -> Any:
    return (
        query.join(Enterprise, col(Enterprise.id) == col(Inspection.enterprise_id))
        .outerjoin(Assignment, col(Assignment.id) == col(Inspection.assignment_id))
    )


async def list_inspection_rows(ctx: Context, principal: Principal, filters: InspectionFilter, page: int = 1, page_size: int = 20) -> InspectionPage:
    """Inspections in the caller's scope matching ``filters``, newest first, one page."""
    require(principal.role, "inspection.read")
    conditions = _conditions(principal, filters)
    rows_query = (
        _joined(select(Inspection, Enterprise.name, User.display_name, User.username, Assignment.plan_id, InspectionPlan.title))
        .outerjoin(User, col(User.id) == col(Inspection.inspector_id))
        .outerjoin(InspectionPlan, col(InspectionPlan.id) == col(Assignment.plan_id))
        .where(*conditions)
        .order_by(col(Inspection.inspected_at).desc(), col(Inspection.id))
        .offset((page - 1) * page_size).limit(page_size)
    )
    async with ctx.db.read() as session:
        total = (await session.exec(_joined(select(func.count()).select_from(Inspection)).where(*conditions))).one()
        rows = (await session.exec(rows_query)).all()
        submissions = [row[0].submission_id for row in rows if row[0].submission_id]
        found: dict[str, int] = {}
        if submissions:
            counted = select(Hazard.submission_id, func.count()).where(col(Hazard.submission_id).in_(submissions)).group_by(col(Hazard.submission_id))
            found = {key: int(n) for key, n in (await session.exec(counted)).all()}
    items = [
        InspectionRow(
            id=ins.id, enterprise_id=ins.enterprise_id, enterprise_name=name, inspector_id=ins.inspector_id,
            inspector_name=display or username or "", assignment_id=ins.assignment_id, plan_id=plan_id, plan_title=plan_title,
            submission_id=ins.submission_id, inspected_at=ins.inspected_at, region_code=ins.region_code, industries=list(ins.industries),
            hazards_found=found.get(ins.submission_id or "", 0),
        )
        for ins, name, display, username, plan_id, plan_title in rows
    ]
    return InspectionPage(total=int(total), page=page, page_size=page_size, items=items)


async def inspectors_of_inspections(ctx: Context, principal: Principal) -> list[tuple[str, str]]:
    """(id, name) of everyone who made an inspection in the caller's scope: the inspector filter's choices."""
    require(principal.role, "inspection.read")
    query = (
        select(Inspection.inspector_id, User.display_name, User.username).distinct()
        .join(Enterprise, col(Enterprise.id) == col(Inspection.enterprise_id))
        .outerjoin(User, col(User.id) == col(Inspection.inspector_id))
        .where(*principal.enterprise_conditions())
    )
    async with ctx.db.read() as session:
        rows = (await session.exec(query)).all()
    return sorted(((user_id, display or username or user_id) for user_id, display, username in rows), key=lambda pair: (pair[1], pair[0]))
