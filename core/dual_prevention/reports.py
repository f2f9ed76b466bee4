"""评估报告: an enterprise submits its self-assessment to its 联络员, who accepts or returns it.

The report is a stored evaluation (core.evaluations) of one of the programme's standards for the
enterprise, made by the enterprise itself; the 联络员 is the enterprise's ``liaison_user_id`` at the
time of submitting. One report at a time waits for review. Every step is audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from sqlmodel import col, select

from core.access.permissions import require
from core.access.scope import Principal
from core.access.users import User
from core.context import Context
from core.dual_prevention.programme import load_programme
from core.dual_prevention.records import REPORT_STATUS_LABELS, EvaluationReport
from core.enterprises.records import Enterprise
from core.errors import Conflict, Forbidden, InvalidInput, not_found
from core.evaluations.records import Evaluation
from core.storage.audit_log import append_audit, snapshot


class ReportIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    evaluation_id: Annotated[str, msgspec.Meta(min_length=1, max_length=36)]
    note: Annotated[str, msgspec.Meta(max_length=500)] = ""


class DecisionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    decision: Literal["accept", "return"]
    reason: Annotated[str, msgspec.Meta(max_length=500)] = ""
    expected_version: int


class ReportOut(msgspec.Struct, kw_only=True):
    id: str
    enterprise_id: str
    enterprise_name: str
    evaluation_id: str
    evaluator_id: str
    percent: float | None
    grade: str | None
    passed: bool | None
    liaison_user_id: str
    liaison_name: str
    status: str
    status_label: str
    note: str
    submitted_by: str
    submitted_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str
    version: int


def _out(report: EvaluationReport, enterprise: Enterprise, evaluation: Evaluation, liaison: User | None) -> ReportOut:
    result = evaluation.result
    return ReportOut(
        id=report.id, enterprise_id=report.enterprise_id, enterprise_name=enterprise.name, evaluation_id=report.evaluation_id,
        evaluator_id=evaluation.evaluator_id, percent=result.get("percent"), grade=result.get("grade_label") or evaluation.grade,
        passed=result.get("passed"), liaison_user_id=report.liaison_user_id, liaison_name=liaison.username if liaison else "",
        status=report.status, status_label=REPORT_STATUS_LABELS[report.status], note=report.note, submitted_by=report.submitted_by,
        submitted_at=report.submitted_at, decided_by=report.decided_by, decided_at=report.decided_at,
        decision_reason=report.decision_reason, version=report.version,
    )


async def submit_report(ctx: Context, principal: Principal, data: ReportIn) -> ReportOut:
    """Send a self-assessment to the enterprise's 联络员."""
    require(principal.role, "dual_prevention.report_submit")
    programme = load_programme(ctx.settings.dual_prevention_programme)
    async with ctx.db.write() as session:
        evaluation = await session.get(Evaluation, data.evaluation_id)
        enterprise = await session.get(Enterprise, evaluation.enterprise_id) if evaluation else None
        if evaluation is None or enterprise is None or not principal.sees_enterprise(enterprise):
            raise not_found("evaluation", "评估记录")
        if evaluation.evaluator_id not in programme.report_evaluators:
            raise InvalidInput(
                f"{evaluation.evaluator_id} is not a standard a report may be made on ({', '.join(programme.report_evaluators)})",
                "该评估不是双重预防评估标准的评估，不能作为评估报告提交", field="evaluation_id",
            )
        if not enterprise.liaison_user_id:
            raise InvalidInput("the enterprise has no 联络员 yet", "企业尚未指定联络员，请联系属地监管部门", field="liaison_user_id")
        waiting = (await session.exec(select(EvaluationReport.id).where(col(EvaluationReport.enterprise_id) == enterprise.id, col(EvaluationReport.status) == "submitted"))).first()
        if waiting:
            raise Conflict("a report of this enterprise is still waiting for review", "企业已有待联络员审核的评估报告", field="evaluation_id", extra={"report_id": waiting})
        now = ctx.clock.now()
        report = EvaluationReport(
            enterprise_id=enterprise.id, evaluation_id=evaluation.id, liaison_user_id=enterprise.liaison_user_id, note=data.note,
            submitted_by=principal.user_id, submitted_at=now,
        )
        session.add(report)
        await session.flush()
        await append_audit(session, actor=principal.actor, action="evaluation_report_submitted", entity="evaluation_report", entity_id=report.id, at=now, after=snapshot(report))
        liaison = await session.get(User, report.liaison_user_id)
    return _out(report, enterprise, evaluation, liaison)


async def decide_report(ctx: Context, principal: Principal, report_id: str, data: DecisionIn) -> ReportOut:
    """The 联络员 accepts the report or returns it with reasons."""
    require(principal.role, "dual_prevention.report_review")
    async with ctx.db.write() as session:
        report = await session.get(EvaluationReport, report_id)
        enterprise = await session.get(Enterprise, report.enterprise_id) if report else None
        if report is None or enterprise is None or not principal.sees_enterprise(enterprise):
            raise not_found("evaluation report", "评估报告")
        if not principal.is_admin and report.liaison_user_id != principal.user_id:
            raise Forbidden("only the enterprise's 联络员 reviews its report", "只有该企业的联络员可以审核评估报告")
        if report.status != "submitted":
            raise Conflict(f"the report is already {report.status}", f"评估报告已{REPORT_STATUS_LABELS[report.status]}", field="decision")
        if data.expected_version != report.version:
            raise Conflict("the report changed meanwhile", "评估报告已被修改，请刷新后重试", field="expected_version", extra={"current_version": report.version})
        if data.decision == "return" and not data.reason.strip():
            raise InvalidInput("a returned report needs the reasons", "退回评估报告必须说明理由", field="reason")
        before = snapshot(report)
        now = ctx.clock.now()
        report.status = "accepted" if data.decision == "accept" else "returned"
        report.decided_by, report.decided_at, report.decision_reason = principal.user_id, now, data.reason.strip()
        report.version += 1
        session.add(report)
        await append_audit(session, actor=principal.actor, action=f"evaluation_report_{report.status}", entity="evaluation_report", entity_id=report.id, at=now, before=before, after=snapshot(report))
        evaluation = await session.get(Evaluation, report.evaluation_id)
        liaison = await session.get(User, report.liaison_user_id)
    return _out(report, enterprise, evaluation, liaison)  # type: ignore[arg-type]


async def list_reports(ctx: Context, principal: Principal, *, enterprise_id: str | None = None, status: str | None = None, mine: bool = False) -> list[ReportOut]:
    """Reports in the caller's scope, newest first; ``mine``: those waiting on the caller as 联络员."""
    require(principal.role, "dual_prevention.read")
    query = select(EvaluationReport, Enterprise, Evaluation, User).join(Enterprise, col(Enterprise.id) == col(EvaluationReport.enterprise_id)).join(
        Evaluation, col(Evaluation.id) == col(EvaluationReport.evaluation_id)).outerjoin(User, col(User.id) == col(EvaluationReport.liaison_user_id))
    query = query.where(*principal.enterprise_conditions())
    if enterprise_id:
        query = query.where(col(EvaluationReport.enterprise_id) == enterprise_id)
    if status:
        query = query.where(col(EvaluationReport.status) == status)
    if mine:
        query = query.where(col(EvaluationReport.liaison_user_id) == principal.user_id)
    async with ctx.db.read() as session:
        rows = (await session.exec(query.order_by(col(EvaluationReport.submitted_at).desc()).limit(500))).all()
    return [_out(r, e, ev, u) for r, e, ev, u in rows]


async def get_report(ctx: Context, principal: Principal, report_id: str) -> tuple[ReportOut, Evaluation]:
    """One report and its evaluation (for the PDF); 404 out of scope."""
    require(principal.role, "dual_prevention.read")
    async with ctx.db.read() as session:
        report = await session.get(EvaluationReport, report_id)
        enterprise = await session.get(Enterprise, report.enterprise_id) if report else None
        if report is None or enterprise is None or not principal.sees_enterprise(enterprise):
            raise not_found("evaluation report", "评估报告")
        evaluation = await session.get(Evaluation, report.evaluation_id)
        liaison = await session.get(User, report.liaison_user_id)
    return _out(report, enterprise, evaluation, liaison), evaluation  # type: ignore[arg-type]
