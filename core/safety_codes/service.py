"""Safety codes: the token behind each QR code, the colour it shows, and the public view it opens.

A token is random (``secrets``), made the first time a code is asked for, and kept until it is
renewed (the old one then answers 404), so a sign printed today keeps working. The public view is
built from the register and the hazard counts only: names, colours, risks, controls by post and
the emergency contacts the enterprise entered — never a person's name, never a hazard's details.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import case
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import not_found
from core.regions.records import Region
from core.risk_register.grading import COLOURS, LEVEL_LABELS, LEVEL_ORDER
from core.risk_register.records import RiskPoint
from core.risk_register.vocabulary import ACCIDENT_TYPE_LABELS, CONTROL_KIND_LABELS, CONTROL_LEVEL_LABELS, HAZARD_FACTOR_CATEGORIES
from core.safety_codes.facts import enterprise_facts
from core.safety_codes.records import SafetyCode
from core.safety_codes.rule import code_colour, load_rule
from core.safety_codes.wire import PublicControl, PublicPoint, PublicView, ResolvedCode, SafetyCodeOut
from core.storage.audit_log import append_audit

PUBLIC_PATH = "/s/"
MAIN_RISKS = 12  # the public enterprise page lists its most severe points, at most this many


def public_path(token: str) -> str:
    return f"{PUBLIC_PATH}{token}"


def public_url(public_base: str | None, request_base: str, token: str) -> str:
    """The address a code carries: the configured public address (setting ``public_url``), else the
    address the request that printed it came to."""
    return f"{(public_base or request_base).rstrip('/')}{public_path(token)}"


def public_memo_key(token: str) -> tuple[str, str]:
    """Where the public page of ``token`` is kept for a minute (``Context.memo``); renewing drops it."""
    return ("safety_code_public", token)


async def _active_token(session: AsyncSession, subject: str, subject_id: str) -> SafetyCode | None:
    query = select(SafetyCode).where(col(SafetyCode.subject) == subject, col(SafetyCode.subject_id) == subject_id, col(SafetyCode.revoked_at).is_(None))
    return (await session.exec(query)).first()


async def _token_for(ctx: Context, subject: str, subject_id: str, enterprise_id: str) -> SafetyCode:
    """The subject's active code, made on first use (one write transaction, re-checked inside it)."""
    async with ctx.db.read() as session:
        found = await _active_token(session, subject, subject_id)
    if found:
        return found
    async with ctx.db.write() as session:
        found = await _active_token(session, subject, subject_id)
        if found:
            return found
        code = SafetyCode(token=secrets.token_urlsafe(16), subject=subject, subject_id=subject_id, enterprise_id=enterprise_id, created_at=ctx.clock.now())
        session.add(code)
    return code


async def _subject_in_scope(ctx: Context, principal: Principal, subject: str, subject_id: str) -> tuple[Enterprise, RiskPoint | None]:
    async with ctx.db.read() as session:
        point = await session.get(RiskPoint, subject_id) if subject == "risk_point" else None
        enterprise = await session.get(Enterprise, point.enterprise_id if point else subject_id) if (point or subject == "enterprise") else None
    if enterprise is None or not principal.sees_enterprise(enterprise) or (subject == "risk_point" and (point is None or not point.active)):
        raise not_found("risk point" if subject == "risk_point" else "enterprise", "风险点" if subject == "risk_point" else "企业")
    return enterprise, point


async def _colour(ctx: Context, enterprise: Enterprise, point: RiskPoint | None) -> tuple[str, str, list[str], dict[str, int]]:
    if point is not None:
        return COLOURS[point.risk_level], f"{LEVEL_LABELS[point.risk_level]}（{'红橙黄蓝'[LEVEL_ORDER.index(point.risk_level)]}）", [], {}
    async with ctx.db.read() as session:
        facts = await enterprise_facts(session, enterprise.id, ctx.clock.now())
    result = code_colour(facts, load_rule(ctx.settings.safety_code_rule))
    return result.colour, result.label, result.reasons, facts


async def safety_code(ctx: Context, principal: Principal, subject: str, subject_id: str) -> SafetyCodeOut:
    """The code of an enterprise or risk point in the caller's scope, with its colour and why."""
    require(principal.role, "risk_register.read")
    enterprise, point = await _subject_in_scope(ctx, principal, subject, subject_id)
    code = await _token_for(ctx, subject, subject_id, enterprise.id)
    colour, label, reasons, facts = await _colour(ctx, enterprise, point)
    return SafetyCodeOut(
        token=code.token, path=public_path(code.token), subject=subject, subject_id=subject_id, enterprise_id=enterprise.id,
        colour=colour, colour_label=label, reasons=reasons, facts=facts,
    )


async def renew_code(ctx: Context, principal: Principal, subject: str, subject_id: str) -> SafetyCodeOut:
    """Replace a code (a sign was misused or copied): the old token stops working at once."""
    require(principal.role, "risk_register.write")
    enterprise, _ = await _subject_in_scope(ctx, principal, subject, subject_id)
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        old = await _active_token(session, subject, subject_id)
        if old:
            old.revoked_at = now
            session.add(old)
            ctx.memo.pop(public_memo_key(old.token), None)  # this instance stops showing it at once
        code = SafetyCode(token=secrets.token_urlsafe(16), subject=subject, subject_id=subject_id, enterprise_id=enterprise.id, created_at=now)
        session.add(code)
        await append_audit(
            session, actor=principal.actor, action="safety_code_renewed", entity=subject, entity_id=subject_id, at=now,
            before={"token_prefix": old.token[:4]} if old else None, after={"token_prefix": code.token[:4]},
        )
    return await safety_code(ctx, principal, subject, subject_id)


async def resolve_for_staff(ctx: Context, principal: Principal, token: str) -> ResolvedCode:
    """What a scanned code names, if the scanner may see it (404 otherwise, as for an unknown code)."""
    require(principal.role, "risk_register.read")
    async with ctx.db.read() as session:
        code = await session.get(SafetyCode, token)
        enterprise = await session.get(Enterprise, code.enterprise_id) if code else None
    if code is None or code.revoked_at is not None or enterprise is None or not principal.sees_enterprise(enterprise):
        raise not_found("safety code", "安全码")
    return ResolvedCode(subject=code.subject, subject_id=code.subject_id, enterprise_id=code.enterprise_id)


def _public_point(point: RiskPoint) -> PublicPoint:
    return PublicPoint(
        code=point.code, name=point.name, location=point.location, level=point.risk_level, level_label=LEVEL_LABELS[point.risk_level],
        colour=COLOURS[point.risk_level], accident_types=[ACCIDENT_TYPE_LABELS[a] for a in point.accident_types],
        hazard_factors=[HAZARD_FACTOR_CATEGORIES.get(f, HAZARD_FACTOR_CATEGORIES.get(f[:2], f)) for f in point.hazard_factors],
        controls=[PublicControl(kind_label=CONTROL_KIND_LABELS[c["kind"]], level_label=CONTROL_LEVEL_LABELS[c["level"]], text=c["text"], responsible_post=c["responsible_post"]) for c in point.controls],
        emergency_contact=point.emergency_contact,
    )


async def _severe_points(session: AsyncSession, enterprise_id: str, limit: int) -> list[RiskPoint]:
    """The enterprise's most severe active points (red first, then by code), read by the database:
    a register of 500 points is not loaded to show twelve."""
    order = case(*((col(RiskPoint.risk_level) == level, rank) for rank, level in enumerate(LEVEL_ORDER)), else_=len(LEVEL_ORDER))
    query = select(RiskPoint).where(col(RiskPoint.enterprise_id) == enterprise_id, col(RiskPoint.active).is_(True))
    return list((await session.exec(query.order_by(order, col(RiskPoint.code)).limit(limit))).all())


async def _counts_and_contacts(session: AsyncSession, enterprise_id: str) -> tuple[dict[str, int], list[str]]:
    active = (col(RiskPoint.enterprise_id) == enterprise_id, col(RiskPoint.active).is_(True))
    counted = dict((await session.exec(select(RiskPoint.risk_level, func.count()).where(*active).group_by(RiskPoint.risk_level))).all())
    contacts = (await session.exec(select(RiskPoint.emergency_contact).where(*active, col(RiskPoint.emergency_contact) != "").distinct().order_by(col(RiskPoint.emergency_contact)))).all()
    return {level: counted.get(level, 0) for level in LEVEL_ORDER}, list(contacts)


async def public_view(ctx: Context, token: str, now: datetime) -> PublicView | None:
    """The public page of a token; None for an unknown or renewed one (the page answers 404)."""
    async with ctx.db.read() as session:
        code = await session.get(SafetyCode, token)
        if code is None or code.revoked_at is not None:
            return None
        enterprise = await session.get(Enterprise, code.enterprise_id)
        if enterprise is None or not enterprise.active:
            return None
        region = await session.get(Region, enterprise.region_code)
        by_level, contacts = await _counts_and_contacts(session, enterprise.id)
        if code.subject == "risk_point":
            point = await session.get(RiskPoint, code.subject_id)
            if point is None or not point.active:
                return None
            return PublicView(
                subject="risk_point", enterprise_name=enterprise.name, region=region.name if region else "", colour=COLOURS[point.risk_level],
                colour_label=LEVEL_LABELS[point.risk_level], reasons=[], by_level=by_level, points=[_public_point(point)],
                emergency_contacts=[point.emergency_contact] if point.emergency_contact else contacts,
            )
        facts = await enterprise_facts(session, enterprise.id, now)
        severe = await _severe_points(session, enterprise.id, MAIN_RISKS)
    result = code_colour(facts, load_rule(ctx.settings.safety_code_rule))
    return PublicView(
        subject="enterprise", enterprise_name=enterprise.name, region=region.name if region else "", colour=result.colour,
        colour_label=result.label, reasons=result.reasons, by_level=by_level, points=[_public_point(p) for p in severe], emergency_contacts=contacts,
    )
