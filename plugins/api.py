"""``GET /api/v1/plugins``: which plugins run, which failed and why (admins and department admins)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.datastructures import State

from core.errors import Forbidden
from core.scope import Principal
from plugins.records import PluginInfo

READER_ROLES = frozenset({"admin", "department_admin"})


class PluginController(Controller):
    path = "/api/v1/plugins"
    tags = ["plugins"]

    @get("/", operation_id="listPlugins")
    async def list(self, state: State, principal: Principal) -> list[PluginInfo]:
        """Every built-in and installed plugin: source, status, errors, checklists, evaluators."""
        if principal.role not in READER_ROLES:
            raise Forbidden(
                f"role {principal.role!r} may not list plugins",
                "只有安委办管理员或行业主管部门可以查看插件",
            )
        return state.plugins.report()


ROUTES = [PluginController]
