"""What the safety-code rule looks at, counted from the enterprise's hazards and risk register."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import case
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.hazards.deadlines import overdue_condition
from core.hazards.records import OPEN_STATUSES, Hazard
from core.risk_register.records import RiskPoint

Fact = Literal["open", "overdue", "listed_open", "major_open", "major_overdue", "risk_major", "risk_high", "risk_moderate", "register_empty"]
FACT_LABELS = {
    "open": "未销号隐患",
    "overdue": "逾期未整改隐患",
    "listed_open": "挂牌督办未销号隐患",
    "major_open": "未销号重大事故隐患",
    "major_overdue": "逾期未整改重大事故隐患",
    "risk_major": "重大风险（红）风险点",
    "risk_high": "较大风险（橙）风险点",
    "risk_moderate": "一般风险（黄）风险点",
    "register_empty": "尚未建立风险清单（无风险点）",
}


def _count(condition) -> object:  # noqa: ANN001 - a SQL boolean
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


async def enterprise_facts(session: AsyncSession, enterprise_id: str, now: datetime) -> dict[str, int]:
    """Every fact of one enterprise, in two small queries (its open hazards; its active points)."""
    overdue = overdue_condition(now)
    major = col(Hazard.level) == "major"
    row = (await session.exec(
        select(func.count(), _count(overdue), _count(col(Hazard.listed_supervision).is_(True)), _count(major), _count(major & overdue))
        .select_from(Hazard).where(col(Hazard.enterprise_id) == enterprise_id, col(Hazard.status).in_(OPEN_STATUSES))
    )).one()
    levels = dict((await session.exec(
        select(RiskPoint.risk_level, func.count()).where(col(RiskPoint.enterprise_id) == enterprise_id, col(RiskPoint.active).is_(True)).group_by(RiskPoint.risk_level)
    )).all())
    return {
        "open": int(row[0]), "overdue": int(row[1]), "listed_open": int(row[2]), "major_open": int(row[3]), "major_overdue": int(row[4]),
        "risk_major": levels.get("major", 0), "risk_high": levels.get("high", 0), "risk_moderate": levels.get("moderate", 0),
        "register_empty": 0 if sum(levels.values()) else 1,
    }
