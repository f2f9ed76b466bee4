"""``GET /api/v1/plugins``: which plugins run, which failed and why (admins and department admins)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.datastructures import State

from core.access.permissions import require
from core.access.scope import Principal
from plugins.records import PluginInfo


class PluginController(Controller):
    path = "/api/v1/plugins"
    tags = ["plugins"]

    @get("/", operation_id="listPlugins")
    async def list(self, state: State, principal: Principal) -> list[PluginInfo]:
        """Every built-in and installed plugin: source, status, errors, checklists, evaluators."""
        require(principal.role, "plugin.read")
        return state.plugins.report()


ROUTES = [PluginController]
