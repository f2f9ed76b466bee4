"""评估: the evaluations in scope, running an evaluator for an enterprise, its explanation, setting the
enterprise's risk level from one, and batch re-evaluation by cursor.

Every page is a view over the evaluation plugin's services, the ones ``plugins/evaluations/api.py``
calls: ``list_evaluations``, ``list_evaluators``, ``evaluator_standard``, ``run_evaluation`` (the
scale check, references, facts, audit), ``get_evaluation``, ``set_risk_level``; the batch is
``plugins.evaluations.batch.rescore_chunk`` over the user's own scope; an enterprise user's 自评估 is
run here too (``dual_prevention_self_assess``: its own enterprise, its scale's standard). An evaluator with a standard
(双重预防 大中型 / 小微型) is answered item by item; the others by their input's number fields, or
their input as JSON. A refused input is shown beside the item or field it names, nothing stored.
"""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.response import Redirect, Template
from sqlmodel import col, select

from core.access.permissions import allowed, require
from core.access.scope import Principal
from core.access.users import User
from core.context import Context
from core.enterprises.records import Enterprise
from core.enterprises.service import EnterpriseFilter, get_enterprise, list_enterprises
from core.errors import AppError, InvalidInput, field_path_of, not_found
from core.ids import canonical_uuid
from core.vocabulary import RISK_LEVEL_LABELS
from plugins.evaluations.batch import BatchFailure, UnknownEvaluator, rescore_chunk
from plugins.evaluations.service import (
    check_scale,
    find_evaluator,
    get_evaluation,
    list_evaluations,
    list_evaluators,
    run_evaluation,
    set_risk_level,
)
from plugins.evaluations.standards import evaluator_standard
from plugins.evaluations.wire import EvaluationIn, EvaluationOut, RiskLevelIn, StandardOut
from plugins.evaluator import fmt
from plugins.registry import PluginRegistry
from web.console import forms
from web.console.pages.dual_prevention_self_assess import of_scale, offered
from web.console.views import render

PAGE_SIZE = 20
CHUNK = 10  # enterprises re-scored per batch request: each request stays short
MAX_COUNT = 999
KEPT_FAILURES = 50  # failures carried from chunk to chunk in the form (the counts carry on past it)
SHOW = {"num": fmt}  # points and scores as score sheets print them: 20, 93.62 (not 20.0)
_ITEM = re.compile(r'^input\.items\["((?:[^"\\]|\\.)*)"\]')


def registry_of(state: State) -> PluginRegistry:
    return state.plugins  # type: ignore[no-any-return]


def _uuid_or_404(value: str, what: str, what_zh: str) -> str:
    wanted = canonical_uuid(value)
    if wanted is None:
        raise not_found(what, what_zh)
    return wanted


async def people(ctx: Context, ids: set[str]) -> dict[str, str]:
    """Display names of the users who stored evaluations (the API gives their ids)."""
    if not ids:
        return {}
    async with ctx.db.read() as session:
        rows = (await session.exec(select(User.id, User.display_name, User.username).where(col(User.id).in_(ids)))).all()
    return {row[0]: row[1] or row[2] for row in rows}


async def enterprise_names(ctx: Context, principal: Principal, ids: set[str]) -> dict[str, str]:
    """Names of enterprises the evaluations listed belong to (in scope: the list is scoped)."""
    if not ids:
        return {}
    async with ctx.db.read() as session:
        rows = (await session.exec(select(Enterprise.id, Enterprise.name).where(col(Enterprise.id).in_(ids), *principal.enterprise_conditions()))).all()
    return {row[0]: row[1] for row in rows}


# --- the list ------------------------------------------------------------------------------------


@get("/evaluations", name="console_evaluations")
async def evaluations_page(
    request: Request, ctx: Context, state: State, principal: Principal, q: str = "", evaluator: str = "", page: int = 1,
) -> Template:
    """Evaluations in scope, newest first, by enterprise name / USCC and evaluator; the evaluators on offer."""
    evaluators = list_evaluators(registry_of(state), principal)  # 403 for roles that may not read
    query = {"q": q, "evaluator": evaluator}
    context: dict[str, Any] = {"query": query, "evaluators": evaluators, "result": None, "names": {}, "who": {}, "titles": {e.id: e.title for e in evaluators},
                               "may_run": allowed(principal.role, "evaluation.run")}
    try:
        if len(q) > 100:
            raise InvalidInput("q: at most 100 characters", "搜索词最多100个字", field="q")
        if evaluator and evaluator not in {e.id for e in evaluators}:
            raise InvalidInput("unknown evaluator", "未知的评估器", field="evaluator")
        if not 1 <= page <= 10_000:
            raise InvalidInput("page must be 1..10000", "页码应在1到10000之间", field="page")
        result = await list_evaluations(ctx, principal, evaluator_id=evaluator or None, enterprise_q=forms.text(query, "q") or None,
                                        page=page, page_size=PAGE_SIZE)
    except InvalidInput as exc:
        return render(request, principal, "evaluations.html", section="evaluations", **SHOW, status_code=400, error=exc, **context)
    context.update(result=result, names=await enterprise_names(ctx, principal, {e.enterprise_id for e in result.items}),
                   who=await people(ctx, {e.created_by for e in result.items if e.created_by}))
    return render(request, principal, "evaluations.html", section="evaluations", **SHOW, **context)


# --- running one ---------------------------------------------------------------------------------


def _count(form: Any, name: str, code: str, rule: str) -> int:
    value = forms.text(form, name)
    if not value:
        return 0
    if not value.isdigit() or int(value) > MAX_COUNT:
        raise InvalidInput(f"items[{code}]: count of rule {rule} must be a whole number 0..{MAX_COUNT}",
                           f"评估要点 {code} 扣分规则 {rule} 的次数应为0到{MAX_COUNT}的整数", field=f'input.items["{code}"]')
    return int(value)


def standard_input(form: Any, standard: StandardOut) -> dict[str, Any]:
    """The dual-prevention input from the standard's form: every item, its deductions, the vetoes."""
    items: dict[str, Any] = {}
    for element in standard.elements:
        for item in element.items:
            prefix = f"i:{item.code}"
            deductions = []
            for rule in item.rules:
                count = _count(form, f"{prefix}:r:{rule.code}", item.code, rule.code)
                if count:
                    deductions.append({"rule": rule.code, "count": count})
            items[item.code] = {"applicable": not forms.text(form, f"{prefix}:na"), "finding": forms.text(form, f"{prefix}:finding"),
                                "deductions": deductions}
    vetoes = [{"code": veto.code, "note": forms.text(form, f"v:{veto.code}:note")} for veto in standard.vetoes if forms.text(form, f"v:{veto.code}")]
    return {"items": items, "vetoes": vetoes}


def simple_fields(evaluator: Any, schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The required number fields of an input schema, with their table's values where the evaluator has one."""
    root = schema
    if "$ref" in schema:
        root = schema.get("$defs", {}).get(schema["$ref"].rsplit("/", 1)[-1], {})
    out = []
    tables = getattr(evaluator, "tables", None)
    for name in root.get("required", []):
        prop = root.get("properties", {}).get(name, {})
        if prop.get("type") not in ("number", "integer"):
            continue
        factor = getattr(tables, name, None)
        options = [{"value": v.value, "label": v.label} for v in getattr(factor, "values", [])]
        out.append({"name": name, "label": getattr(factor, "title", "") or prop.get("description", name), "hint": prop.get("description", ""),
                    "integer": prop.get("type") == "integer", "options": options})
    return out


def simple_input(form: Any, fields: list[dict[str, Any]]) -> dict[str, Any]:
    """The input from the number fields, or from the JSON box when it is filled."""
    raw = forms.text(form, "input_json")
    if raw:
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise InvalidInput(f"input is not JSON: {exc}", f"输入（JSON）格式错误：{exc}", field="input_json") from exc
        if not isinstance(data, dict):
            raise InvalidInput("input must be a JSON object", "输入（JSON）应为一个对象 {…}", field="input_json")
        return data
    if not fields:
        raise InvalidInput("input required", "请填写输入（JSON）", field="input_json")
    data: dict[str, Any] = {}
    for spec in fields:
        value = forms.text(form, f"f:{spec['name']}")
        try:
            number = float(value)
        except ValueError:
            raise InvalidInput(f"{spec['name']} must be a number", f"{spec['label']}应填写数值", field=f"input.{spec['name']}") from None
        data[spec["name"]] = int(number) if spec["integer"] and number.is_integer() else number
    return data


def error_place(error: AppError | None) -> str | None:
    """Where on the form an error belongs: an item code, a field name, or None (above the form)."""
    if error is None or not error.field:
        return None
    match = _ITEM.match(error.field)
    if match:
        return "item:" + json.loads(f'"{match.group(1)}"')
    if error.field.startswith("input.vetoes"):
        return "vetoes"
    if error.field == "input_json":
        return "json"
    if error.field.startswith("input.") and re.fullmatch(r"input\.\w+", error.field):
        return "field:" + error.field[len("input."):]
    return None


async def _new_view(request: Request, ctx: Context, state: State, principal: Principal, enterprise_id: str, evaluator_id: str, q: str, *,
                    status_code: int = 200, error: AppError | None = None, values: dict[str, str] | None = None) -> Template:
    registry = registry_of(state)
    evaluators = offered(registry, principal, evaluator_id)
    if principal.role == "enterprise_user":
        enterprise_id = enterprise_id or principal.enterprise_id or ""
    context: dict[str, Any] = {"evaluators": evaluators, "enterprise": None, "evaluator": None, "standard": None, "fields": [], "refusal": None,
                               "matches": None, "q": q, "error": error, "place": error_place(error), "values": values or {}}
    if enterprise_id:
        context["enterprise"] = await get_enterprise(ctx, principal, _uuid_or_404(enterprise_id, "enterprise", "企业"))
    elif q or not evaluator_id:
        if len(q) > 100:
            raise InvalidInput("q: at most 100 characters", "搜索词最多100个字", field="q")
        context["matches"] = await list_enterprises(ctx, principal, EnterpriseFilter(q=q or None, active=True), 1, 10)
    if principal.role == "enterprise_user" and context["enterprise"] is not None:  # its own scale's standard, opened when it is the only one
        evaluators = context["evaluators"] = of_scale(registry, evaluators, context["enterprise"].scale)
        evaluator_id = evaluator_id or (evaluators[0].id if len(evaluators) == 1 else "")
    if evaluator_id:
        evaluator = find_evaluator(registry, evaluator_id)
        context["evaluator"] = next(e for e in list_evaluators(registry, principal) if e.id == evaluator.id)
        context["schema_json"] = json.dumps(context["evaluator"].input_schema, ensure_ascii=False, indent=2)
        if getattr(evaluator, "standard", None) is not None:
            context["standard"] = evaluator_standard(registry, principal, evaluator.id)
        else:
            context["fields"] = simple_fields(evaluator, context["evaluator"].input_schema)
        if context["enterprise"] is not None:
            try:
                await check_scale(ctx, evaluator, context["enterprise"].id)
            except InvalidInput as exc:
                context["refusal"] = exc
                scale = context["enterprise"].scale
                context["fitting"] = [e for e in evaluators if getattr(registry.evaluator(e.id), "scale", None) == scale]
    return render(request, principal, "evaluation_new.html", section="evaluations", **SHOW, status_code=status_code, **context)


@get("/evaluations/new", name="console_evaluation_new")
async def new_evaluation_page(
    request: Request, ctx: Context, state: State, principal: Principal, enterprise_id: str = "", evaluator_id: str = "", q: str = "",
) -> Template:
    """Choose an enterprise in scope and an evaluator; then the evaluator's form (its standard item by item)."""
    return await _new_view(request, ctx, state, principal, enterprise_id.strip(), evaluator_id.strip(), q.strip())


@post("/evaluations", name="console_evaluation_run")
async def run_evaluation_form(request: Request, ctx: Context, state: State, principal: Principal) -> Response[Any]:
    """Run the evaluator through the API's service; a refused input comes back beside its item (400)."""
    registry = registry_of(state)
    offered(registry, principal)  # 403 before the form is read
    form = await request.form()
    evaluator_id = forms.text(form, "evaluator_id")
    offered(registry, principal, evaluator_id)
    enterprise_id = _uuid_or_404(forms.text(form, "enterprise_id"), "enterprise", "企业")
    evaluator = find_evaluator(registry, evaluator_id)
    await get_enterprise(ctx, principal, enterprise_id)  # 404 out of scope before anything is read
    values = {key: forms.text(form, key) for key in form if key != "_csrf"}
    try:
        if getattr(evaluator, "standard", None) is not None:
            data = standard_input(form, evaluator_standard(registry, principal, evaluator.id))
        else:
            schema = next(e.input_schema for e in list_evaluators(registry, principal) if e.id == evaluator.id)
            data = simple_input(form, simple_fields(evaluator, schema))
        try:
            body = msgspec.convert({"enterprise_id": enterprise_id, "evaluator": evaluator.id, "input": data}, EvaluationIn)
        except msgspec.ValidationError as exc:
            raise InvalidInput(str(exc), f"填写内容不合法（{field_path_of(str(exc)) or '表单'}）：{exc}", field=field_path_of(str(exc))) from exc
        stored = await run_evaluation(ctx, registry, principal, body)
    except AppError as exc:
        if exc.status_code >= 500 or exc.status_code in (403, 404):
            raise
        return await _new_view(request, ctx, state, principal, enterprise_id, evaluator.id, "", status_code=exc.status_code, error=exc, values=values)
    return Redirect(f"/evaluations/{stored.id}?done=run", status_code=303)


# --- the explanation -----------------------------------------------------------------------------


def standard_rows(evaluation: EvaluationOut, standard: StandardOut | None) -> list[dict[str, Any]]:
    """Per element, per item: points, earned, deductions with their reasons, and the finding as answered."""
    if standard is None or "items" not in evaluation.result.details:
        return []
    figures = evaluation.result.details.get("items", {})
    elements = evaluation.result.details.get("elements", {})
    answered = evaluation.input.get("items", {}) if isinstance(evaluation.input.get("items"), dict) else {}
    lost = {d.item: d for d in evaluation.result.deductions}
    out = []
    for element in standard.elements:
        rows = []
        for item in element.items:
            figure = figures.get(item.code, {})
            answer = answered.get(item.code, {}) if isinstance(answered.get(item.code), dict) else {}
            rules = {rule.code: rule for rule in item.rules}
            chosen = [(rules.get(d.get("rule")), d.get("count", 1)) for d in answer.get("deductions", []) if isinstance(d, dict)]
            rows.append({"item": item, "figure": figure, "deduction": lost.get(item.code), "finding": answer.get("finding", ""),
                         "rules": [(rule, count) for rule, count in chosen if rule is not None]})
        out.append({"element": element, "figures": elements.get(element.code, {}), "rows": rows})
    return out


async def _evaluation_view(request: Request, ctx: Context, state: State, principal: Principal, evaluation_id: str, *,
                           status_code: int = 200, error: AppError | None = None) -> Template:
    evaluation = await get_evaluation(ctx, principal, _uuid_or_404(evaluation_id, "evaluation", "评估记录"))
    enterprise = await get_enterprise(ctx, principal, evaluation.enterprise_id)
    registry = registry_of(state)
    evaluator = registry.evaluator(evaluation.evaluator)
    standard = None
    if evaluator is not None and getattr(evaluator, "standard", None) is not None:
        standard = evaluator_standard(registry, principal, evaluator.id)
    done = request.query_params.get("done")
    flash = {"run": "评估已完成，结果已保存。", "risk": "已按本次评估设置企业风险等级。"}.get(done or "")
    context = {
        "evaluation": evaluation, "result": evaluation.result, "enterprise": enterprise, "evaluator": evaluator, "standard": standard,
        "elements": standard_rows(evaluation, standard), "who": (await people(ctx, {evaluation.created_by} if evaluation.created_by else set())),
        "thresholds": evaluation.result.details.get("thresholds") if isinstance(evaluation.result.details.get("thresholds"), dict) else None,
        "input_json": json.dumps(evaluation.input, ensure_ascii=False, indent=2),
        "may_set_risk": allowed(principal.role, "enterprise.set_risk_level") and evaluation.risk_level is not None,
        "risk_labels": RISK_LEVEL_LABELS, "flash": flash, "error": error,
    }
    return render(request, principal, "evaluation.html", section="evaluations", **SHOW, status_code=status_code, **context)


@get("/evaluations/{evaluation_id:str}", name="console_evaluation")
async def evaluation_page(request: Request, ctx: Context, state: State, principal: Principal, evaluation_id: str) -> Template:
    """One stored evaluation in scope, explained: total, grade, items, deductions, vetoes, thresholds, inputs."""
    return await _evaluation_view(request, ctx, state, principal, evaluation_id)


@post("/evaluations/{evaluation_id:str}/risk-level", name="console_evaluation_risk_level")
async def risk_level_form(request: Request, ctx: Context, state: State, principal: Principal, evaluation_id: str) -> Response[Any]:
    """Set the enterprise's risk level from this evaluation (``POST /api/v1/enterprises/{id}/risk-level``'s service)."""
    require(principal.role, "enterprise.set_risk_level")
    evaluation = await get_evaluation(ctx, principal, _uuid_or_404(evaluation_id, "evaluation", "评估记录"))
    form = await request.form()
    try:
        await set_risk_level(ctx, principal, evaluation.enterprise_id,
                             RiskLevelIn(evaluation_id=evaluation.id, expected_version=forms.integer(form, "expected_version")))
    except AppError as exc:
        if exc.status_code in (403, 404) or exc.status_code >= 500:
            raise
        return await _evaluation_view(request, ctx, state, principal, evaluation.id, status_code=exc.status_code, error=exc)
    return Redirect(f"/evaluations/{evaluation.id}?done=risk", status_code=303)


# --- batch re-evaluation -------------------------------------------------------------------------


def _tally(form: Any, name: str) -> int:
    value = forms.integer(form, name) or 0
    if value < 0:
        raise InvalidInput(f"{name} must not be negative", "计数不能为负数", field=name)
    return value


def carried_failures(form: Any) -> list[BatchFailure]:
    """Failures of earlier chunks, carried in the form as ``id\\tname\\tmessage`` (no server state)."""
    values = form.getall("failure", []) if hasattr(form, "getall") else []
    out = []
    for value in values[:KEPT_FAILURES]:
        if isinstance(value, str) and "\x00" not in value:
            enterprise_id, _, rest = value.partition("\t")
            name, _, message = rest.partition("\t")
            out.append(BatchFailure(enterprise_id, name, message))
    return out


def _batch_evaluators(registry: PluginRegistry, principal: Principal) -> list[Any]:
    return list_evaluators(registry, principal)


@get("/evaluations/batch", name="console_evaluation_batch")
async def batch_page(request: Request, ctx: Context, state: State, principal: Principal, evaluator: str = "") -> Template:
    """Choose the evaluator to re-run for every enterprise in scope from each one's latest stored input."""
    require(principal.role, "evaluation.run")
    evaluators = _batch_evaluators(registry_of(state), principal)
    return render(request, principal, "evaluation_batch.html", section="evaluations", **SHOW, evaluators=evaluators, chosen=evaluator, run=None, auto=False)


@post("/evaluations/batch", name="console_evaluation_batch_step")
async def batch_step(request: Request, ctx: Context, state: State, principal: Principal) -> Template:
    """Re-score the next enterprises after the cursor; answer the progress and the form that goes on.

    With htmx the next chunk is requested as soon as this one is shown; without it, 继续 does the same.
    """
    require(principal.role, "evaluation.run")
    registry = registry_of(state)
    evaluators = _batch_evaluators(registry, principal)
    form = await request.form()
    evaluator_id = forms.text(form, "evaluator")
    try:
        cursor = forms.text(form, "cursor") or None
        if cursor is not None and canonical_uuid(cursor) != cursor:
            raise InvalidInput("cursor must be an enterprise id", "进度游标格式不正确，请重新开始", field="cursor")
        carried = {name: _tally(form, name) for name in ("scored", "unchanged", "without_data", "failed")}
        try:
            chunk = await rescore_chunk(ctx, registry, evaluator_id, scope=principal.enterprise_conditions(), after=cursor, limit=CHUNK, actor=principal.actor)
        except UnknownEvaluator:
            raise InvalidInput("unknown evaluator", "请选择评估器", field="evaluator") from None
    except InvalidInput as exc:
        return render(request, principal, "evaluation_batch.html", section="evaluations", **SHOW, status_code=400, evaluators=evaluators, chosen=evaluator_id,
                      run=None, auto=False, error=exc)
    summary = chunk.summary
    failures = (carried_failures(form) + summary.failures)[:KEPT_FAILURES]
    run = {
        "evaluator": summary.evaluator_id, "version": summary.evaluator_version, "total": summary.total, "done": chunk.done, "cursor": chunk.next_cursor,
        "scored": carried["scored"] + summary.scored, "unchanged": carried["unchanged"] + summary.unchanged,
        "without_data": carried["without_data"] + summary.without_data, "failed": carried["failed"] + len(summary.failures),
        "failures": failures, "this_chunk": len(summary.failures) + summary.scored + summary.unchanged + summary.without_data,
    }
    auto = bool(request.headers.get("hx-request")) and chunk.next_cursor is not None
    return render(request, principal, "evaluation_batch.html", section="evaluations", **SHOW, evaluators=evaluators, chosen=summary.evaluator_id, run=run, auto=auto)


ROUTES = [evaluations_page, new_evaluation_page, batch_page, batch_step, run_evaluation_form, evaluation_page, risk_level_form]
