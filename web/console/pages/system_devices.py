"""系统 · 设备: enrolled tablets (whose, last seen, revoked) and revoking one, after a confirm step.

Revoking is core's ``revoke_device`` with the ``RevokeIn`` body of ``POST /api/v1/devices/{id}/revoke``:
every session the tablet holds is revoked in the same transaction, so its tokens are refused on
their next request, and the step is audited. The console's pages are the admin's (``device.manage``);
a user reporting their own tablet lost does so through the API.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from core.access.permissions import require
from core.access.scope import Principal
from core.access.user_service import list_devices, list_users, revoke_device
from core.access.wire import DeviceOut, RevokeIn
from core.context import Context
from core.errors import AppError, not_found
from web.console import forms
from web.console.pages.system_common import decode_form, system_page

PAGE_SIZE = 50


async def _owners(ctx: Context, principal: Principal) -> dict[str, Any]:
    return {u.id: u for u in await list_users(ctx, principal)}


def _matches(device: DeviceOut, owner: Any, q: str, status: str) -> bool:
    if status == "active" and device.revoked_at is not None or status == "revoked" and device.revoked_at is None:
        return False
    if not q:
        return True
    names = (device.id, device.name, owner.username if owner else "", owner.display_name if owner else "")
    return any(q.lower() in name.lower() for name in names if name)


@get("/system/devices", name="console_system_devices")
async def devices_page(request: Request, ctx: Context, principal: Principal, q: str = "", status: str = "", page: int = 1, revoked: str = "") -> Template:
    """Every enrolled tablet, most recently seen first; search by user, device name or id."""
    require(principal.role, "device.manage")
    owners = await _owners(ctx, principal)
    query = {"q": q.strip()[:64], "status": status if status in ("active", "revoked") else ""}
    every = await list_devices(ctx, principal)
    devices = [d for d in every if _matches(d, owners.get(d.user_id), query["q"], query["status"])]
    devices.sort(key=lambda d: (d.last_seen_at or d.enrolled_at), reverse=True)
    pages = max(1, (len(devices) + PAGE_SIZE - 1) // PAGE_SIZE)
    current = min(max(1, page), pages)
    flash = None
    if any(d.id == revoked and d.revoked_at is not None for d in every):  # only a real revocation is announced
        flash = f"已吊销设备 {revoked}：该平板持有的令牌均已失效，此后不能再用它登录。"
    return system_page(request, principal, "system_devices.html", sub="devices", devices=devices[(current - 1) * PAGE_SIZE: current * PAGE_SIZE],
                       owners=owners, query=query, rows={"total": len(devices), "page": current, "pages": pages}, flash=flash)


async def _device(ctx: Context, principal: Principal, device_id: str) -> DeviceOut:
    require(principal.role, "device.manage")
    found = next((d for d in await list_devices(ctx, principal) if d.id == device_id), None)
    if found is None:
        raise not_found("device", "设备")
    return found


async def _confirm(request: Request, ctx: Context, principal: Principal, device: DeviceOut, *, reason: str = "", error: AppError | None = None,
                   status_code: int = 200) -> Template:
    owners = await _owners(ctx, principal)
    return system_page(request, principal, "system_device_revoke.html", sub="devices", device=device, owner=owners.get(device.user_id),
                       reason=reason, error=error, status_code=status_code)


@get("/system/devices/{device_id:str}/revoke", name="console_system_device_confirm")
async def revoke_confirm(request: Request, ctx: Context, principal: Principal, device_id: str) -> Template:
    """The confirm step: which tablet, whose, and why (the reason is kept with the revocation)."""
    return await _confirm(request, ctx, principal, await _device(ctx, principal, device_id))


@post("/system/devices/{device_id:str}/revoke", name="console_system_device_revoke")
async def revoke(request: Request, ctx: Context, principal: Principal, device_id: str) -> Response[Any]:
    """Revoke the tablet as ``POST /api/v1/devices/{id}/revoke`` does."""
    device = await _device(ctx, principal, device_id)
    form = await request.form()
    reason = ""
    try:
        reason = forms.text(form, "reason")
        body = decode_form({"reason": reason}, RevokeIn)
        await revoke_device(ctx, principal, device.id, body.reason)
    except AppError as exc:
        return await _confirm(request, ctx, principal, device, reason=reason, error=exc, status_code=exc.status_code)
    return Redirect(f"/system/devices?revoked={device.id}", status_code=303)


ROUTES = [devices_page, revoke_confirm, revoke]
