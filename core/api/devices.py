"""Enrolled tablets: list and revoke."""

from __future__ import annotations

from litestar import Controller, get, post

from core.context import Context
from core.scope import Principal
from core.user_service import list_devices, revoke_device
from core.wire import DeviceOut, RevokeIn


class DeviceController(Controller):
    path = "/api/v1/devices"
    tags = ["devices"]

    @get("/", operation_id="listDevices")
    async def list(self, ctx: Context, principal: Principal) -> list[DeviceOut]:
        """All devices (admin) or the caller's own."""
        return await list_devices(ctx, principal)

    @post("/{device_id:str}/revoke", operation_id="revokeDevice", status_code=200)
    async def revoke(self, ctx: Context, principal: Principal, device_id: str, data: RevokeIn) -> DeviceOut:
        """Revoke a device: its tokens stop working on the next request."""
        return await revoke_device(ctx, principal, device_id, data.reason)
