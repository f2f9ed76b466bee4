"""HTTP API of the 双重预防 programme: the town's progress view and the 评估报告 workflow."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, get, post
from litestar.params import Parameter

from core.access.scope import Principal
from core.context import Context
from core.dual_prevention.progress import ProgressOut, Status, programme_progress
from core.dual_prevention.reports import DecisionIn, ReportIn, ReportOut, decide_report, get_report, list_reports, submit_report


class DualPreventionController(Controller):
    path = "/api/v1/dual-prevention"
    tags = ["dual prevention"]

    @get("/progress", operation_id="getDualPreventionProgress")
    async def progress(
        self, ctx: Context, principal: Principal,
        region_code: Annotated[str | None, Parameter(pattern=r"^\d{6}(\d{3})?$")] = None,
        liaison: Annotated[Literal["me"] | None, Parameter(description="me：只看本人担任联络员的企业")] = None,
        status: Status | None = None,
    ) -> ProgressOut:
        """Per enterprise of the programme in scope: built (register complete, check lists made),
        used (self-checks done on time), report status and deadline; counts per status."""
        return await programme_progress(ctx, principal, region_code=region_code, liaison_user_id=principal.user_id if liaison == "me" else None, status=status)

    @get("/reports", operation_id="listEvaluationReports")
    async def reports(
        self, ctx: Context, principal: Principal, enterprise_id: Annotated[str | None, Parameter(max_length=36)] = None,
        status: Literal["submitted", "accepted", "returned"] | None = None, liaison: Literal["me"] | None = None,
    ) -> list[ReportOut]:
        """评估报告 in scope, newest first; ``liaison=me``: those sent to the caller."""
        return await list_reports(ctx, principal, enterprise_id=enterprise_id, status=status, mine=liaison == "me")

    @post("/reports", operation_id="submitEvaluationReport")
    async def submit(self, ctx: Context, principal: Principal, data: ReportIn) -> ReportOut:
        """Send a self-assessment (an evaluation of the programme's standard) to the enterprise's 联络员."""
        return await submit_report(ctx, principal, data)

    @get("/reports/{report_id:str}", operation_id="getEvaluationReport")
    async def read_one(self, ctx: Context, principal: Principal, report_id: str) -> ReportOut:
        return (await get_report(ctx, principal, report_id))[0]

    @post("/reports/{report_id:str}/decision", operation_id="decideEvaluationReport", status_code=200)
    async def decide(self, ctx: Context, principal: Principal, report_id: str, data: DecisionIn) -> ReportOut:
        """The 联络员 accepts the report, or returns it with the reasons."""
        return await decide_report(ctx, principal, report_id, data)


ROUTES = [DualPreventionController]
