"""A town's view (乡镇/县): per enterprise of the programme, whether its dual prevention is built
and used, and where its self-assessment report stands, against its deadline.

Built (“真建”): the register has points and no gaps (every point controlled, and at its level), and
the check lists are generated. Used (“真用”): of the self-check tasks that ended in the last
``used_window_days``, at least ``used_threshold`` were done. Complete: built, used and a report
accepted by the 联络员. An enterprise past its deadline and not complete is late.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Literal

import msgspec
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.dual_prevention.programme import load_programme
from core.dual_prevention.records import REPORT_STATUS_LABELS, EvaluationReport
from core.enterprises.records import Enterprise, EnterpriseIndustry
from core.local_time import local_date
from core.regions.codes import subtree_prefix
from core.risk_register.records import RiskPoint
from core.risk_register.summary import point_gaps
from core.self_checks.records import SelfCheckList, SelfCheckTask

Status = Literal["complete", "late", "in_progress", "not_started"]
STATUS_LABELS = {"complete": "已完成", "late": "逾期未完成", "in_progress": "建设中", "not_started": "未开始"}
MAX_ROWS = 2000


class ProgressRow(msgspec.Struct, kw_only=True):
    enterprise_id: str
    name: str
    region_code: str
    liaison_user_id: str | None
    deadline: date | None
    deadline_name: str | None
    points: int
    gaps: int
    check_lists: int
    built: bool
    tasks_ended: int
    tasks_done: int
    used: bool
    report_status: str | None
    report_status_label: str
    status: Status
    status_label: str


class ProgressOut(msgspec.Struct, kw_only=True):
    as_of: date
    enterprises: int
    by_status: dict[str, int]
    built: int
    used: int
    reports_accepted: int
    rows: list[ProgressRow]
    truncated: bool


async def _by_enterprise(session: AsyncSession, ids: list[str], since, now) -> tuple[dict, dict, dict, dict]:  # noqa: ANN001
    points: dict[str, list[RiskPoint]] = {}
    for p in (await session.exec(select(RiskPoint).where(col(RiskPoint.enterprise_id).in_(ids), col(RiskPoint.active).is_(True)))).all():
        points.setdefault(p.enterprise_id, []).append(p)
    lists = dict((await session.exec(select(SelfCheckList.enterprise_id, func.count()).where(col(SelfCheckList.enterprise_id).in_(ids), col(SelfCheckList.active).is_(True)).group_by(SelfCheckList.enterprise_id))).all())
    tasks: dict[str, Counter] = {}
    ended = select(SelfCheckTask.enterprise_id, SelfCheckTask.status, func.count()).where(
        col(SelfCheckTask.enterprise_id).in_(ids), col(SelfCheckTask.ends_at) > since, col(SelfCheckTask.ends_at) <= now, col(SelfCheckTask.status) != "cancelled",
    ).group_by(SelfCheckTask.enterprise_id, SelfCheckTask.status)
    for enterprise_id, status, count in (await session.exec(ended)).all():
        tasks.setdefault(enterprise_id, Counter())[status] += count
    reports: dict[str, str] = {}
    for enterprise_id, status in (await session.exec(select(EvaluationReport.enterprise_id, EvaluationReport.status).where(col(EvaluationReport.enterprise_id).in_(ids)).order_by(col(EvaluationReport.submitted_at)))).all():
        reports[enterprise_id] = status if reports.get(enterprise_id) != "accepted" else "accepted"  # an accepted report stays the standing one
    return points, lists, tasks, reports


async def programme_progress(
    ctx: Context, principal: Principal, *, region_code: str | None = None, liaison_user_id: str | None = None, status: Status | None = None,
) -> ProgressOut:
    """Every enterprise of the programme in the caller's scope (and ``region_code``), with its indicators."""
    require(principal.role, "dual_prevention.read")
    programme = load_programme(ctx.settings.dual_prevention_programme)
    now = ctx.clock.now()
    today = local_date(now)
    industry = select(EnterpriseIndustry.enterprise_id).where(col(EnterpriseIndustry.industry).in_(programme.industries))
    query = select(Enterprise).where(col(Enterprise.active).is_(True), col(Enterprise.id).in_(industry), *principal.enterprise_conditions())
    if region_code:
        query = query.where(col(Enterprise.region_code).startswith(subtree_prefix(region_code)))
    if liaison_user_id:
        query = query.where(col(Enterprise.liaison_user_id) == liaison_user_id)
    async with ctx.db.read() as session:
        enterprises = list((await session.exec(query.order_by(col(Enterprise.region_code), col(Enterprise.name)).limit(MAX_ROWS + 1))).all())
        truncated = len(enterprises) > MAX_ROWS
        enterprises = enterprises[:MAX_ROWS]
        points, lists, tasks, reports = await _by_enterprise(session, [e.id for e in enterprises], now - timedelta(days=programme.used_window_days), now)
    rows = []
    for e in enterprises:
        deadline = programme.deadline_for(e.high_risk_flags, e.production_kind)
        own = points.get(e.id, [])
        gaps = sum(len(point_gaps(p)) for p in own)
        built = bool(own) and gaps == 0 and lists.get(e.id, 0) > 0
        counted = tasks.get(e.id, Counter())
        ended = sum(counted.values())
        used = ended > 0 and counted["done"] / ended >= programme.used_threshold
        report = reports.get(e.id)
        if built and used and report == "accepted":
            state: Status = "complete"
        elif deadline and today > deadline.due:
            state = "late"
        elif own or report:
            state = "in_progress"
        else:
            state = "not_started"
        rows.append(ProgressRow(
            enterprise_id=e.id, name=e.name, region_code=e.region_code, liaison_user_id=e.liaison_user_id,
            deadline=deadline.due if deadline else None, deadline_name=deadline.name if deadline else None, points=len(own), gaps=gaps,
            check_lists=lists.get(e.id, 0), built=built, tasks_ended=ended, tasks_done=counted["done"], used=used,
            report_status=report, report_status_label=REPORT_STATUS_LABELS.get(report or "", "未提交"), status=state, status_label=STATUS_LABELS[state],
        ))
    by_status = Counter(r.status for r in rows)
    shown = [r for r in rows if status is None or r.status == status]
    return ProgressOut(
        as_of=today, enterprises=len(rows), by_status={s: by_status.get(s, 0) for s in STATUS_LABELS}, built=sum(r.built for r in rows),
        used=sum(r.used for r in rows), reports_accepted=sum(r.report_status == "accepted" for r in rows), rows=shown, truncated=truncated,
    )
