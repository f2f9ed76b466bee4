"""Annual inspection plans (年度执法检查计划), their assignments, and 双随机 random draws."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from litestar import Controller, delete, get, post
from litestar.params import Parameter

from core.access.scope import Principal
from core.context import Context
from core.plans.inspector_ties import TieIn, TieOut, declare_tie, list_ties, remove_tie
from core.plans.random_draw_service import DrawIn, DrawOut, DrawVerification, get_draw, list_draws, run_draw, verify_draw
from core.plans.service import (
    AssignmentOut,
    CoverageOut,
    GenerateResult,
    PlanIn,
    PlanOut,
    create_plan,
    generate_plan_assignments,
    get_plan,
    list_assignments,
    list_plans,
    plan_coverage,
)


class PlanController(Controller):
    path = "/api/v1/plans"
    tags = ["plans"]

    @get("/", operation_id="listPlans")
    async def list(self, ctx: Context, principal: Principal, year: Annotated[int | None, Parameter(ge=2000, le=2100)] = None) -> list[PlanOut]:
        """Plans whose scope overlaps the caller's."""
        return await list_plans(ctx, principal, year)

    @post("/", operation_id="createPlan")
    async def create(self, ctx: Context, principal: Principal, data: PlanIn) -> PlanOut:
        """Create a year plan for a region and industries within the caller's jurisdiction."""
        return await create_plan(ctx, principal, data)

    @get("/{plan_id:str}", operation_id="getPlan")
    async def read_one(self, ctx: Context, principal: Principal, plan_id: str) -> PlanOut:
        return await get_plan(ctx, principal, plan_id)

    @post("/{plan_id:str}/generate", operation_id="generatePlanAssignments", status_code=200)
    async def generate(self, ctx: Context, principal: Principal, plan_id: str, through: Annotated[date | None, Parameter(description="只生成在此日期前开始的任务（默认全年）")] = None) -> GenerateResult:
        """Generate the plan's missing assignments (idempotent); lists enterprises left uncovered."""
        return await generate_plan_assignments(ctx, principal, plan_id, through)

    @get("/{plan_id:str}/coverage", operation_id="planCoverage")
    async def coverage(self, ctx: Context, principal: Principal, plan_id: str) -> CoverageOut:
        """全覆盖: enterprises in scope not yet inspected this year, and the completion rate."""
        return await plan_coverage(ctx, principal, plan_id)


class AssignmentController(Controller):
    path = "/api/v1/assignments"
    tags = ["plans"]

    @get("/", operation_id="listAssignments")
    async def list(
        self,
        ctx: Context,
        principal: Principal,
        plan_id: Annotated[str | None, Parameter(max_length=36)] = None,
        inspector_id: Annotated[str | None, Parameter(max_length=36)] = None,
        status: Literal["pending", "done", "cancelled"] | None = None,
    ) -> list[AssignmentOut]:
        """Assignments in scope; an inspector sees only their own."""
        return await list_assignments(ctx, principal, plan_id, inspector_id, status)


class RandomDrawController(Controller):
    path = "/api/v1/random-draws"
    tags = ["plans"]

    @get("/", operation_id="listRandomDraws")
    async def list(self, ctx: Context, principal: Principal) -> list[DrawOut]:
        return await list_draws(ctx, principal)

    @post("/", operation_id="runRandomDraw")
    async def create(self, ctx: Context, principal: Principal, data: DrawIn) -> DrawOut:
        """双随机: draw enterprises and inspectors (tied pairs excluded), record the seed, make assignments."""
        return await run_draw(ctx, principal, data)

    @get("/{draw_id:str}", operation_id="getRandomDraw")
    async def read_one(self, ctx: Context, principal: Principal, draw_id: str) -> DrawOut:
        return await get_draw(ctx, principal, draw_id)

    @get("/{draw_id:str}/verify", operation_id="verifyRandomDraw")
    async def verify(self, ctx: Context, principal: Principal, draw_id: str) -> DrawVerification:
        """Re-run the draw from its recorded seed and candidates; ``reproduced`` says whether it matches."""
        return await verify_draw(ctx, principal, draw_id)


class InspectorTieController(Controller):
    path = "/api/v1/inspector-ties"
    tags = ["plans"]

    @get("/", operation_id="listInspectorTies")
    async def list(self, ctx: Context, principal: Principal, enterprise_id: Annotated[str | None, Parameter(max_length=36)] = None) -> list[TieOut]:
        return await list_ties(ctx, principal, enterprise_id)

    @post("/", operation_id="declareInspectorTie")
    async def create(self, ctx: Context, principal: Principal, data: TieIn) -> TieOut:
        """回避: this inspector must not inspect this enterprise."""
        return await declare_tie(ctx, principal, data)

    @delete("/{tie_id:str}", operation_id="removeInspectorTie")
    async def remove(self, ctx: Context, principal: Principal, tie_id: str) -> None:
        await remove_tie(ctx, principal, tie_id)


ROUTES = [PlanController, AssignmentController, RandomDrawController, InspectorTieController]
