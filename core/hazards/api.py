"""Hazards (隐患): list with filters, read with history, register, and lifecycle steps."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Parameter

from core.access.scope import Principal
from core.context import Context
from core.hazards.queries import HazardFilter, list_hazards
from core.hazards.service import create_hazard, get_hazard_detail, transition_hazard
from core.hazards.wire import HazardDetailOut, HazardIn, HazardLevel, HazardOut, HazardStatus, HazardStepOut, TransitionIn
from core.ids import canonical_uuid
from core.vocabulary import Industry
from core.wire import Page


class HazardController(Controller):
    path = "/api/v1/hazards"
    tags = ["hazards"]

    @get("/", operation_id="listHazards")
    async def list(
        self,
        ctx: Context,
        principal: Principal,
        region_code: Annotated[str | None, Parameter(pattern=r"^\d{6}(\d{3})?$", description="行政区划（含下级）：六位或九位（乡镇）")] = None,
        industry: Industry | None = None,
        enterprise_id: Annotated[str | None, Parameter(max_length=36)] = None,
        level: HazardLevel | None = None,
        status: HazardStatus | None = None,
        overdue: Annotated[bool | None, Parameter(description="是否逾期（按整改期限实时计算）")] = None,
        listed: Annotated[bool | None, Parameter(description="是否挂牌督办")] = None,
        page: Annotated[int, Parameter(ge=1)] = 1,
        page_size: Annotated[int, Parameter(ge=1, le=500)] = 50,
    ) -> Page[HazardOut]:
        """Hazards in the caller's scope, newest first."""
        if enterprise_id is not None:
            enterprise_id = canonical_uuid(enterprise_id) or enterprise_id
        filters = HazardFilter(region_code=region_code, industry=industry, enterprise_id=enterprise_id, level=level, status=status, overdue=overdue, listed=listed)
        return await list_hazards(ctx, principal, filters, page, page_size)

    @get("/{hazard_id:str}", operation_id="getHazard")
    async def get(self, ctx: Context, principal: Principal, hazard_id: str) -> HazardDetailOut:
        """One hazard with its full history and the steps the caller may take now."""
        return await get_hazard_detail(ctx, principal, hazard_id)

    @post("/", operation_id="createHazard")
    async def create(self, ctx: Context, principal: Principal, data: HazardIn) -> HazardOut:
        """Register a hazard (inspectors; enterprise users for their own self-inspection)."""
        return await create_hazard(ctx, principal, data)

    @post("/{hazard_id:str}/transitions", operation_id="transitionHazard", status_code=200)
    async def transition(self, ctx: Context, principal: Principal, hazard_id: str, data: TransitionIn) -> HazardStepOut:
        """Take one lifecycle step; 409 lists the allowed steps when this one is not possible, and
        409 ``evidence_missing`` refuses to close a hazard whose rectification photos have not arrived."""
        return await transition_hazard(ctx, principal, hazard_id, data)


ROUTES = [HazardController]
