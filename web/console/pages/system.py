"""系统 (admin): users and scope, devices, plugins, jobs, the audit log, sync quarantine and conflicts.

``/system`` is the overview: a small figure per sub-page, each a link to it. Every sub-page calls
the service its API calls, with that API's permission (``web.console.pages.system_*``). The
overview itself needs ``user.manage`` (the navigation links it for that permission).

The audit chain is not verified here: a walk over the whole log is the verify page's, on demand;
the overview shows the chain's length and its last anchor.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template
from sqlmodel import col, func, select

from core.access.devices import Device
from core.access.permissions import require
from core.access.scope import Principal
from core.access.users import User
from core.audit.anchors import list_anchors
from core.context import Context
from core.scheduler.history import failed_periods
from core.storage.audit_log import AuditEntry
from sync.review.conflicts import list_conflicts
from sync.review.quarantine import list_quarantine
from web.console.pages import system_audit, system_devices, system_jobs, system_sync, system_users
from web.console.pages.system_common import system_page


async def _counts(ctx: Context) -> dict[str, int]:
    async with ctx.db.read() as session:
        def count(model: Any, *where: Any) -> Any:
            return session.exec(select(func.count()).select_from(model).where(*where))
        return {
            "users": int((await count(User)).one()),
            "active_users": int((await count(User, col(User.active).is_(True))).one()),
            "devices": int((await count(Device)).one()),
            "active_devices": int((await count(Device, col(Device.revoked_at).is_(None))).one()),
            "audit_head": int((await session.exec(select(func.max(AuditEntry.seq)))).one() or 0),
        }


@get("/system", name="console_system")
async def system_overview(request: Request, ctx: Context, principal: Principal) -> Template:
    """The figures of each sub-page, each linking to it."""
    require(principal.role, "user.manage")
    figures: dict[str, Any] = await _counts(ctx)
    figures["quarantined"] = (await list_quarantine(ctx, status="open", limit=1, offset=0))[1]
    figures["conflicts"] = (await list_conflicts(ctx, principal, status="open", limit=1, offset=0))[1]
    figures["failed_runs"] = await failed_periods(ctx)
    anchors = await list_anchors(ctx, limit=1)
    plugins = request.app.state.plugins.report()
    figures["plugins"] = len(plugins)
    figures["plugin_problems"] = sum(1 for p in plugins if p.status in ("failed", "degraded"))
    return system_page(request, principal, "system.html", sub="overview", figures=figures, last_anchor=anchors[0] if anchors else None)


ROUTES = [
    system_overview, *system_users.ROUTES, *system_devices.ROUTES, *system_jobs.ROUTES, *system_audit.ROUTES, *system_sync.ROUTES,
]
