"""Reading and changing an enterprise's risk register.

Every change is one write transaction that stores the new content, a revision (who, when, why and
the whole content as it then stood) and an audit entry. A change is based on the version the
writer read (``expected_version``): a stale one is a 409, never a silent overwrite.
"""

from __future__ import annotations

from typing import Any

import msgspec
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import require
from core.access.scope import Principal, enterprise_in_scope
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import Conflict, InvalidInput, not_found
from core.risk_register.frequencies import frequency_of
from core.risk_register.grading import COLOURS, AssessmentOutcome, RiskAssessor, resulting_level
from core.risk_register.records import RiskPoint, RiskPointRevision
from core.risk_register.summary import summarise
from core.risk_register.vocabulary import CONTROL_KIND_LABELS, CONTROL_LEVEL_LABELS, FREQUENCY_LABELS, HAZARD_FACTOR_CATEGORIES
from core.risk_register.wire import (
    AssessmentOut,
    ControlOut,
    RegisterOut,
    RetireIn,
    RevisionOut,
    RiskPointIn,
    RiskPointOut,
    RiskPointUpdate,
)
from core.storage.audit_log import append_audit, snapshot


async def _point_in_scope(session: AsyncSession, principal: Principal, point_id: str) -> tuple[RiskPoint, Enterprise]:
    point = await session.get(RiskPoint, point_id)
    enterprise = await session.get(Enterprise, point.enterprise_id) if point else None
    if point is None or enterprise is None or not principal.sees_enterprise(enterprise):
        raise not_found("risk point", "风险点")
    return point, enterprise


def _check_factors(codes: list[str]) -> list[str]:
    """Each factor a GB/T 13861 category or a finer code under one of its 中类."""
    for index, code in enumerate(codes):
        if code not in HAZARD_FACTOR_CATEGORIES and code[:2] not in HAZARD_FACTOR_CATEGORIES:
            raise InvalidInput(
                f"{code} is not a GB/T 13861 category (1–4, 11–49) or a code under one",
                f"危险有害因素代码 {code} 不属于 GB/T 13861 的类别",
                field=f"hazard_factors[{index}]",
            )
    return sorted(set(codes))


def _controls(data: RiskPointIn, point: RiskPoint | None) -> tuple[list[dict[str, Any]], int]:
    """The controls with their codes: kept ones keep theirs, new ones get the next never-used code."""
    known = {c["code"] for c in point.controls} if point else set()
    seq = point.control_seq if point else 0
    seen: set[str] = set()
    out = []
    for index, control in enumerate(data.controls):
        fields = msgspec.structs.asdict(control)
        code = fields.pop("code")
        if code is not None:
            if code not in known:
                raise InvalidInput(
                    f"control {code} is not a control of this risk point; leave code out for a new control",
                    f"管控措施编号 {code} 不属于该风险点，新增措施请不要填写编号",
                    field=f"controls[{index}].code",
                )
            if code in seen:
                raise InvalidInput(f"control {code} appears twice", f"管控措施编号 {code} 重复", field=f"controls[{index}].code")
        else:
            seq += 1
            code = f"C{seq:02d}"
        seen.add(code)
        out.append({"code": code, **fields})
    return out, seq


def _assess(assessor: RiskAssessor, data: RiskPointIn) -> tuple[AssessmentOutcome, dict[str, Any]]:
    outcome = assessor.assess(data.assessment.method, dict(data.assessment.inputs))
    stored = {"method": data.assessment.method, "inputs": dict(data.assessment.inputs), **msgspec.structs.asdict(outcome)}
    return outcome, stored


def _content(data: RiskPointIn, assessor: RiskAssessor, point: RiskPoint | None) -> dict[str, Any]:
    """The stored fields of a point from its input, assessed and coloured."""
    outcome, assessment = _assess(assessor, data)
    direct = [msgspec.structs.asdict(d) for d in data.direct_judgements]
    rules = [d["rule"] for d in direct]
    if len(set(rules)) != len(rules):
        raise InvalidInput("a direct-judgement rule appears twice", "直接判定情形重复", field="direct_judgements")
    level, _ = resulting_level(outcome, direct)
    if (data.plan_x is None) != (data.plan_y is None):
        missing = "plan_y" if data.plan_y is None else "plan_x"
        raise InvalidInput("a place on the plan needs both plan_x and plan_y", "平面图位置需要同时给出横坐标和纵坐标", field=missing)
    controls, seq = _controls(data, point)
    return {
        "name": data.name, "kind": data.kind, "location": data.location, "posts": list(dict.fromkeys(data.posts)),
        "hazard_factors": _check_factors(data.hazard_factors), "accident_types": sorted(set(data.accident_types)),
        "assessment": assessment, "direct_judgements": direct, "risk_level": level, "controls": controls, "control_seq": seq,
        "plan_x": data.plan_x, "plan_y": data.plan_y, "plan_area": data.plan_area, "emergency_contact": data.emergency_contact,
    }


async def _next_code(session: AsyncSession, enterprise_id: str) -> str:
    """``RP-001`` …: one more than the points the enterprise ever had (retired ones count)."""
    count = (await session.exec(select(func.count()).select_from(RiskPoint).where(col(RiskPoint.enterprise_id) == enterprise_id))).one()
    number = count + 1
    while (await session.exec(select(RiskPoint.id).where(col(RiskPoint.enterprise_id) == enterprise_id, col(RiskPoint.code) == f"RP-{number:03d}"))).first():
        number += 1
    return f"RP-{number:03d}"


async def _keep(session: AsyncSession, ctx: Context, principal: Principal, point: RiskPoint, action: str, reason: str, before: dict | None) -> None:
    """The revision and the audit entry of a change, in its transaction."""
    now = point.updated_at
    after = snapshot(point)
    session.add(RiskPointRevision(
        risk_point_id=point.id, enterprise_id=point.enterprise_id, version=point.version, action=action, reason=reason,
        actor_id=principal.user_id, actor_name=principal.username, at=now, content=after,
    ))
    await append_audit(session, actor=principal.actor, action=f"risk_point_{action}", entity="risk_point", entity_id=point.id, at=now, before=before, after={**after, "reason": reason})


async def create_point(ctx: Context, principal: Principal, assessor: RiskAssessor, enterprise_id: str, data: RiskPointIn) -> RiskPointOut:
    """Add a risk point to an enterprise's register."""
    require(principal.role, "risk_register.write")
    content = _content(data, assessor, None)
    async with ctx.db.write() as session:
        await enterprise_in_scope(session, principal, enterprise_id)
        code = data.code or await _next_code(session, enterprise_id)
        if data.code and (await session.exec(select(RiskPoint.id).where(col(RiskPoint.enterprise_id) == enterprise_id, col(RiskPoint.code) == code))).first():
            raise Conflict(f"risk point code {code} is already used by this enterprise", f"风险点编号 {code} 已被使用", field="code")
        now = ctx.clock.now()
        point = RiskPoint(enterprise_id=enterprise_id, code=code, created_at=now, updated_at=now, **content)
        session.add(point)
        await session.flush()
        await _keep(session, ctx, principal, point, "created", data.reason, None)
    return point_out(point)


def _check_version(point: RiskPoint, expected: int) -> None:
    if expected != point.version:
        raise Conflict(
            f"risk point changed since version {expected} (now {point.version})",
            f"风险点已被修改（您基于版本 {expected}，当前版本 {point.version}），请刷新后重试",
            field="expected_version", extra={"current_version": point.version},
        )


async def update_point(ctx: Context, principal: Principal, assessor: RiskAssessor, point_id: str, data: RiskPointUpdate) -> RiskPointOut:
    """Replace a risk point's content (a new version; the old one stays in its history)."""
    require(principal.role, "risk_register.write")
    async with ctx.db.write() as session:
        point, _ = await _point_in_scope(session, principal, point_id)
        if not point.active:
            raise Conflict("a retired risk point cannot be changed", "风险点已撤销，不能修改", field="risk_point_id")
        _check_version(point, data.expected_version)
        if data.code and data.code != point.code:
            raise InvalidInput("a risk point keeps its code", "风险点编号不能修改", field="code")
        before = snapshot(point)
        for key, value in _content(data, assessor, point).items():
            setattr(point, key, value)
        point.version += 1
        point.updated_at = ctx.clock.now()
        session.add(point)
        await _keep(session, ctx, principal, point, "updated", data.reason, before)
    return point_out(point)


async def retire_point(ctx: Context, principal: Principal, point_id: str, data: RetireIn) -> RiskPointOut:
    """Take a risk point out of the register (its history and codes stay)."""
    require(principal.role, "risk_register.write")
    async with ctx.db.write() as session:
        point, _ = await _point_in_scope(session, principal, point_id)
        if not point.active:
            raise Conflict("the risk point is already retired", "风险点已撤销", field="risk_point_id")
        _check_version(point, data.expected_version)
        before = snapshot(point)
        point.active = False
        point.version += 1
        point.updated_at = ctx.clock.now()
        session.add(point)
        await _keep(session, ctx, principal, point, "retired", data.reason, before)
    return point_out(point)


async def get_point(ctx: Context, principal: Principal, point_id: str) -> RiskPointOut:
    """One risk point; 404 when absent or its enterprise is out of scope."""
    require(principal.role, "risk_register.read")
    async with ctx.db.read() as session:
        point, _ = await _point_in_scope(session, principal, point_id)
    return point_out(point)


async def points_of(session: AsyncSession, enterprise_id: str, *, include_retired: bool = False) -> list[RiskPoint]:
    """An enterprise's risk points in code order."""
    query = select(RiskPoint).where(col(RiskPoint.enterprise_id) == enterprise_id)
    if not include_retired:
        query = query.where(col(RiskPoint.active).is_(True))
    return list((await session.exec(query.order_by(col(RiskPoint.code)))).all())


async def get_register(ctx: Context, principal: Principal, enterprise_id: str, *, include_retired: bool = False) -> RegisterOut:
    """The enterprise's register: its points and the 四色 summary of the active ones."""
    require(principal.role, "risk_register.read")
    async with ctx.db.read() as session:
        enterprise = await enterprise_in_scope(session, principal, enterprise_id)
        points = await points_of(session, enterprise_id, include_retired=include_retired)
    return RegisterOut(
        enterprise_id=enterprise.id, enterprise_name=enterprise.name,
        summary=summarise([p for p in points if p.active]), points=[point_out(p) for p in points],
    )


async def point_history(ctx: Context, principal: Principal, point_id: str) -> list[RevisionOut]:
    """Every revision of one risk point, oldest first."""
    require(principal.role, "risk_register.read")
    async with ctx.db.read() as session:
        await _point_in_scope(session, principal, point_id)
        rows = (await session.exec(select(RiskPointRevision).where(col(RiskPointRevision.risk_point_id) == point_id).order_by(col(RiskPointRevision.version)))).all()
    return [revision_out(r) for r in rows]


async def register_history(ctx: Context, principal: Principal, enterprise_id: str, limit: int = 200) -> list[RevisionOut]:
    """The latest changes to the enterprise's register, newest first."""
    require(principal.role, "risk_register.read")
    async with ctx.db.read() as session:
        await enterprise_in_scope(session, principal, enterprise_id)
        query = select(RiskPointRevision).where(col(RiskPointRevision.enterprise_id) == enterprise_id)
        rows = (await session.exec(query.order_by(col(RiskPointRevision.at).desc(), col(RiskPointRevision.version).desc()).limit(limit))).all()
    return [revision_out(r) for r in rows]


def revision_out(row: RiskPointRevision) -> RevisionOut:
    return RevisionOut(
        risk_point_id=row.risk_point_id, code=row.content.get("code", ""), name=row.content.get("name", ""), version=row.version,
        action=row.action, reason=row.reason, actor_id=row.actor_id, actor_name=row.actor_name, at=row.at,
        risk_level=row.content.get("risk_level", ""), content=row.content,
    )


def control_out(control: dict[str, Any]) -> ControlOut:
    frequency, is_default = frequency_of(control)
    return ControlOut(
        code=control["code"], kind=control["kind"], kind_label=CONTROL_KIND_LABELS[control["kind"]], text=control["text"],
        level=control["level"], level_label=CONTROL_LEVEL_LABELS[control["level"]], responsible_post=control["responsible_post"],
        responsible_person=control["responsible_person"], frequency=frequency, frequency_label=FREQUENCY_LABELS[frequency],
        frequency_is_default=is_default,
    )


def point_out(point: RiskPoint) -> RiskPointOut:
    a = point.assessment
    outcome = AssessmentOutcome(
        evaluator=a["evaluator"], evaluator_version=a["evaluator_version"], score=a["score"], level=a["level"],
        level_label=a["level_label"], explanation=a["explanation"],
    )
    level, reasons = resulting_level(outcome, point.direct_judgements)
    return RiskPointOut(
        id=point.id, enterprise_id=point.enterprise_id, code=point.code, name=point.name, kind=point.kind, location=point.location,
        posts=point.posts, hazard_factors=point.hazard_factors, accident_types=point.accident_types,
        assessment=AssessmentOut(method=a["method"], inputs=a["inputs"], **msgspec.structs.asdict(outcome)),
        direct_judgements=point.direct_judgements, risk_level=level, colour=COLOURS[level], level_reasons=reasons,  # type: ignore[arg-type]
        controls=[control_out(c) for c in point.controls], plan_x=point.plan_x, plan_y=point.plan_y, plan_area=point.plan_area,
        emergency_contact=point.emergency_contact, active=point.active, version=point.version,
        created_at=point.created_at, updated_at=point.updated_at,
    )


async def register_points(ctx: Context, principal: Principal, enterprise_id: str) -> tuple[Enterprise, list[RiskPoint]]:
    """The enterprise and its active points as stored (for printables); 404 out of scope."""
    require(principal.role, "risk_register.read")
    async with ctx.db.read() as session:
        enterprise = await enterprise_in_scope(session, principal, enterprise_id)
        return enterprise, await points_of(session, enterprise_id)
