"""评估报告: an enterprise sends its self-assessment to its 联络员, who accepts it or returns it with reasons.

Thin views over ``core.dual_prevention.reports`` (``list_reports``, ``submit_report``, ``get_report``,
``decide_report``) with the session's ``Principal``: reading is ``dual_prevention.read`` over the
scope; submitting ``dual_prevention.report_submit`` (the enterprise's own users, admins); deciding
``dual_prevention.report_review`` (the 联络员 named on the report, admins) — a role without the
permission gets 403 before anything is looked up, a report out of scope 404. An enterprise user's
list offers its own dual-prevention evaluations to submit; an inspector's list shows the reports
sent to them (all in scope on request). The PDF is ``plugins.risk_prints.report_pdf``, as the API's.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.response import Redirect, Template

from core.access.permissions import allowed, require
from core.access.scope import Principal
from core.context import Context
from core.dual_prevention.programme import load_programme
from core.dual_prevention.records import REPORT_STATUS_LABELS
from core.dual_prevention.reports import DecisionIn, ReportIn, ReportOut, decide_report, get_report, list_reports, submit_report
from core.enterprises.service import get_enterprise
from core.errors import AppError, InvalidInput, field_path_of
from plugins.evaluations.service import list_evaluations
from plugins.registry import PluginRegistry
from plugins.risk_prints.report_pdf import report_pdf
from web.console import forms
from web.console.views import render

SAVED = {"submitted": "评估报告已提交，等待联络员审核。", "accepted": "已接收该评估报告。", "returned": "已退回该评估报告，企业修改后可重新提交。"}
NOTE_MAX = 500


def _titles(registry: PluginRegistry, ids: set[str]) -> dict[str, str]:
    return {i: getattr(registry.evaluator(i), "title", i) for i in ids}


def _section(principal: Principal) -> str:
    return "dp_reports" if principal.role == "enterprise_user" else "dual_prevention"


async def _own_evaluations(ctx: Context, principal: Principal, enterprise_id: str) -> list[Any]:
    """The enterprise's evaluations against the programme's standards, newest first (what a report may be made of)."""
    found = []
    for evaluator_id in load_programme(ctx.settings.dual_prevention_programme).report_evaluators:
        found += (await list_evaluations(ctx, principal, enterprise_id=enterprise_id, evaluator_id=evaluator_id, page_size=20)).items
    return sorted(found, key=lambda e: e.created_at, reverse=True)


async def _list_page(request: Request, ctx: Context, state: State, principal: Principal, *, status: str = "", scope: str = "",
                     error: AppError | None = None, values: dict[str, str] | None = None, flash: str | None = None, status_code: int = 200) -> Template:
    require(principal.role, "dual_prevention.read")
    query = {"status": status if status in REPORT_STATUS_LABELS else "", "scope": scope if scope == "all" else ""}
    mine = principal.role == "inspector" and query["scope"] != "all"
    reports = await list_reports(ctx, principal, status=query["status"] or None, mine=mine)
    context: dict[str, Any] = {
        "reports": reports, "query": query, "mine": mine, "labels": REPORT_STATUS_LABELS, "error": error, "values": values or {}, "flash": flash,
        "evaluations": [], "enterprise": None, "waiting": None, "may_submit": False,
    }
    if principal.role == "enterprise_user" and principal.enterprise_id and allowed(principal.role, "dual_prevention.report_submit"):
        context.update(
            may_submit=True, enterprise=await get_enterprise(ctx, principal, principal.enterprise_id),
            evaluations=await _own_evaluations(ctx, principal, principal.enterprise_id),
            waiting=next((r for r in reports if r.status == "submitted"), None),
        )
    titles = _titles(state.plugins, {r.evaluator_id for r in reports} | {e.evaluator for e in context["evaluations"]})
    return render(request, principal, "dp_reports.html", section=_section(principal), status_code=status_code, titles=titles, **context)


@get("/dual-prevention/reports", name="console_dp_reports")
async def reports_page(request: Request, ctx: Context, state: State, principal: Principal, status: str = "", scope: str = "",
                       evaluation_id: str = "", saved: str = "") -> Template:
    """Reports in scope (an inspector's: those sent to them), newest first; an enterprise user's form to submit one."""
    return await _list_page(request, ctx, state, principal, status=status, scope=scope, values={"evaluation_id": evaluation_id},
                            flash=SAVED.get(saved))


@post("/dual-prevention/reports", name="console_dp_report_submit")
async def submit_form(request: Request, ctx: Context, state: State, principal: Principal) -> Response[Any]:
    """Send the chosen self-assessment to the enterprise's 联络员; refused: the list again, the message at its field."""
    require(principal.role, "dual_prevention.report_submit")
    form = await request.form()
    values = {"evaluation_id": forms.text(form, "evaluation_id"), "note": forms.text(form, "note")}
    try:
        if not values["evaluation_id"]:
            raise InvalidInput("evaluation_id required", "请选择要提交的自评估", field="evaluation_id")
        try:
            body = msgspec.convert(values, ReportIn)
        except msgspec.ValidationError as exc:
            field = field_path_of(str(exc)) or "note"
            raise InvalidInput(str(exc), f"说明最多{NOTE_MAX}字" if field == "note" else "请选择要提交的自评估", field=field) from exc
        report = await submit_report(ctx, principal, body)
    except AppError as exc:
        if exc.status_code in (403, 404) or exc.status_code >= 500:
            raise
        return await _list_page(request, ctx, state, principal, error=exc, values=values, status_code=exc.status_code)
    return Redirect(f"/dual-prevention/reports/{report.id}?saved=submitted", status_code=303)


def may_decide(principal: Principal, report: ReportOut) -> bool:
    """The 联络员 named on a waiting report (or an admin) may accept or return it."""
    return (allowed(principal.role, "dual_prevention.report_review") and report.status == "submitted"
            and (principal.is_admin or report.liaison_user_id == principal.user_id))


async def _report_page(request: Request, ctx: Context, state: State, principal: Principal, report_id: str, *, error: AppError | None = None,
                       values: dict[str, str] | None = None, flash: str | None = None, status_code: int = 200) -> Template:
    report, evaluation = await get_report(ctx, principal, report_id)
    earlier = [r for r in await list_reports(ctx, principal, enterprise_id=report.enterprise_id) if r.id != report.id]
    titles = _titles(state.plugins, {report.evaluator_id} | {r.evaluator_id for r in earlier})
    return render(
        request, principal, "dp_report.html", section=_section(principal), status_code=status_code, report=report, result=evaluation.result,
        evaluated_at=evaluation.created_at, earlier=earlier, titles=titles, may_decide=may_decide(principal, report), error=error,
        values=values or {}, flash=flash,
    )


@get("/dual-prevention/reports/{report_id:str}", name="console_dp_report")
async def report_page(request: Request, ctx: Context, state: State, principal: Principal, report_id: str, saved: str = "") -> Template:
    """One report: the self-assessment's score, conclusion and explanation, the PDF, and the 联络员's decision."""
    require(principal.role, "dual_prevention.read")
    return await _report_page(request, ctx, state, principal, report_id, flash=SAVED.get(saved))


@post("/dual-prevention/reports/{report_id:str}/decision", name="console_dp_report_decide")
async def decide_form(request: Request, ctx: Context, state: State, principal: Principal, report_id: str) -> Response[Any]:
    """Accept, or return with the reasons (required), at the page's version; refused: the page again, the message at its field."""
    require(principal.role, "dual_prevention.report_review")  # 403 before the report is looked up, as the API's
    form = await request.form()
    values = {"decision": forms.text(form, "decision"), "reason": forms.text(form, "reason")}
    try:
        if values["decision"] not in ("accept", "return"):
            raise InvalidInput("decision: accept or return", "请选择接收或退回", field="decision")
        if len(values["reason"]) > NOTE_MAX:
            raise InvalidInput("reason too long", f"退回理由最多{NOTE_MAX}字", field="reason")
        version = forms.integer(form, "expected_version")
        if version is None:
            raise InvalidInput("expected_version required", "页面已过期，请刷新后重试", field="expected_version")
        decided = await decide_report(ctx, principal, report_id, DecisionIn(decision=values["decision"], reason=values["reason"], expected_version=version))  # type: ignore[arg-type]
    except AppError as exc:
        if exc.status_code in (403, 404) or exc.status_code >= 500:
            raise
        return await _report_page(request, ctx, state, principal, report_id, error=exc, values=values, status_code=exc.status_code)
    return Redirect(f"/dual-prevention/reports/{decided.id}?saved={decided.status}", status_code=303)


@get("/dual-prevention/reports/{report_id:str}/report.pdf", name="console_dp_report_pdf", opt={"uncompressed": True})
async def report_pdf_file(ctx: Context, state: State, principal: Principal, report_id: str) -> Response[bytes]:
    """The report as the API prints it (score, conclusion, deductions, vetoes, review status, signature line)."""
    filename, pdf = await report_pdf(ctx, principal, state.plugins, report_id)
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(filename)}"})


ROUTES = [reports_page, submit_form, report_page, decide_form, report_pdf_file]
