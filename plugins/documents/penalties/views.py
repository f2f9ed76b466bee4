"""Reading 行政处罚 cases back, always in scope: whoever sees the enterprise sees its cases."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import require
from core.access.scope import Principal
from core.access.users import User
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import not_found
from core.wire import Page
from plugins.documents.penalties.records import STAGE_LABELS, PenaltyCase
from plugins.documents.penalties.wire import HandlerOut, PenaltyOut


async def load_visible(session: AsyncSession, principal: Principal, case_id: str, *, for_update: bool = False) -> tuple[PenaltyCase, Enterprise]:
    """The case and its enterprise if the caller sees the enterprise; the 404 of an absent case otherwise."""
    row = await session.get(PenaltyCase, case_id.strip().lower(), with_for_update=for_update)
    enterprise = await session.get(Enterprise, row.enterprise_id) if row is not None else None
    if row is None or enterprise is None or not principal.sees_enterprise(enterprise):
        raise not_found("penalty case", "行政处罚案件")
    return row, enterprise


async def _names(session: AsyncSession, user_ids: set[str]) -> dict[str, str]:
    if not user_ids:
        return {}
    rows = (await session.exec(select(User.id, User.display_name, User.username).where(col(User.id).in_(sorted(user_ids))))).all()
    return {user_id: display or username for user_id, display, username in rows}


async def outs(session: AsyncSession, rows: list[PenaltyCase]) -> list[PenaltyOut]:
    names = await _names(session, {h for row in rows for h in row.handlers})
    return [
        PenaltyOut(
            id=row.id, enterprise_id=row.enterprise_id, inspection_id=row.inspection_id, hazard_ids=list(row.hazard_ids),
            status=row.status, status_label=STAGE_LABELS[row.status], version=row.version, cause=row.cause,
            handlers=[HandlerOut(user_id=h, name=names.get(h, "")) for h in row.handlers], filed_by=row.filed_by, filed_at=row.filed_at,
            facts=row.facts, violated=row.violated, basis=row.basis, proposed=row.proposed, proposed_fine_yuan=row.proposed_fine_yuan,
            notified_on=row.notified_on, statement=row.statement, hearing=row.hearing, decision=row.decision, fine_yuan=row.fine_yuan,
            payee=row.payee, account=row.account, decided_on=row.decided_on, paid_yuan=row.paid_yuan, paid_on=row.paid_on,
            receipt_no=row.receipt_no, fulfilment_note=row.fulfilment_note, updated_at=row.updated_at,
        )
        for row in rows
    ]


async def get_penalty(ctx: Context, principal: Principal, case_id: str) -> PenaltyOut:
    require(principal.role, "penalty.read")
    async with ctx.db.read() as session:
        row, _ = await load_visible(session, principal, case_id)
        return (await outs(session, [row]))[0]


async def list_penalties(
    ctx: Context, principal: Principal, *, enterprise_id: str | None = None, status: str | None = None, page: int = 1, page_size: int = 50,
) -> Page[PenaltyOut]:
    """Cases of enterprises in scope, newest first; ``total`` counts only those."""
    require(principal.role, "penalty.read")
    conditions = principal.enterprise_conditions()
    if enterprise_id is not None:
        conditions.append(col(PenaltyCase.enterprise_id) == enterprise_id)
    if status is not None:
        conditions.append(col(PenaltyCase.status) == status)
    joined = col(PenaltyCase.enterprise_id) == col(Enterprise.id)
    async with ctx.db.read() as session:
        total = (await session.exec(select(func.count()).select_from(PenaltyCase).join(Enterprise, joined).where(*conditions))).one()
        rows = (await session.exec(
            select(PenaltyCase).join(Enterprise, joined).where(*conditions)
            .order_by(col(PenaltyCase.filed_at).desc(), col(PenaltyCase.id)).offset((page - 1) * page_size).limit(page_size)
        )).all()
        return Page(items=await outs(session, list(rows)), total=total, page=page, page_size=page_size)
