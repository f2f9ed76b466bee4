"""HTTP API of 行政处罚 cases: file, notify, decide, fulfil; read one or a page, in scope."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, get, post
from litestar.params import Parameter

from core.access.scope import Principal
from core.context import Context
from core.wire import Page
from plugins.documents.penalties.lifecycle import decide, file_case, fulfil, notify
from plugins.documents.penalties.views import get_penalty, list_penalties
from plugins.documents.penalties.wire import PenaltyDecisionIn, PenaltyFileIn, PenaltyFulfilmentIn, PenaltyNoticeIn, PenaltyOut


class PenaltyController(Controller):
    path = "/api/v1/penalties"
    tags = ["documents"]

    @post("/", operation_id="filePenaltyCase", status_code=201)
    async def file(self, ctx: Context, principal: Principal, data: PenaltyFileIn) -> PenaltyOut:
        """立案: open a case against an enterprise in scope, handled by two or more card-holding officers.

        404 ``enterprise_id`` out of scope; 409 ``handlers_not_qualified`` naming each handler without
        a 执法证号, of another role, or not covering the enterprise."""
        return await file_case(ctx, principal, data)

    @get("/", operation_id="listPenaltyCases")
    async def list(
        self,
        ctx: Context,
        principal: Principal,
        enterprise_id: Annotated[str | None, Parameter(max_length=36, description="企业")] = None,
        status: Annotated[Literal["filed", "notified", "decided", "fulfilled"] | None, Parameter(description="阶段")] = None,
        page: Annotated[int, Parameter(ge=1)] = 1,
        page_size: Annotated[int, Parameter(ge=1, le=200)] = 50,
    ) -> Page[PenaltyOut]:
        """Cases of enterprises in scope, newest first."""
        return await list_penalties(ctx, principal, enterprise_id=enterprise_id, status=status, page=page, page_size=page_size)

    @get("/{case_id:str}", operation_id="getPenaltyCase")
    async def get(self, ctx: Context, principal: Principal, case_id: str) -> PenaltyOut:
        """One case; 404 when absent or out of scope."""
        return await get_penalty(ctx, principal, case_id)

    @post("/{case_id:str}/notice", operation_id="notifyPenaltyCase", status_code=200)
    async def notice(self, ctx: Context, principal: Principal, case_id: str, data: PenaltyNoticeIn) -> PenaltyOut:
        """告知: record the proposed penalty with its facts, the provisions violated and the basis.
        409 ``penalty_stage`` unless the case is just filed."""
        return await notify(ctx, principal, case_id, data)

    @post("/{case_id:str}/decision", operation_id="decidePenaltyCase", status_code=200)
    async def decision(self, ctx: Context, principal: Principal, case_id: str, data: PenaltyDecisionIn) -> PenaltyOut:
        """决定: after the notice; 409 ``heavier_than_notified`` for a fine above the one notified."""
        return await decide(ctx, principal, case_id, data)

    @post("/{case_id:str}/fulfilment", operation_id="fulfilPenaltyCase", status_code=200)
    async def fulfilment(self, ctx: Context, principal: Principal, case_id: str, data: PenaltyFulfilmentIn) -> PenaltyOut:
        """履行: the fine paid in full (with its receipt number) or the penalty otherwise carried out."""
        return await fulfil(ctx, principal, case_id, data)
