"""HTTP API of safety codes (the public page itself is served by web.public_code)."""

from __future__ import annotations

from litestar import Controller, get, post

from core.access.scope import Principal
from core.context import Context
from core.safety_codes.service import renew_code, resolve_for_staff, safety_code
from core.safety_codes.wire import ResolvedCode, SafetyCodeOut


class SafetyCodeController(Controller):
    path = "/api/v1"
    tags = ["safety codes"]

    @get("/enterprises/{enterprise_id:str}/safety-code", operation_id="getEnterpriseSafetyCode")
    async def enterprise_code(self, ctx: Context, principal: Principal, enterprise_id: str) -> SafetyCodeOut:
        """The enterprise's 安全码: token, public path, colour (绿/黄/橙/红) and the rule's reasons."""
        return await safety_code(ctx, principal, "enterprise", enterprise_id)

    @post("/enterprises/{enterprise_id:str}/safety-code/renew", operation_id="renewEnterpriseSafetyCode", status_code=200)
    async def renew_enterprise(self, ctx: Context, principal: Principal, enterprise_id: str) -> SafetyCodeOut:
        """Replace the enterprise's code; printed copies of the old one stop opening the page."""
        return await renew_code(ctx, principal, "enterprise", enterprise_id)

    @get("/risk-points/{point_id:str}/safety-code", operation_id="getRiskPointSafetyCode")
    async def point_code(self, ctx: Context, principal: Principal, point_id: str) -> SafetyCodeOut:
        """A risk point's code (its colour is the point's risk colour)."""
        return await safety_code(ctx, principal, "risk_point", point_id)

    @post("/risk-points/{point_id:str}/safety-code/renew", operation_id="renewRiskPointSafetyCode", status_code=200)
    async def renew_point(self, ctx: Context, principal: Principal, point_id: str) -> SafetyCodeOut:
        """Replace a risk point's code."""
        return await renew_code(ctx, principal, "risk_point", point_id)

    @get("/safety-codes/{token:str}", operation_id="resolveSafetyCode")
    async def resolve(self, ctx: Context, principal: Principal, token: str) -> ResolvedCode:
        """What a scanned code names (the field app opens that enterprise or point); 404 outside scope."""
        return await resolve_for_staff(ctx, principal, token)


ROUTES = [SafetyCodeController]
