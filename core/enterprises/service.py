"""Creating, changing, reading and listing enterprise files, inside the caller's scope.

Every write: validates, keeps the record inside the writer's scope, bumps ``version``, appends a
change for tablets and an audit entry — all in one transaction.
"""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import String, cast, delete, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import allowed, require
from core.access.scope import Principal, industry_subquery
from core.context import Context
from core.enterprises.liaison import SCOPE_FIELDS, check_liaison
from core.enterprises.records import Enterprise, EnterpriseIndustry
from core.enterprises.uscc import USCCError, validate_uscc
from core.enterprises.wire import EnterpriseIn, EnterpriseOut, EnterprisePatch
from core.errors import Conflict, Forbidden, InvalidInput, not_found
from core.hazards.rescope import move_hazards_with_enterprise
from core.regions.codes import subtree_prefix
from core.regions.records import Grid, Region
from core.storage.audit_log import append_audit, snapshot
from core.storage.changes import record_change
from core.wire import Page, to_out

MAX_PAGE_SIZE = 500


class EnterpriseFilter(msgspec.Struct, kw_only=True):
    """List filters; all optional and combined with AND (and always with the caller's scope)."""

    region_code: str | None = None
    industry: str | None = None
    risk_level: str | None = None
    q: str | None = None
    active: bool | None = None
    blacklisted: bool | None = None
    sector: str | None = None
    liaison_user_id: str | None = None


def _check_uscc(principal: Principal, uscc: str, override_reason: str | None) -> None:
    try:
        validate_uscc(uscc)
    except USCCError as exc:
        if exc.check_failed and override_reason and override_reason.strip():
            if allowed(principal.role, "enterprise.override_uscc"):
                return
            raise Forbidden(
                "only an admin may accept a USCC that fails its check",
                "只有管理员可以接受校验未通过的统一社会信用代码",
                field="uscc_override_reason",
            ) from exc
        hint = "；如确为早期真实代码，管理员可填写 uscc_override_reason 说明原因后接受" if exc.check_failed else ""
        raise InvalidInput(f"uscc: {exc.message}", exc.message_zh + hint, field="uscc") from exc


async def _check_places(session: AsyncSession, region_code: str, grid_code: str | None) -> None:
    if await session.get(Region, region_code) is None:
        raise InvalidInput(f"unknown region code {region_code}", f"未知的行政区划代码 {region_code}", field="region_code")
    if grid_code is not None:
        grid = await session.get(Grid, grid_code)
        if grid is None or grid.region_code != region_code:
            raise InvalidInput(f"grid {grid_code} is not in region {region_code}", f"网格 {grid_code} 不属于行政区划 {region_code}", field="grid_code")


def check_sectors(industries: list[str], sectors: list[str]) -> None:
    """Sectors (行业类别) are those of 《工贸企业重大事故隐患判定标准》: only a 工贸 enterprise has them."""
    if sectors and "industrial_trade" not in industries:
        raise InvalidInput(
            "sectors apply only to an enterprise of industry industrial_trade",
            "行业类别（冶金、有色、建材等）仅适用于工贸企业：请在行业中选择“工贸”，或清空行业类别",
            field="sectors",
        )


def _check_within_scope(principal: Principal, enterprise: Enterprise) -> None:
    if not principal.sees_enterprise(enterprise):
        raise Forbidden(
            "the enterprise would be outside your jurisdiction (region or industries)",
            "该企业的行政区划或行业超出您的管辖范围",
        )


async def _set_industries(session: AsyncSession, enterprise: Enterprise) -> None:
    await session.exec(delete(EnterpriseIndustry).where(col(EnterpriseIndustry.enterprise_id) == enterprise.id))  # type: ignore[call-overload]
    for industry in sorted(set(enterprise.industries)):
        session.add(EnterpriseIndustry(enterprise_id=enterprise.id, industry=industry))


async def _record(session: AsyncSession, ctx: Context, principal: Principal, enterprise: Enterprise, action: str, before: dict[str, Any] | None) -> None:
    now = ctx.clock.now()
    await append_audit(session, actor=principal.actor, action=action, entity="enterprise", entity_id=enterprise.id, at=now, before=before, after=snapshot(enterprise))
    prev_industries = sorted((before or {}).get("industries") or [])
    moved = before is not None and (before.get("region_code") != enterprise.region_code or prev_industries != enterprise.industries)
    left = before if moved else None  # the scope the enterprise left
    if left is not None:
        await move_hazards_with_enterprise(
            session, enterprise_id=enterprise.id, region_code=enterprise.region_code, industries=enterprise.industries,
            prev_region_code=left["region_code"], prev_industries=prev_industries, actor=principal.actor, at=now,
        )
    await record_change(
        session, entity="enterprise", entity_id=enterprise.id, at=now, region_code=enterprise.region_code,
        industries=enterprise.industries, enterprise_id=enterprise.id,
        prev_region_code=left.get("region_code") if left else None,
        prev_industries=(left.get("industries") or []) if left else None,
    )


async def create_in_session(session: AsyncSession, ctx: Context, principal: Principal, data: EnterpriseIn) -> Enterprise:
    """Create an enterprise in an open write transaction (the import runs one per row)."""
    require(principal.role, "enterprise.write")
    _check_uscc(principal, data.uscc, data.uscc_override_reason)
    await _check_places(session, data.region_code, data.grid_code)
    if (await session.exec(select(Enterprise.id).where(Enterprise.uscc == data.uscc))).first():
        raise Conflict(f"an enterprise with USCC {data.uscc} already exists", f"统一社会信用代码 {data.uscc} 已存在", field="uscc")
    now = ctx.clock.now()
    fields = msgspec.structs.asdict(data)
    fields["industries"] = sorted(set(data.industries))
    fields["high_risk_flags"] = sorted(set(data.high_risk_flags))
    fields["sectors"] = sorted(set(data.sectors))
    if not fields.get("uscc_override_reason"):
        fields["uscc_override_reason"] = None
    check_sectors(fields["industries"], fields["sectors"])
    enterprise = Enterprise(**fields, created_at=now, updated_at=now)
    _check_within_scope(principal, enterprise)
    await check_liaison(session, enterprise)
    session.add(enterprise)
    await session.flush()
    await _set_industries(session, enterprise)
    await _record(session, ctx, principal, enterprise, "enterprise_created", None)
    return enterprise


async def create_enterprise(ctx: Context, principal: Principal, data: EnterpriseIn) -> EnterpriseOut:
    """Create an enterprise file."""
    async with ctx.db.write() as session:
        enterprise = await create_in_session(session, ctx, principal, data)
    return to_out(enterprise, EnterpriseOut)


async def update_in_session(
    session: AsyncSession, ctx: Context, principal: Principal, enterprise_id: str, patch: EnterprisePatch, *, permission: str = "enterprise.write"
) -> Enterprise:
    """Apply a partial change in an open write transaction.

    ``permission`` names the action the caller's role needs: a narrower one lets a service change
    one field on behalf of roles that may not edit the whole file (``enterprise.set_risk_level``).
    """
    require(principal.role, permission)
    enterprise = await session.get(Enterprise, enterprise_id)
    if enterprise is None or not principal.sees_enterprise(enterprise):
        raise not_found("enterprise", "企业")
    changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
    expected = changes.pop("expected_version", None)
    if expected is not None and expected != enterprise.version:
        raise Conflict(
            f"enterprise changed since version {expected} (now {enterprise.version})",
            f"企业信息已被修改（您基于版本 {expected}，当前版本 {enterprise.version}），请刷新后重试",
            field="expected_version",
            extra={"current_version": enterprise.version},
        )
    before = snapshot(enterprise)
    if "uscc" in changes or "uscc_override_reason" in changes:
        _check_uscc(principal, changes.get("uscc", enterprise.uscc), changes.get("uscc_override_reason", enterprise.uscc_override_reason))
        if "uscc" in changes and changes["uscc"] != enterprise.uscc:
            taken = (await session.exec(select(Enterprise.id).where(Enterprise.uscc == changes["uscc"]))).first()
            if taken:
                raise Conflict(f"an enterprise with USCC {changes['uscc']} already exists", f"统一社会信用代码 {changes['uscc']} 已存在", field="uscc")
    for key in ("industries", "high_risk_flags", "sectors"):
        if key in changes:
            changes[key] = sorted(set(changes[key]))
    for key, value in changes.items():
        setattr(enterprise, key, value)
    if "region_code" in changes or "grid_code" in changes:
        await _check_places(session, enterprise.region_code, enterprise.grid_code)
    if "industries" in changes or "sectors" in changes:
        check_sectors(enterprise.industries, enterprise.sectors)
    _check_within_scope(principal, enterprise)
    if SCOPE_FIELDS & changes.keys():
        await check_liaison(session, enterprise)
    enterprise.version += 1
    enterprise.updated_at = ctx.clock.now()
    session.add(enterprise)
    if "industries" in changes:
        await _set_industries(session, enterprise)
    await _record(session, ctx, principal, enterprise, "enterprise_updated", before)
    return enterprise


async def update_enterprise(ctx: Context, principal: Principal, enterprise_id: str, patch: EnterprisePatch) -> EnterpriseOut:
    """Change an enterprise file."""
    async with ctx.db.write() as session:
        enterprise = await update_in_session(session, ctx, principal, enterprise_id, patch)
    return to_out(enterprise, EnterpriseOut)


async def get_enterprise(ctx: Context, principal: Principal, enterprise_id: str) -> EnterpriseOut:
    """One enterprise file; 404 when absent or out of scope."""
    require(principal.role, "enterprise.read")
    async with ctx.db.read() as session:
        enterprise = await session.get(Enterprise, enterprise_id)
    if enterprise is None or not principal.sees_enterprise(enterprise):
        raise not_found("enterprise", "企业")
    return to_out(enterprise, EnterpriseOut)


async def list_enterprises(ctx: Context, principal: Principal, filters: EnterpriseFilter, page: int = 1, page_size: int = 50) -> Page[EnterpriseOut]:
    """A page of enterprises in scope matching the filters, ordered by name."""
    require(principal.role, "enterprise.read")
    if page < 1:
        raise InvalidInput("page must be >= 1", "页码必须大于等于1", field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"page_size must be 1..{MAX_PAGE_SIZE}", f"每页条数必须在1到{MAX_PAGE_SIZE}之间", field="page_size")
    conditions = principal.enterprise_conditions()
    if filters.region_code:
        conditions.append(col(Enterprise.region_code).startswith(subtree_prefix(filters.region_code)))
    if filters.industry:
        conditions.append(col(Enterprise.id).in_(industry_subquery([filters.industry])))
    if filters.risk_level:
        conditions.append(col(Enterprise.risk_level) == filters.risk_level)
    if filters.sector:
        # The JSON list's text holds each sector quoted: a plain LIKE, the same on SQLite and PostgreSQL.
        conditions.append(cast(col(Enterprise.sectors), String).contains(f'"{filters.sector}"', autoescape=True))
    if filters.liaison_user_id:
        conditions.append(col(Enterprise.liaison_user_id) == filters.liaison_user_id)
    if filters.active is not None:
        conditions.append(col(Enterprise.active) == filters.active)
    if filters.blacklisted is not None:
        conditions.append(col(Enterprise.blacklisted) == filters.blacklisted)
    if filters.q:
        pattern = f"%{filters.q.strip()}%"
        conditions.append(or_(col(Enterprise.name).like(pattern), col(Enterprise.uscc).like(pattern), col(Enterprise.address).like(pattern)))
    async with ctx.db.read() as session:
        total = (await session.exec(select(func.count()).select_from(Enterprise).where(*conditions))).one()
        rows = (
            await session.exec(
                select(Enterprise).where(*conditions).order_by(col(Enterprise.name), col(Enterprise.id)).offset((page - 1) * page_size).limit(page_size)
            )
        ).all()
    return Page(items=[to_out(r, EnterpriseOut) for r in rows], total=total, page=page, page_size=page_size)
