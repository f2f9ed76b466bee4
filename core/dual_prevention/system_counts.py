"""What the dual-prevention evaluation can count from anjian's own records instead of asking.

The counts feed the standard's ``computed`` rules (plugins/evaluator.py ``SystemFact``): whether
the register exists and is complete, whether the 四色分布图 and the check lists were made from it,
whether self-checks happened on time and hazards were rectified on time, over the past 12 months.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.hazards.records import OPEN_STATUSES, Hazard
from core.risk_register.records import RiskPoint
from core.risk_register.summary import lacks_level_control
from core.self_checks.records import SelfCheckList, SelfCheckRecord, SelfCheckTask

YEAR = timedelta(days=365)


async def system_counts(session: AsyncSession, enterprise_id: str, now: datetime) -> dict[str, int]:
    """Every ``SystemFact`` of one enterprise at ``now``."""
    since = now - YEAR
    points = list((await session.exec(select(RiskPoint).where(col(RiskPoint.enterprise_id) == enterprise_id, col(RiskPoint.active).is_(True)))).all())
    lists = list((await session.exec(select(SelfCheckList).where(col(SelfCheckList.enterprise_id) == enterprise_id, col(SelfCheckList.active).is_(True)))).all())
    generated_at = max((item.updated_at for item in lists), default=None)
    # Controls of points changed after the latest generation are not in any check list yet.
    stale = sum(len(p.controls) for p in points if generated_at is None or p.updated_at > generated_at) if lists else sum(len(p.controls) for p in points)
    missed = (await session.exec(select(func.count()).select_from(SelfCheckTask).where(
        col(SelfCheckTask.enterprise_id) == enterprise_id, col(SelfCheckTask.status) == "missed", col(SelfCheckTask.ends_at) > since,
    ))).one()
    done = (await session.exec(select(func.count()).select_from(SelfCheckRecord).where(
        col(SelfCheckRecord.enterprise_id) == enterprise_id, col(SelfCheckRecord.finished_at) > since,
    ))).one()
    deadline, rectified = col(Hazard.deadline), col(Hazard.rectified_at)
    late = (await session.exec(select(func.count()).select_from(Hazard).where(
        col(Hazard.enterprise_id) == enterprise_id, deadline > since, deadline < now,
        or_(and_(rectified.is_(None), col(Hazard.status).in_(OPEN_STATUSES)), rectified > deadline),
    ))).one()
    return {
        "no_register": 0 if points else 1,
        "points_without_controls": sum(1 for p in points if not p.controls),
        "points_missing_level_control": sum(1 for p in points if lacks_level_control(p)),
        "no_four_colour_map": 0 if any(p.plan_x is not None or p.plan_area for p in points) else 1,
        "no_check_lists": 0 if lists else 1,
        "controls_without_check_item": stale,
        "no_self_checks": 0 if done else 1,
        "self_check_tasks_missed": int(missed),
        "hazards_late": int(late),
    }
