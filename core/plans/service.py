"""Annual plans: creating them, generating their dated assignments, and measuring coverage.

Generation is idempotent (each slot has a ``slot_key``) and can be limited to periods starting by a
date, which is how the scheduler hands out the coming period's work. It starts from today: a window
that ended before today (China time) is never generated, so a plan made in December gets December's
work, not the year's past months on every tablet; the current window is generated. Every active enterprise in
scope gets its slots; one with no eligible inspector (none whose scope covers it, or all tied to it)
is reported as uncovered rather than silently skipped.
"""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date
from typing import Annotated, Literal

import msgspec
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import require
from core.access.scope import Principal, industry_subquery
from core.access.users import User
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import Forbidden, InvalidInput, not_found
from core.inspections.records import Inspection
from core.local_time import local_date, year_bounds
from core.plans.assignments import Assignment
from core.plans.inspector_ties import tied_pairs
from core.plans.records import DEFAULT_FREQUENCIES, FREQUENCY_MONTHS, InspectionPlan
from core.regions.codes import in_subtree, subtree_prefix
from core.regions.records import Region
from core.storage.audit_log import Actor, append_audit, snapshot
from core.storage.changes import record_change
from core.vocabulary import Industry

Frequency = Literal["monthly", "bimonthly", "quarterly", "half_yearly", "yearly"]
RiskKey = Literal["major", "high", "moderate", "low", "unrated"]


class PlanIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new annual plan; ``frequencies`` overrides the defaults per risk level (or ``unrated``)."""

    year: Annotated[int, msgspec.Meta(ge=2000, le=2100)]
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    region_code: Annotated[str, msgspec.Meta(pattern=r"^\d{6}(\d{3})?$")]  # a county or a township
    industries: Annotated[list[Industry], msgspec.Meta(min_length=1, max_length=10)]
    frequencies: dict[RiskKey, Frequency] = msgspec.field(default_factory=dict)


class PlanOut(msgspec.Struct, kw_only=True):
    id: str
    year: int
    title: str
    region_code: str
    industries: list[str]
    frequencies: dict[str, str]
    active: bool
    created_by: str | None
    version: int


class UncoveredEnterprise(msgspec.Struct, kw_only=True):
    enterprise_id: str
    name: str
    reason: str


class GenerateResult(msgspec.Struct, kw_only=True):
    """What a generation run did: new slots, slots already there, enterprises left without an inspector."""

    created: int
    existing: int
    uncovered: list[UncoveredEnterprise]


class AssignmentOut(msgspec.Struct, kw_only=True):
    id: str
    kind: str
    plan_id: str | None
    draw_id: str | None
    enterprise_id: str
    inspector_id: str
    region_code: str
    industries: list[str]
    due_from: date
    due_until: date
    status: str
    inspection_id: str | None
    version: int


class CoverageOut(msgspec.Struct, kw_only=True):
    """全覆盖 and completion of one plan in its year (inspections counted up to now)."""

    plan_id: str
    year: int
    enterprises_in_scope: int
    enterprises_inspected: int
    coverage_rate: float
    not_inspected: list[UncoveredEnterprise]
    assignments_total: int
    assignments_done: int
    completion_rate: float
    assignments_due: int
    assignments_due_done: int


def periods(year: int, months: int) -> list[tuple[date, date]]:
    """The inspection windows of a year for a frequency of ``months`` (inclusive dates)."""
    out = []
    for start in range(1, 13, months):
        end_month = min(start + months - 1, 12)
        out.append((date(year, start, 1), date(year, end_month, calendar.monthrange(year, end_month)[1])))
    return out


def plan_months(plan: InspectionPlan, risk_level: str | None) -> int:
    """Months between inspections for an enterprise of ``risk_level`` under this plan."""
    name = plan.frequencies.get(risk_level or "unrated") or DEFAULT_FREQUENCIES[risk_level or "unrated"]
    return FREQUENCY_MONTHS[name]


def principal_of_user(user: User) -> Principal:
    """The scope a user would have when logged in."""
    return Principal(
        user_id=user.id, username=user.username, role=user.role, region_code=user.region_code, grid_code=user.grid_code,
        industries=tuple(user.industries), enterprise_id=user.enterprise_id,
    )


async def enterprises_in_scope(session: AsyncSession, region_code: str, industries: list[str]) -> list[Enterprise]:
    """Active enterprises in a region subtree having any of ``industries``, by id."""
    query = (
        select(Enterprise)
        .where(col(Enterprise.active).is_(True), col(Enterprise.region_code).startswith(subtree_prefix(region_code)), col(Enterprise.id).in_(industry_subquery(industries)))
        .order_by(col(Enterprise.id))
    )
    return list((await session.exec(query)).all())


async def active_inspectors(session: AsyncSession) -> list[tuple[User, Principal]]:
    """Every active inspector with their scope, by id."""
    users = (await session.exec(select(User).where(col(User.role) == "inspector", col(User.active).is_(True)).order_by(col(User.id)))).all()
    return [(u, principal_of_user(u)) for u in users]


def eligible_inspectors(enterprise: Enterprise, inspectors: list[tuple[User, Principal]], ties: set[tuple[str, str]]) -> list[str]:
    """Ids of inspectors whose scope covers the enterprise and who are not tied to it."""
    return [u.id for u, p in inspectors if p.sees_enterprise(enterprise) and (u.id, enterprise.id) not in ties]


def check_plan_scope(principal: Principal, region_code: str, industries: list[str]) -> None:
    """A department may plan only inside its own region and industries."""
    if not principal.is_admin:
        if principal.region_code and not in_subtree(region_code, principal.region_code):
            raise Forbidden("the plan's region is outside your jurisdiction", "计划的行政区划超出您的管辖范围", field="region_code")
        outside = [i for i in industries if not principal.covers_industry(i)]
        if outside:
            raise Forbidden(f"industries outside your jurisdiction: {', '.join(outside)}", f"计划的行业超出您的管辖范围：{'、'.join(outside)}", field="industries")


def plan_visible(principal: Principal, plan: InspectionPlan) -> bool:
    """A plan is visible to staff whose scope overlaps it."""
    if principal.is_admin:
        return True
    if principal.role == "enterprise_user":
        return False
    regions_overlap = principal.region_code is None or in_subtree(plan.region_code, principal.region_code) or in_subtree(principal.region_code, plan.region_code)
    return regions_overlap and principal.sees_industries(plan.industries)


async def create_plan(ctx: Context, principal: Principal, data: PlanIn) -> PlanOut:
    """Create a plan (department admin within its scope, or admin)."""
    require(principal.role, "plan.write")
    industries = sorted(set(data.industries))
    check_plan_scope(principal, data.region_code, industries)
    frequencies = {**DEFAULT_FREQUENCIES, **{k: v for k, v in data.frequencies.items()}}
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        if await session.get(Region, data.region_code) is None:
            raise InvalidInput(f"unknown region code {data.region_code}", f"未知的行政区划代码 {data.region_code}", field="region_code")
        plan = InspectionPlan(
            year=data.year, title=data.title.strip(), region_code=data.region_code, industries=industries, frequencies=frequencies,
            created_by=principal.user_id, created_at=now, updated_at=now,
        )
        session.add(plan)
        await session.flush()
        await append_audit(session, actor=principal.actor, action="plan_created", entity="inspection_plan", entity_id=plan.id, at=now, after=snapshot(plan))
    return msgspec.convert(plan.model_dump(), PlanOut)


async def load_visible_plan(session: AsyncSession, principal: Principal, plan_id: str) -> InspectionPlan:
    plan = await session.get(InspectionPlan, plan_id)
    if plan is None or not plan_visible(principal, plan):
        raise not_found("plan", "检查计划")
    return plan


async def list_plans(ctx: Context, principal: Principal, year: int | None = None) -> list[PlanOut]:
    """Plans visible to the caller, newest year first."""
    require(principal.role, "plan.read")
    query = select(InspectionPlan).order_by(col(InspectionPlan.year).desc(), col(InspectionPlan.title))
    if year is not None:
        query = query.where(col(InspectionPlan.year) == year)
    async with ctx.db.read() as session:
        plans = (await session.exec(query)).all()
    return [msgspec.convert(p.model_dump(), PlanOut) for p in plans if plan_visible(principal, p)]


async def get_plan(ctx: Context, principal: Principal, plan_id: str) -> PlanOut:
    require(principal.role, "plan.read")
    async with ctx.db.read() as session:
        plan = await load_visible_plan(session, principal, plan_id)
    return msgspec.convert(plan.model_dump(), PlanOut)


async def add_assignment(session: AsyncSession, ctx: Context, assignment: Assignment) -> bool:
    """Insert an assignment unless its slot exists; tell the inspector's tablet. True when added."""
    exists = (await session.exec(select(Assignment.id).where(col(Assignment.slot_key) == assignment.slot_key))).first()
    if exists:
        return False
    session.add(assignment)
    await record_change(
        session, entity="assignment", entity_id=assignment.id, at=assignment.created_at, region_code=assignment.region_code,
        industries=assignment.industries, enterprise_id=assignment.enterprise_id, user_id=assignment.inspector_id,
    )
    return True


async def generate_in_session(session: AsyncSession, ctx: Context, plan: InspectionPlan, actor: Actor, through: date | None = None) -> GenerateResult:
    """Create the plan's missing assignments whose window starts on or before ``through`` (all by
    default) and ends today or later (local date): past windows are not work anyone can do now.

    Each enterprise's inspector is the eligible one with the fewest assignments in this plan so
    far (ties broken by id), so work is spread evenly and the result is deterministic.
    """
    now = ctx.clock.now()
    today = local_date(now)
    enterprises = await enterprises_in_scope(session, plan.region_code, plan.industries)
    inspectors = await active_inspectors(session)
    ties = await tied_pairs(session, [e.id for e in enterprises])
    existing_rows = (await session.exec(select(Assignment).where(col(Assignment.plan_id) == plan.id))).all()
    existing_keys = {a.slot_key for a in existing_rows}
    load = Counter(a.inspector_id for a in existing_rows)
    by_enterprise = {a.enterprise_id: a.inspector_id for a in existing_rows if a.status != "cancelled"}
    created = existing = 0
    uncovered: list[UncoveredEnterprise] = []
    new_ids: list[str] = []
    for enterprise in enterprises:
        candidates = eligible_inspectors(enterprise, inspectors, ties)
        if not candidates:
            uncovered.append(UncoveredEnterprise(enterprise_id=enterprise.id, name=enterprise.name, reason="没有管辖范围覆盖该企业且无回避关系的检查人员"))
            continue
        for due_from, due_until in periods(plan.year, plan_months(plan, enterprise.risk_level)):
            if (through is not None and due_from > through) or due_until < today:
                continue
            key = f"plan:{plan.id}:{enterprise.id}:{due_from.isoformat()}"
            if key in existing_keys:
                existing += 1
                continue
            previous = by_enterprise.get(enterprise.id)
            inspector_id = previous if previous in candidates else min(candidates, key=lambda i: (load[i], i))
            assignment = Assignment(
                slot_key=key, kind="plan", plan_id=plan.id, enterprise_id=enterprise.id, inspector_id=inspector_id,
                region_code=enterprise.region_code, industries=list(enterprise.industries), due_from=due_from, due_until=due_until,
                created_at=now, updated_at=now,
            )
            if await add_assignment(session, ctx, assignment):
                created += 1
                new_ids.append(assignment.id)
                existing_keys.add(key)
                load[inspector_id] += 1
                by_enterprise[enterprise.id] = inspector_id
    if new_ids:
        await append_audit(
            session, actor=actor, action="plan_assignments_generated", entity="inspection_plan", entity_id=plan.id, at=now,
            after={"through": through.isoformat() if through else None, "created": len(new_ids), "assignment_ids": new_ids},
        )
    return GenerateResult(created=created, existing=existing, uncovered=uncovered)


async def generate_plan_assignments(ctx: Context, principal: Principal, plan_id: str, through: date | None = None) -> GenerateResult:
    """Generate a plan's assignments now (the scheduler does the coming period by itself)."""
    require(principal.role, "plan.write")
    async with ctx.db.write() as session:
        plan = await load_visible_plan(session, principal, plan_id)
        check_plan_scope(principal, plan.region_code, plan.industries)
        return await generate_in_session(session, ctx, plan, principal.actor, through)


async def list_assignments(ctx: Context, principal: Principal, plan_id: str | None = None, inspector_id: str | None = None, status: str | None = None) -> list[AssignmentOut]:
    """Assignments in the caller's scope (an inspector sees their own), by window."""
    require(principal.role, "plan.read")
    query = select(Assignment).join(Enterprise, col(Enterprise.id) == col(Assignment.enterprise_id)).where(*principal.enterprise_conditions())
    if principal.role == "inspector":
        query = query.where(col(Assignment.inspector_id) == principal.user_id)
    if plan_id:
        query = query.where(col(Assignment.plan_id) == plan_id)
    if inspector_id:
        query = query.where(col(Assignment.inspector_id) == inspector_id)
    if status:
        query = query.where(col(Assignment.status) == status)
    async with ctx.db.read() as session:
        rows = (await session.exec(query.order_by(col(Assignment.due_from), col(Assignment.enterprise_id)))).all()
    return [msgspec.convert(a.model_dump(), AssignmentOut) for a in rows]


async def coverage_in_session(session: AsyncSession, ctx: Context, plan: InspectionPlan, principal: Principal) -> CoverageOut:
    """Coverage of one plan, counting only enterprises the caller may see."""
    now = ctx.clock.now()
    start, end = year_bounds(plan.year)
    enterprises = [e for e in await enterprises_in_scope(session, plan.region_code, plan.industries) if principal.sees_enterprise(e)]
    ids = [e.id for e in enterprises]
    inspected: set[str] = set()
    if ids:
        rows = await session.exec(
            select(Inspection.enterprise_id).where(col(Inspection.enterprise_id).in_(ids), col(Inspection.inspected_at) >= start, col(Inspection.inspected_at) < end).distinct()
        )
        inspected = set(rows.all())
    visible = set(ids)
    assignments = [a for a in (await session.exec(select(Assignment).where(col(Assignment.plan_id) == plan.id))).all() if a.enterprise_id in visible and a.status != "cancelled"]
    today = local_date(now)
    due = [a for a in assignments if a.due_until < today]
    total, done = len(assignments), sum(a.status == "done" for a in assignments)
    return CoverageOut(
        plan_id=plan.id,
        year=plan.year,
        enterprises_in_scope=len(enterprises),
        enterprises_inspected=len(inspected),
        coverage_rate=round(len(inspected) / len(enterprises), 4) if enterprises else 0.0,
        not_inspected=[UncoveredEnterprise(enterprise_id=e.id, name=e.name, reason="本年度尚未检查") for e in enterprises if e.id not in inspected],
        assignments_total=total,
        assignments_done=done,
        completion_rate=round(done / total, 4) if total else 0.0,
        assignments_due=len(due),
        assignments_due_done=sum(a.status == "done" for a in due),
    )


async def plan_coverage(ctx: Context, principal: Principal, plan_id: str) -> CoverageOut:
    """Which enterprises in the plan's scope are not inspected this year, and its completion rate."""
    require(principal.role, "plan.read")
    async with ctx.db.read() as session:
        plan = await load_visible_plan(session, principal, plan_id)
        return await coverage_in_session(session, ctx, plan, principal)
