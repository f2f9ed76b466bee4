"""What a random draw left out on purpose: its 回避 exclusions, each with the tie's reason.

A draw records its candidates after removing tied pairs (``random_draw_service.run_draw``), not
the pairs it removed. The removed ones are the ties on record for its candidate enterprises that
existed when it ran and whose inspector is absent from that enterprise's candidates — a tie
declared later, or one the draw's candidates contradict, is not reported as an exclusion. A tie
removed since cannot be shown (its reason is in the audit log). Only enterprises the caller sees.
"""

from __future__ import annotations

import msgspec
from sqlmodel import col, select

from core.access.scope import Principal
from core.access.users import User
from core.context import Context
from core.enterprises.records import Enterprise
from core.plans.inspector_ties import InspectorTie
from core.plans.random_draw_service import get_draw
from core.plans.random_draws import RandomDraw


class DrawExclusion(msgspec.Struct, kw_only=True):
    enterprise_id: str
    enterprise_name: str
    inspector_id: str
    inspector_name: str
    reason: str


async def draw_exclusions(ctx: Context, principal: Principal, draw_id: str) -> list[DrawExclusion]:
    """The tied (inspector, enterprise) pairs this draw excluded, for enterprises the caller sees."""
    shown = await get_draw(ctx, principal, draw_id)  # plan.read and scope, 404 as the API's
    async with ctx.db.read() as session:
        record = await session.get(RandomDraw, shown.id)
        assert record is not None
        query = (
            select(InspectorTie, Enterprise.name, User.display_name, User.username)
            .join(Enterprise, col(Enterprise.id) == col(InspectorTie.enterprise_id))
            .outerjoin(User, col(User.id) == col(InspectorTie.inspector_id))
            .where(col(InspectorTie.enterprise_id).in_(list(shown.candidates)), col(InspectorTie.created_at) <= record.created_at)
            .order_by(col(Enterprise.name), col(InspectorTie.inspector_id))
        )
        rows = (await session.exec(query)).all()
    return [
        DrawExclusion(enterprise_id=tie.enterprise_id, enterprise_name=name, inspector_id=tie.inspector_id,
                      inspector_name=display or username or tie.inspector_id, reason=tie.reason)
        for tie, name, display, username in rows if tie.inspector_id not in shown.candidates.get(tie.enterprise_id, [])
    ]
