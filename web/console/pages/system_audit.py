"""系统 · 审计日志: browse the log (who, what, which record, when; newest first, each entry's hash),
verify the hash chain and its anchors, list the anchors and sign the chain's head now.

Browsing is core's ``browse_audit``, verifying ``verify_chain`` with the server secret as
``GET /api/v1/audit/verify``, the anchors ``list_anchors`` / ``take_anchor`` as
``GET``/``POST /api/v1/audit/anchors`` (``audit.read``, ``audit.anchor``).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from core.access.permissions import allowed, require
from core.access.scope import Principal
from core.audit.anchors import list_anchors, take_anchor
from core.audit.browse import AuditFilter, browse_audit
from core.audit.verify import verify_chain
from core.context import Context
from core.errors import InvalidInput
from core.local_time import start_of_day
from web.console.pages.system_common import system_page

PAGE_SIZE = 50
_TEXT_LIMITS = {"actor": 64, "action": 64, "entity": 32, "entity_id": 128}


def _day(value: str, field: str) -> datetime | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{field} must be a date YYYY-MM-DD", "日期格式应为 年-月-日（如 2026-05-31）", field=field) from exc
    if not 2000 <= day.year <= 2100:
        raise InvalidInput(f"{field} must lie between 2000 and 2100", "日期应在2000年至2100年之间", field=field)
    return start_of_day(day)


def audit_filter(query: dict[str, str]) -> AuditFilter:
    """The page's filters, each checked (400 naming the field); ``until`` is inclusive of its day."""
    for name, limit in _TEXT_LIMITS.items():
        if len(query[name]) > limit or "\x00" in query[name]:
            raise InvalidInput(f"{name}: at most {limit} characters", f"最多{limit}个字符", field=name)
    since, until = _day(query["since"], "since"), _day(query["until"], "until")
    if since and until and until < since:
        raise InvalidInput("until is before since", "结束日期早于开始日期", field="until")
    return AuditFilter(actor=query["actor"] or None, action=query["action"] or None, entity=query["entity"] or None,
                       entity_id=query["entity_id"] or None, since=since, until=until + timedelta(days=1) if until else None)


def pretty(value: Any) -> str:
    """A before/after state as indented JSON."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)


@get("/system/audit", name="console_system_audit")
async def audit_page(
    request: Request, ctx: Context, principal: Principal, actor: str = "", action: str = "", entity: str = "", entity_id: str = "",
    since: str = "", until: str = "", before: int | None = None,
) -> Template:
    """The log, newest first, 50 a page (``before``: older than that entry), with filters."""
    require(principal.role, "audit.read")
    query = {"actor": actor.strip(), "action": action.strip(), "entity": entity.strip(), "entity_id": entity_id.strip(), "since": since.strip(), "until": until.strip()}
    try:
        filters = audit_filter(query)
        if before is not None and before < 1:
            raise InvalidInput("before must be positive", "页码参数无效", field="before")
        found = await browse_audit(ctx, principal, filters, before_seq=before, limit=PAGE_SIZE)
    except InvalidInput as exc:
        return system_page(request, principal, "system_audit.html", sub="audit", status_code=400, query=query, found=None, error=exc, pretty=pretty, before=before)
    return system_page(request, principal, "system_audit.html", sub="audit", query=query, found=found, pretty=pretty, before=before)


@get("/system/audit/verify", name="console_system_audit_verify")
async def verify_page(request: Request, ctx: Context, principal: Principal, anchored: str = "") -> Template:
    """Recompute the chain and check every anchor, as ``GET /api/v1/audit/verify``; the anchors below."""
    require(principal.role, "audit.read")
    started = datetime.now()
    async with ctx.db.read() as session:
        report = await verify_chain(session, secret=ctx.secret)
    took = (datetime.now() - started).total_seconds()
    anchors = await list_anchors(ctx, limit=20)
    flash = {"1": "已签署审计链当前链头。", "0": "自上次签署以来没有新的审计条目，未签署新锚点。"}.get(anchored)
    return system_page(request, principal, "system_audit_verify.html", sub="audit", report=report, anchors=anchors, took=took, flash=flash,
                       can_anchor=allowed(principal.role, "audit.anchor"))


@post("/system/audit/anchors", name="console_system_audit_anchor")
async def anchor_now(ctx: Context, principal: Principal) -> Response[Any]:
    """Sign the chain's head now, as ``POST /api/v1/audit/anchors`` (none when nothing is new)."""
    require(principal.role, "audit.anchor")
    anchor = await take_anchor(ctx, principal.actor)
    return Redirect(f"/system/audit/verify?anchored={1 if anchor else 0}", status_code=303)


ROUTES = [audit_page, verify_page, anchor_now]
