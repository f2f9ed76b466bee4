"""系统 · 同步审核: records the server refused (quarantine, with the reason) and hazard updates that
arrived on a stale version (conflicts); re-ingest or dismiss the one, resolve the other — each
after a page showing the record, which is the confirm step.

The same services as the sync API (``sync.review``): ``list_quarantine``, ``reingest_quarantined``,
``mark_resolved`` (dismiss), ``list_conflicts``, ``resolve_conflict``; the same bodies (``ReingestIn``,
``DismissIn``, ``ResolveConflictIn``) and the same permission, ``sync.review``. A refusal (the record
still fails, a row already handled) is shown beside the form and the row stays as it was.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from core.access.permissions import require
from core.access.scope import Principal
from core.access.user_service import list_users
from core.context import Context
from core.errors import AppError, InvalidInput, not_found
from sync.review.conflict_table import SyncConflict
from sync.review.conflicts import conflict_out, list_conflicts, resolve_conflict
from sync.review.quarantine import list_quarantine, mark_resolved
from sync.review.quarantine_table import QuarantinedRecord
from sync.review.reingest import reingest_quarantined
from sync.wire import DismissIn, QuarantineOut, ReingestIn, ResolveConflictIn
from web.console import forms
from web.console.pages.system_audit import pretty
from web.console.pages.system_common import decode_form, system_page

PAGE_SIZE = 50
MAX_PAYLOAD = 1_000_000  # characters of a corrected record; far more than any real one
_DONE = {
    "reingested": "已重新入库", "dismissed": "已忽略该隔离记录（保留备查）", "resolved": "已处理该冲突", "reapplied": "已将平板的更新重新应用到隐患当前版本",
}
_PUSH_STATUS = {"accepted": "已接受", "duplicate": "重复（此前已入库）", "conflict": "版本冲突（已转为冲突记录）", "rejected": "被拒绝"}


async def _names(ctx: Context, principal: Principal) -> dict[str, str]:
    return {u.id: (f"{u.display_name}（{u.username}）" if u.display_name else u.username) for u in await list_users(ctx, principal)}


@get("/system/sync", name="console_system_sync")
async def sync_page(request: Request, ctx: Context, principal: Principal, status: str = "open", done: str = "", result: str = "") -> Template:
    """Quarantined records and conflicts (open ones by default; ``status=all`` for every one), newest first."""
    require(principal.role, "sync.review")
    status = status if status in ("open", "all") else "open"
    wanted = None if status == "all" else "open"
    rows, quarantined = await list_quarantine(ctx, status=wanted, limit=PAGE_SIZE, offset=0)
    conflicts, conflicted = await list_conflicts(ctx, principal, status=wanted, limit=PAGE_SIZE, offset=0)
    flash = _DONE.get(done)
    if flash and result in _PUSH_STATUS:
        flash += f"：{_PUSH_STATUS[result]}"
    return system_page(request, principal, "system_sync.html", sub="sync", rows=rows, quarantined=quarantined, conflicts=conflicts, conflicted=conflicted,
                       status=status, names=await _names(ctx, principal), flash=flash, page_size=PAGE_SIZE)


async def _quarantined(ctx: Context, principal: Principal, row_id: str) -> QuarantineOut:
    require(principal.role, "sync.review")
    async with ctx.db.read() as session:
        row = await session.get(QuarantinedRecord, row_id[:64])
    if row is None:
        raise not_found("quarantined record", "隔离记录")
    return msgspec.convert(row.model_dump(), QuarantineOut)


async def _quarantine_view(request: Request, ctx: Context, principal: Principal, row_id: str, *, error: AppError | None = None, open_form: str = "",
                           values: dict[str, str] | None = None, status_code: int = 200) -> Template:
    row = await _quarantined(ctx, principal, row_id)
    problems = (error.extra.get("problems") or []) if error is not None else []
    return system_page(request, principal, "system_sync_quarantine.html", sub="sync", row=row, names=await _names(ctx, principal), pretty=pretty,
                       error=error, problems=problems, open_form=open_form, values=values or {}, status_code=status_code)


@get("/system/sync/quarantine/{row_id:str}", name="console_system_quarantined")
async def quarantined_page(request: Request, ctx: Context, principal: Principal, row_id: str) -> Template:
    """One quarantined record: who sent it, why it was refused, the record; re-ingest or dismiss."""
    return await _quarantine_view(request, ctx, principal, row_id)


def _payload(text: str) -> dict[str, Any] | None:
    """A corrected record typed as JSON (None when blank: re-ingest the record as stored)."""
    if not text:
        return None
    if len(text) > MAX_PAYLOAD:
        raise InvalidInput("payload too long", "修正后的记录过长", field="payload")
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise InvalidInput(f"payload is not JSON: {exc}", f"修正后的记录不是有效的 JSON：第 {getattr(exc, 'lineno', '?')} 行附近有误", field="payload") from exc
    if not isinstance(value, dict):
        raise InvalidInput("payload must be a JSON object", "修正后的记录应为 JSON 对象（{…}）", field="payload")
    return value


@post("/system/sync/quarantine/{row_id:str}/reingest", name="console_system_quarantined_reingest")
async def reingest(request: Request, ctx: Context, principal: Principal, row_id: str) -> Response[Any]:
    """Ingest the record again as its inspector, as stored or corrected, as the sync API's re-ingest."""
    row = await _quarantined(ctx, principal, row_id)
    form = await request.form()
    values: dict[str, str] = {}
    try:
        values = {"payload": forms.text(form, "payload"), "note": forms.text(form, "note")}
        body = decode_form({"payload": _payload(values["payload"]), "note": values["note"]}, ReingestIn)
        outcome = await reingest_quarantined(ctx, principal, request.app.state.get("plugins"), row.id, payload=body.payload, note=body.note)
    except AppError as exc:
        return await _quarantine_view(request, ctx, principal, row.id, error=exc, open_form="reingest", values=values, status_code=exc.status_code)
    return Redirect(f"/system/sync?done=reingested&result={outcome.status}", status_code=303)


@post("/system/sync/quarantine/{row_id:str}/dismiss", name="console_system_quarantined_dismiss")
async def dismiss(request: Request, ctx: Context, principal: Principal, row_id: str) -> Response[Any]:
    """Close the row without ingesting it, with a reason (kept, audited)."""
    row = await _quarantined(ctx, principal, row_id)
    form = await request.form()
    values: dict[str, str] = {}
    try:
        values = {"reason": forms.text(form, "reason")}
        body = decode_form(values, DismissIn)
        await mark_resolved(ctx, principal, row.id, status="dismissed", note=body.reason)
    except AppError as exc:
        return await _quarantine_view(request, ctx, principal, row.id, error=exc, open_form="dismiss", values=values, status_code=exc.status_code)
    return Redirect("/system/sync?done=dismissed", status_code=303)


async def _conflict_view(request: Request, ctx: Context, principal: Principal, conflict_id: str, *, error: AppError | None = None,
                         values: dict[str, str] | None = None, status_code: int = 200) -> Template:
    require(principal.role, "sync.review")
    async with ctx.db.read() as session:
        row = await session.get(SyncConflict, conflict_id[:64])
    if row is None:
        raise not_found("sync conflict", "同步冲突")
    return system_page(request, principal, "system_sync_conflict.html", sub="sync", conflict=conflict_out(row), names=await _names(ctx, principal),
                       pretty=pretty, error=error, values=values or {}, status_code=status_code)


@get("/system/sync/conflicts/{conflict_id:str}", name="console_system_conflict")
async def conflict_page(request: Request, ctx: Context, principal: Principal, conflict_id: str) -> Template:
    """One conflict: the tablet's update, the hazard as the server had it; resolve it."""
    return await _conflict_view(request, ctx, principal, conflict_id)


@post("/system/sync/conflicts/{conflict_id:str}/resolve", name="console_system_conflict_resolve")
async def resolve(request: Request, ctx: Context, principal: Principal, conflict_id: str) -> Response[Any]:
    """Close the conflict, optionally re-applying the tablet's step onto the hazard as it is now."""
    require(principal.role, "sync.review")
    form = await request.form()
    values: dict[str, str] = {}
    try:
        values = {"note": forms.text(form, "note"), "reapply": forms.text(form, "reapply")}
        body = decode_form({"note": values["note"], "reapply": values["reapply"] == "1"}, ResolveConflictIn)
        await resolve_conflict(ctx, principal, conflict_id[:64], body)
    except AppError as exc:
        if exc.status_code == 404:
            raise
        return await _conflict_view(request, ctx, principal, conflict_id, error=exc, values=values, status_code=exc.status_code)
    return Redirect(f"/system/sync?done={'reapplied' if body.reapply else 'resolved'}", status_code=303)


ROUTES = [sync_page, quarantined_page, reingest, dismiss, conflict_page, resolve]
