"""HTTP API of the risk register (风险清单): points, their history, the register of an enterprise."""

from __future__ import annotations

import asyncio
from typing import Annotated

from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import State
from litestar.params import Parameter

from core.access.scope import Principal
from core.context import Context
from core.errors import InvalidInput, not_found
from core.risk_register.plant_plans import MAX_BYTES, PlantPlanOut, current_plan, upload_plan
from core.risk_register.service import (
    create_point,
    get_point,
    get_register,
    point_history,
    register_history,
    retire_point,
    update_point,
)
from core.risk_register.wire import RegisterOut, RetireIn, RevisionOut, RiskPointIn, RiskPointOut, RiskPointUpdate


class RiskRegisterController(Controller):
    path = "/api/v1/enterprises/{enterprise_id:str}/risk-register"
    tags = ["risk register"]

    @get("/", operation_id="getRiskRegister")
    async def register(
        self, ctx: Context, principal: Principal, enterprise_id: str,
        include_retired: Annotated[bool, Parameter(description="也列出已撤销的风险点")] = False,
    ) -> RegisterOut:
        """The enterprise's risk points with their colours and controls, and the 四色 summary with
        what the register still lacks (points without controls or without one at their level)."""
        return await get_register(ctx, principal, enterprise_id, include_retired=include_retired)

    @post("/points", operation_id="createRiskPoint")
    async def create(self, ctx: Context, principal: Principal, state: State, enterprise_id: str, data: RiskPointIn) -> RiskPointOut:
        """Add a risk point: its factors (GB/T 13861), accident types (GB 6441), an LEC or LS
        assessment (scored by the installed evaluator, stored with its explanation), direct
        judgements that make it 重大, and its controls (kind, level, post and person)."""
        return await create_point(ctx, principal, state.risk_assessor, enterprise_id, data)

    @put("/plant-plan", operation_id="uploadPlantPlan", request_max_body_size=MAX_BYTES + 64 * 1024)
    async def upload_plan(self, request: Request, ctx: Context, principal: Principal, enterprise_id: str) -> PlantPlanOut:
        """Upload the plant plan (厂区平面图) the 四色分布图 is drawn on: the PNG or JPEG file as the
        request body. Points keep their places (fractions of the plan)."""
        if not request.headers.get("content-type", "").startswith(("image/png", "image/jpeg")):
            raise InvalidInput("send the plan as the body with content-type image/png or image/jpeg", "请以 image/png 或 image/jpeg 上传平面图", field="file")
        return await upload_plan(ctx, principal, enterprise_id, await request.body())

    @get("/plant-plan", operation_id="getPlantPlan", media_type="image/png")
    async def plan(self, ctx: Context, principal: Principal, enterprise_id: str) -> Response:
        """The current plant plan image; 404 when none was uploaded."""
        found = await current_plan(ctx, principal, enterprise_id)
        if found is None:
            raise not_found("plant plan", "厂区平面图")
        plan, path = found
        return Response(await asyncio.to_thread(path.read_bytes), media_type=plan.content_type, headers={"Cache-Control": "private, no-cache"})

    @get("/history", operation_id="getRiskRegisterHistory")
    async def history(self, ctx: Context, principal: Principal, enterprise_id: str, limit: Annotated[int, Parameter(ge=1, le=1000)] = 200) -> list[RevisionOut]:
        """Who changed which point when and why, newest first, with each point's content as it then stood."""
        return await register_history(ctx, principal, enterprise_id, limit)


class RiskPointController(Controller):
    path = "/api/v1/risk-points"
    tags = ["risk register"]

    @get("/{point_id:str}", operation_id="getRiskPoint")
    async def read_one(self, ctx: Context, principal: Principal, point_id: str) -> RiskPointOut:
        """One risk point; 404 when absent or its enterprise is out of scope."""
        return await get_point(ctx, principal, point_id)

    @put("/{point_id:str}", operation_id="updateRiskPoint")
    async def update(self, ctx: Context, principal: Principal, state: State, point_id: str, data: RiskPointUpdate) -> RiskPointOut:
        """Replace a point's content, based on ``expected_version``, saying why (``reason``); controls
        keep their codes when the request names them."""
        return await update_point(ctx, principal, state.risk_assessor, point_id, data)

    @post("/{point_id:str}/retire", operation_id="retireRiskPoint", status_code=200)
    async def retire(self, ctx: Context, principal: Principal, point_id: str, data: RetireIn) -> RiskPointOut:
        """Take a point out of the register, saying why; it stays in the history."""
        return await retire_point(ctx, principal, point_id, data)

    @get("/{point_id:str}/history", operation_id="getRiskPointHistory")
    async def history(self, ctx: Context, principal: Principal, point_id: str) -> list[RevisionOut]:
        """Every version of the point, oldest first: who, when, why and the content."""
        return await point_history(ctx, principal, point_id)


ROUTES = [RiskRegisterController, RiskPointController]
