"""Running, reading and re-verifying random draws; each draw makes assignments and is audited."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Annotated, Any

import msgspec
from sqlmodel import col, select

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import InvalidInput, NotFound, not_found
from core.plans.assignments import Assignment
from core.plans.inspector_ties import tied_pairs
from core.plans.random_draws import RandomDraw, draw
from core.plans.service import active_inspectors, add_assignment, check_plan_scope, eligible_inspectors, enterprises_in_scope
from core.regions.records import Region
from core.storage.audit_log import append_audit, snapshot
from core.vocabulary import Industry


class DrawIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A spot check to draw: how many enterprises, how many inspectors each, when; ``seed`` optional."""

    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    region_code: Annotated[str, msgspec.Meta(pattern=r"^\d{6}(\d{3})?$")]  # a county or a township
    industries: Annotated[list[Industry], msgspec.Meta(min_length=1, max_length=10)]
    enterprise_count: Annotated[int, msgspec.Meta(ge=1, le=1000)]
    due_from: date
    due_until: date
    inspectors_per_enterprise: Annotated[int, msgspec.Meta(ge=1, le=5)] = 2
    seed: Annotated[str, msgspec.Meta(min_length=1, max_length=64)] | None = None


class DrawOut(msgspec.Struct, kw_only=True):
    id: str
    title: str
    seed: str
    region_code: str
    industries: list[str]
    enterprise_count: int
    inspectors_per_enterprise: int
    due_from: date
    due_until: date
    candidates: dict[str, list[str]]
    result: list[dict[str, Any]]
    created_by: str | None


class DrawVerification(msgspec.Struct, kw_only=True):
    """Re-running the recorded draw from its seed and candidates."""

    draw_id: str
    reproduced: bool
    recomputed: list[dict[str, Any]]


def _out(d: RandomDraw) -> DrawOut:
    return msgspec.convert(d.model_dump(), DrawOut)


async def run_draw(ctx: Context, principal: Principal, data: DrawIn) -> DrawOut:
    """Draw, record, create one assignment per (enterprise, inspector), audit — in one transaction."""
    require(principal.role, "random_draw.run")
    industries = sorted(set(data.industries))
    check_plan_scope(principal, data.region_code, industries)
    if data.due_until < data.due_from:
        raise InvalidInput("due_until is before due_from", "检查截止日期早于开始日期", field="due_until")
    seed = data.seed or secrets.token_hex(16)
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        if await session.get(Region, data.region_code) is None:
            raise InvalidInput(f"unknown region code {data.region_code}", f"未知的行政区划代码 {data.region_code}", field="region_code")
        enterprises = [e for e in await enterprises_in_scope(session, data.region_code, industries) if principal.sees_enterprise(e)]
        if not enterprises:
            raise InvalidInput("no active enterprise in this scope", "该范围内没有在营企业", field="region_code")
        inspectors = await active_inspectors(session)
        ties = await tied_pairs(session, [e.id for e in enterprises])
        candidates = {e.id: eligible_inspectors(e, inspectors, ties) for e in enterprises}
        result = draw(seed, candidates, data.enterprise_count, data.inspectors_per_enterprise)
        record = RandomDraw(
            title=data.title.strip(), seed=seed, region_code=data.region_code, industries=industries, enterprise_count=data.enterprise_count,
            inspectors_per_enterprise=data.inspectors_per_enterprise, due_from=data.due_from, due_until=data.due_until,
            candidates=candidates, result=result, created_by=principal.user_id, created_at=now,
        )
        session.add(record)
        await session.flush()
        by_id = {e.id: e for e in enterprises}
        for pick in result:
            enterprise = by_id[pick["enterprise_id"]]
            for inspector_id in pick["inspector_ids"]:
                await add_assignment(session, ctx, Assignment(
                    slot_key=f"draw:{record.id}:{enterprise.id}:{inspector_id}", kind="random_draw", draw_id=record.id,
                    enterprise_id=enterprise.id, inspector_id=inspector_id, region_code=enterprise.region_code,
                    industries=list(enterprise.industries), due_from=data.due_from, due_until=data.due_until, created_at=now, updated_at=now,
                ))
        after = snapshot(record)
        after.pop("candidates", None)
        after["candidate_enterprises"] = len(candidates)
        await append_audit(session, actor=principal.actor, action="random_draw", entity="random_draw", entity_id=record.id, at=now, after=after)
    return _out(record)


async def _load(session: Any, principal: Principal, draw_id: str) -> tuple[RandomDraw, set[str] | None]:
    """The draw and the ids of its candidate enterprises the caller may see (None: all, for admins).

    A draw is visible when any candidate is; a draw over a wider area (a province-wide draw read by
    a county) shows only the enterprises in the caller's scope — the others are neither listed
    among the candidates nor in the result (404-style: their existence is not revealed).
    """
    record = await session.get(RandomDraw, draw_id)
    if record is None:
        raise not_found("random draw", "双随机抽查")
    if principal.is_admin:
        return record, None
    enterprises = (await session.exec(select(Enterprise).where(col(Enterprise.id).in_(list(record.candidates))))).all()
    visible = {e.id for e in enterprises if principal.sees_enterprise(e)}
    if not visible:
        raise not_found("random draw", "双随机抽查")
    return record, visible


def _view(record: RandomDraw, visible: set[str] | None) -> DrawOut:
    """The draw as the caller may see it (see ``_load``)."""
    out = _out(record)
    if visible is not None:
        out.candidates = {k: v for k, v in out.candidates.items() if k in visible}
        out.result = [pick for pick in out.result if pick.get("enterprise_id") in visible]
    return out


async def get_draw(ctx: Context, principal: Principal, draw_id: str) -> DrawOut:
    require(principal.role, "plan.read")
    async with ctx.db.read() as session:
        return _view(*await _load(session, principal, draw_id))


async def list_draws(ctx: Context, principal: Principal) -> list[DrawOut]:
    """Draws the caller may see, newest first."""
    require(principal.role, "plan.read")
    async with ctx.db.read() as session:
        rows = (await session.exec(select(RandomDraw).order_by(col(RandomDraw.created_at).desc()))).all()
        visible = []
        for r in rows:
            try:
                visible.append(_view(*await _load(session, principal, r.id)))
            except NotFound:  # out of scope: not listed
                continue
    return visible


async def verify_draw(ctx: Context, principal: Principal, draw_id: str) -> DrawVerification:
    """Recompute the draw from its recorded seed and candidates and compare with the stored result."""
    require(principal.role, "plan.read")
    async with ctx.db.read() as session:
        record, visible = await _load(session, principal, draw_id)
    recomputed = draw(record.seed, record.candidates, record.enterprise_count, record.inspectors_per_enterprise)
    shown = recomputed if visible is None else [pick for pick in recomputed if pick.get("enterprise_id") in visible]
    return DrawVerification(draw_id=record.id, reproduced=recomputed == record.result, recomputed=shown)
