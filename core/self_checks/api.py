"""HTTP API of self-check tasks (自查任务): the list in scope, and an enterprise's monthly summary."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from litestar import Controller, get
from litestar.params import Parameter

from core.access.scope import Principal
from core.context import Context
from core.ids import canonical_uuid
from core.self_checks.queries import list_tasks, summary
from core.self_checks.wire import SelfCheckSummaryOut, SelfCheckTaskOut
from core.wire import Page

TaskStatus = Literal["due", "done", "missed", "cancelled"]


class SelfCheckTaskController(Controller):
    path = "/api/v1/self-check-tasks"
    tags = ["self checks"]

    @get("/", operation_id="listSelfCheckTasks")
    async def list(
        self,
        ctx: Context,
        principal: Principal,
        enterprise_id: Annotated[str | None, Parameter(max_length=36)] = None,
        status: TaskStatus | None = None,
        start: Annotated[date | None, Parameter(query="from", description="周期与此日期（含）之后有重叠")] = None,
        end: Annotated[date | None, Parameter(query="to", description="周期与此日期（含）之前有重叠")] = None,
        liaison: Annotated[Literal["me"] | None, Parameter(description="me：只看本人担任联络员的企业")] = None,
        page: Annotated[int, Parameter(ge=1)] = 1,
        page_size: Annotated[int, Parameter(ge=1, le=500)] = 50,
    ) -> Page[SelfCheckTaskOut]:
        """Self-check tasks in the caller's scope (an enterprise's users: their own), newest period
        first: each generated check list's checks due in a day, week, month or quarter, with how
        many were done; ``missed`` when the period ended short."""
        if enterprise_id is not None:
            enterprise_id = canonical_uuid(enterprise_id) or enterprise_id
        return await list_tasks(ctx, principal, enterprise_id=enterprise_id, status=status, start=start, end=end,
                                liaison_me=liaison == "me", page=page, page_size=page_size)


class SelfCheckSummaryController(Controller):
    path = "/api/v1/enterprises/{enterprise_id:str}/self-checks"
    tags = ["self checks"]

    @get("/summary", operation_id="getSelfCheckSummary")
    async def summary(
        self, ctx: Context, principal: Principal, enterprise_id: str,
        month: Annotated[str | None, Parameter(pattern=r"^\d{4}-\d{2}$", description="月份 YYYY-MM，默认本月")] = None,
    ) -> SelfCheckSummaryOut:
        """The enterprise's self-check tasks of a month: due, done, missed, the on-time rate, the
        self-checks made, their failed items and the hazards they raised (open and overdue now).
        404 when the enterprise is outside the caller's scope."""
        return await summary(ctx, principal, enterprise_id, month)


ROUTES = [SelfCheckTaskController, SelfCheckSummaryController]
