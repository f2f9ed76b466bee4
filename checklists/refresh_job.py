"""The ``check_list_refresh`` job: regenerate an enterprise's 隐患排查清单 once its register changed.

Generation runs when someone asks (the console's button, the API), because core's register may not
call up into ``checklists``. This hourly job catches what nobody asked for: every enterprise whose
latest risk-point change is newer than its latest generation (or that was never generated) is
generated again by the system, exactly as the button would do it — nothing is published when
nothing changed, and every run is audited. Registers without any control are left alone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, func, select

from checklists.generated import generate_check_lists
from core.access.scope import Principal
from core.context import Context
from core.errors import InvalidInput
from core.risk_register.records import RiskPoint
from core.scheduler.catalogue import JobSpec, hour_period
from core.storage.audit_log import AuditEntry

GENERATE_ACTION = "check_list.generate"
SYSTEM_PRINCIPAL = Principal(user_id="system", username="system", role="admin")


async def stale_registers(ctx: Context) -> list[str]:
    """Enterprises whose register changed after their check lists were last generated."""
    async with ctx.db.read() as session:
        changed = dict((await session.exec(select(RiskPoint.enterprise_id, func.max(RiskPoint.updated_at)).group_by(RiskPoint.enterprise_id))).all())
        if not changed:
            return []
        generated = dict((await session.exec(
            select(AuditEntry.entity_id, func.max(AuditEntry.at)).where(col(AuditEntry.action) == GENERATE_ACTION, col(AuditEntry.entity_id).in_(sorted(changed)))
            .group_by(AuditEntry.entity_id)
        )).all())
    return sorted(e for e, at in changed.items() if e not in generated or at > generated[e])


async def refresh_check_lists(ctx: Context, now: datetime) -> dict[str, Any]:
    """Generate the lists of every stale register; what was published and retired."""
    published = retired = empty = 0
    stale = await stale_registers(ctx)
    for enterprise_id in stale:
        try:
            outcome = await generate_check_lists(ctx, SYSTEM_PRINCIPAL, enterprise_id)
        except InvalidInput:  # no controls yet, nothing ever generated: nothing to do
            empty += 1
            continue
        published += len(outcome.published)
        retired += len(outcome.retired)
    return {"registers": len(stale), "lists_published": published, "lists_retired": retired, "without_controls": empty}


CHECK_LIST_REFRESH_JOB = JobSpec(
    "check_list_refresh",
    "风险清单变更后重新生成企业隐患排查清单 (regenerate check lists of registers changed since their last generation)",
    refresh_check_lists,
    hour_period,
    {"minute": 5},
)
