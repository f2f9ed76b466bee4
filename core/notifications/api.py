"""Notifications (通知): deadline reminders, overdue and escalation alerts for the caller."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Parameter

from core.access.scope import Principal
from core.context import Context
from core.notifications.notices import NotificationOut, list_notifications, mark_read


class NotificationController(Controller):
    path = "/api/v1/notifications"
    tags = ["notifications"]

    @get("/", operation_id="listNotifications")
    async def list(self, ctx: Context, principal: Principal, unread: bool = False, limit: Annotated[int, Parameter(ge=1, le=500)] = 100) -> list[NotificationOut]:
        """The caller's notifications (an enterprise user also sees their enterprise's), newest first."""
        return await list_notifications(ctx, principal, unread, limit)

    @post("/{notification_id:str}/read", operation_id="markNotificationRead", status_code=200)
    async def read(self, ctx: Context, principal: Principal, notification_id: str) -> NotificationOut:
        return await mark_read(ctx, principal, notification_id)


ROUTES = [NotificationController]
