"""HTTP API for evaluations: the evaluators on offer, running one, history, risk level from one."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.params import Parameter

from core.access.scope import Principal
from core.context import Context
from core.enterprises.wire import EnterpriseOut
from core.wire import Page
from plugins.evaluations.service import MAX_PAGE_SIZE, get_evaluation, list_evaluations, list_evaluators, run_evaluation, set_risk_level
from plugins.evaluations.standards import evaluator_standard
from plugins.evaluations.wire import EvaluationIn, EvaluationOut, EvaluatorOut, RiskLevelIn, StandardOut


class EvaluatorController(Controller):
    path = "/api/v1/evaluators"
    tags = ["evaluations"]

    @get("/", operation_id="listEvaluators")
    async def list(self, state: State, principal: Principal) -> list[EvaluatorOut]:
        """Every evaluator of every plugin: id, title, version, plugin and its input's JSON schema."""
        return list_evaluators(state.plugins, principal)

    @get("/{evaluator_id:str}/standard", operation_id="getEvaluatorStandard")
    async def standard(self, state: State, principal: Principal, evaluator_id: str) -> StandardOut:
        """The standard an evaluator scores by: elements, items with points and deduction rule codes,
        veto items (with the server record that triggers one by itself), pass line and grades.
        404 (``evaluator``) for an unknown evaluator or one without a standard (e.g. ``risk.lec``)."""
        return evaluator_standard(state.plugins, principal, evaluator_id)


class EvaluationController(Controller):
    path = "/api/v1/evaluations"
    tags = ["evaluations"]

    @post("/", operation_id="runEvaluation", status_code=201)
    async def run(self, ctx: Context, state: State, principal: Principal, data: EvaluationIn) -> EvaluationOut:
        """Evaluate ``input`` with ``evaluator`` for an enterprise in scope; the result is stored.

        400 names the field (``input.<path>``); 404 for an unknown evaluator or an enterprise
        absent or out of scope; 403 for roles that may not run evaluations.
        """
        return await run_evaluation(ctx, state.plugins, principal, data)

    @get("/", operation_id="listEvaluations")
    async def list(
        self,
        ctx: Context,
        principal: Principal,
        enterprise_id: Annotated[str | None, Parameter(max_length=36, description="企业（其评估历史）")] = None,
        evaluator: Annotated[str | None, Parameter(max_length=128, description="评估器编号")] = None,
        page: Annotated[int, Parameter(ge=1)] = 1,
        page_size: Annotated[int, Parameter(ge=1, le=MAX_PAGE_SIZE)] = 50,
    ) -> Page[EvaluationOut]:
        """Stored evaluations in the caller's scope, newest first; ``total`` counts only those."""
        return await list_evaluations(
            ctx, principal, enterprise_id=enterprise_id, evaluator_id=evaluator, page=page, page_size=page_size
        )

    @get("/{evaluation_id:str}", operation_id="getEvaluation")
    async def get(self, ctx: Context, principal: Principal, evaluation_id: str) -> EvaluationOut:
        """One stored evaluation; 404 when absent or its enterprise is out of scope."""
        return await get_evaluation(ctx, principal, evaluation_id)


class EnterpriseRiskLevelController(Controller):
    path = "/api/v1/enterprises"
    tags = ["evaluations"]

    @post("/{enterprise_id:str}/risk-level", operation_id="setEnterpriseRiskLevel", status_code=200)
    async def set_risk_level(self, ctx: Context, principal: Principal, enterprise_id: str, data: RiskLevelIn) -> EnterpriseOut:
        """Set the enterprise's risk level from a stored risk evaluation of it (versioned, audited)."""
        return await set_risk_level(ctx, principal, enterprise_id, data)


ROUTES = [EvaluatorController, EvaluationController, EnterpriseRiskLevelController]
