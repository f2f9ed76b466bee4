"""Sync is for enrolled tablets: push and pull need a session opened with a device id."""

from __future__ import annotations

from core.access.scope import Principal
from core.errors import Forbidden


def require_device(principal: Principal) -> None:
    """Sync is for enrolled tablets: the session must have been opened with a device id."""
    if not principal.device_id:
        raise Forbidden(
            "sync needs a device session: log in with device_id",
            "同步只能在已登记的平板上进行：请在登录时提供设备编号（device_id）",
            code="device_required",
        )
