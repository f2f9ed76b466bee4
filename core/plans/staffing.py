"""Which enterprises of a plan no inspector can be sent to (无可派检查人员), read without generating.

Generation (``service.generate_in_session``) reports these as ``uncovered`` when it runs; a plan's
page shows them at any time, from the same rule (``eligible_inspectors``: an active inspector whose
scope covers the enterprise and who is not tied to it), counting only enterprises the caller sees.
"""

from __future__ import annotations

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.plans.inspector_ties import tied_pairs
from core.plans.service import UncoveredEnterprise, active_inspectors, eligible_inspectors, enterprises_in_scope, load_visible_plan

NO_INSPECTOR = "没有管辖范围覆盖该企业且无回避关系的检查人员"


async def unstaffed_enterprises(ctx: Context, principal: Principal, plan_id: str) -> list[UncoveredEnterprise]:
    """Enterprises in the plan's scope (and the caller's) with no eligible inspector, by id."""
    require(principal.role, "plan.read")
    async with ctx.db.read() as session:
        plan = await load_visible_plan(session, principal, plan_id)
        enterprises = [e for e in await enterprises_in_scope(session, plan.region_code, plan.industries) if principal.sees_enterprise(e)]
        inspectors = await active_inspectors(session)
        ties = await tied_pairs(session, [e.id for e in enterprises])
    return [
        UncoveredEnterprise(enterprise_id=e.id, name=e.name, reason=NO_INSPECTOR)
        for e in enterprises if not eligible_inspectors(e, inspectors, ties)
    ]
