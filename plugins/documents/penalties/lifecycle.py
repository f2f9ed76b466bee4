"""The stages of a 行政处罚 case: 立案, 告知, 决定, 履行 — each once, in order, audited.

A step reads the case with a row lock and checks its stage inside the write transaction, so two
requests racing for the same step cannot both pass. Dates are calendar dates in the deployment's
zone and must not run backwards or into the future.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import col, select

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import Conflict, InvalidInput, not_found
from core.hazards.records import Hazard
from core.inspections.records import Inspection
from core.local_time import local_date
from core.storage.audit_log import append_audit, snapshot
from plugins.documents.penalties.handlers import check_handlers
from plugins.documents.penalties.records import STAGE_LABELS, PenaltyCase
from plugins.documents.penalties.views import load_visible, outs
from plugins.documents.penalties.wire import PenaltyDecisionIn, PenaltyFileIn, PenaltyFulfilmentIn, PenaltyNoticeIn, PenaltyOut

ENTITY = "penalty_case"


def _wrong_stage(row: PenaltyCase, needed: str, step_zh: str) -> Conflict:
    return Conflict(
        f"penalty case is {row.status}, this step needs it {needed}",
        f"案件当前为“{STAGE_LABELS[row.status]}”，{step_zh}须在“{STAGE_LABELS[needed]}”之后进行",
        field="status", code="penalty_stage", extra={"status": row.status, "needed": needed},
    )


def _date_between(name: str, value: date, earliest: date | None, today: date, earliest_zh: str) -> None:
    if value > today:
        raise InvalidInput(f"{name} {value} is in the future", f"{name} 不能晚于今天", field=name)
    if earliest is not None and value < earliest:
        raise InvalidInput(f"{name} {value} is before {earliest}", f"{name} 不能早于{earliest_zh}（{earliest}）", field=name)


async def _enterprise(session: Any, principal: Principal, enterprise_id: str) -> Enterprise:
    enterprise = await session.get(Enterprise, enterprise_id.strip().lower())
    if enterprise is None or not enterprise.active or not principal.sees_enterprise(enterprise):
        error = not_found("enterprise", "企业")
        error.field = "enterprise_id"
        raise error
    return enterprise


async def _linked(session: Any, data: PenaltyFileIn, enterprise: Enterprise) -> tuple[str | None, list[str]]:
    """The inspection and hazards the case arises from; each must be of the same enterprise."""
    inspection_id = data.inspection_id.strip().lower() if data.inspection_id else None
    if inspection_id is not None:
        inspection = await session.get(Inspection, inspection_id)
        if inspection is None or inspection.enterprise_id != enterprise.id:
            raise InvalidInput("inspection_id is not an inspection of this enterprise", "检查记录不属于该企业", field="inspection_id")
    hazard_ids = list(dict.fromkeys(h.strip().lower() for h in data.hazard_ids))
    if hazard_ids:
        found = set((await session.exec(select(Hazard.id).where(col(Hazard.id).in_(hazard_ids), col(Hazard.enterprise_id) == enterprise.id))).all())
        for index, hazard_id in enumerate(hazard_ids):
            if hazard_id not in found:
                raise InvalidInput(f"hazard {hazard_id} is not a hazard of this enterprise", "隐患不属于该企业", field=f"hazard_ids[{index}]")
    return inspection_id, hazard_ids


async def file_case(ctx: Context, principal: Principal, data: PenaltyFileIn) -> PenaltyOut:
    """立案: 404 for an enterprise out of scope; 409 naming each handler without a 执法证 or scope."""
    require(principal.role, "penalty.manage")
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        enterprise = await _enterprise(session, principal, data.enterprise_id)
        handlers = await check_handlers(session, data.handlers, enterprise)
        inspection_id, hazard_ids = await _linked(session, data, enterprise)
        row = PenaltyCase(
            enterprise_id=enterprise.id, region_code=enterprise.region_code, industries=list(enterprise.industries), inspection_id=inspection_id,
            hazard_ids=hazard_ids, status="filed", cause=data.cause.strip(), handlers=handlers, filed_by=principal.user_id, filed_at=now, updated_at=now,
        )
        if not row.cause:
            raise InvalidInput("cause must not be blank", "案由不能为空", field="cause")
        session.add(row)
        await session.flush()
        await append_audit(session, actor=principal.actor, action="penalty.file", entity=ENTITY, entity_id=row.id, at=now, after=snapshot(row))
        return (await outs(session, [row]))[0]


async def _step(ctx: Context, principal: Principal, case_id: str, needed: str, step_zh: str, action: str, apply: Any) -> PenaltyOut:
    """Lock the case, check its stage, ``apply(row, today)`` the step, bump the version, audit it."""
    require(principal.role, "penalty.manage")
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        row, _ = await load_visible(session, principal, case_id, for_update=True)
        if row.status != needed:
            raise _wrong_stage(row, needed, step_zh)
        before = snapshot(row)
        apply(row, local_date(now), now)
        row.version += 1
        row.updated_at = now
        session.add(row)
        await session.flush()
        await append_audit(session, actor=principal.actor, action=action, entity=ENTITY, entity_id=row.id, at=now, before=before, after=snapshot(row))
        return (await outs(session, [row]))[0]


async def notify(ctx: Context, principal: Principal, case_id: str, data: PenaltyNoticeIn) -> PenaltyOut:
    """告知 (第四十四条): the proposed penalty, its facts, the provisions violated and the basis."""

    def apply(row: PenaltyCase, today: date, now: Any) -> None:
        _date_between("notified_on", data.notified_on, local_date(row.filed_at), today, "立案日期")
        for name in ("facts", "violated", "basis", "proposed"):
            value = getattr(data, name).strip()
            if not value:
                raise InvalidInput(f"{name} must not be blank", f"{name} 不能为空", field=name)
            setattr(row, name, value)
        row.proposed_fine_yuan = data.proposed_fine_yuan
        row.notified_on = data.notified_on
        row.notified_at = now
        row.status = "notified"

    return await _step(ctx, principal, case_id, "filed", "告知", "penalty.notify", apply)


def _check_decision(row: PenaltyCase, data: PenaltyDecisionIn) -> None:
    """第四十五条: not heavier than notified; 第六十七条 (罚缴分离): a fine names where it is paid."""
    if data.fine_yuan is not None and (row.proposed_fine_yuan is None or data.fine_yuan > row.proposed_fine_yuan):
        proposed = "no fine" if row.proposed_fine_yuan is None else f"{row.proposed_fine_yuan} yuan"
        raise Conflict(
            f"the fine decided ({data.fine_yuan} yuan) is heavier than the one notified ({proposed})",
            f"决定的罚款（{data.fine_yuan} 元）重于告知的拟处罚（{'未拟罚款' if row.proposed_fine_yuan is None else f'{row.proposed_fine_yuan} 元'}），"
            "不得因当事人陈述、申辩而加重处罚；如需加重，应重新告知",
            field="fine_yuan", code="heavier_than_notified",
        )
    if data.fine_yuan:
        for name, zh in (("payee", "罚款缴纳机构"), ("account", "缴款账号")):
            if not getattr(data, name).strip():
                raise InvalidInput(f"{name} is required for a fine", f"处以罚款时须填写{zh}", field=name)


async def decide(ctx: Context, principal: Principal, case_id: str, data: PenaltyDecisionIn) -> PenaltyOut:
    """决定: after the notice, never heavier than notified; the party's statement recorded."""

    def apply(row: PenaltyCase, today: date, now: Any) -> None:
        _date_between("decided_on", data.decided_on, row.notified_on, today, "告知日期")
        _check_decision(row, data)
        if not data.decision.strip():
            raise InvalidInput("decision must not be blank", "处罚决定不能为空", field="decision")
        row.statement = data.statement.strip()
        row.hearing = data.hearing
        row.decision = data.decision.strip()
        row.fine_yuan = data.fine_yuan
        row.payee = data.payee.strip()
        row.account = data.account.strip()
        row.decided_on = data.decided_on
        row.decided_at = now
        row.status = "decided"

    return await _step(ctx, principal, case_id, "notified", "作出决定", "penalty.decide", apply)


async def fulfil(ctx: Context, principal: Principal, case_id: str, data: PenaltyFulfilmentIn) -> PenaltyOut:
    """履行: the whole fine paid (a receipt number for a fine), on or after the decision."""

    def apply(row: PenaltyCase, today: date, now: Any) -> None:
        _date_between("paid_on", data.paid_on, row.decided_on, today, "决定日期")
        if row.fine_yuan and data.paid_yuan < row.fine_yuan:
            raise InvalidInput(
                f"paid_yuan {data.paid_yuan} is less than the fine of {row.fine_yuan} yuan",
                f"缴纳金额 {data.paid_yuan} 元少于罚款 {row.fine_yuan} 元", field="paid_yuan",
            )
        if row.fine_yuan and not data.receipt_no.strip():
            raise InvalidInput("receipt_no is required for a paid fine", "缴纳罚款须填写缴款凭证号", field="receipt_no")
        row.paid_yuan = data.paid_yuan
        row.paid_on = data.paid_on
        row.receipt_no = data.receipt_no.strip()
        row.fulfilment_note = data.note.strip()
        row.fulfilled_at = now
        row.status = "fulfilled"

    return await _step(ctx, principal, case_id, "decided", "登记履行", "penalty.fulfil", apply)
