"""The world of the console's browser tests: one migrated database with the 安委办 admin, an
enterprise user, and hazards of 广汉市 in the states the scenarios need — one overdue for 30 days
(registered and ordered 40 days ago: services refuse a past deadline, so the seeding clock is moved
back), one major hazard (挂牌督办 at once), and one being rectified by the enterprise."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.access.scope import Principal
from core.access.user_service import create_user
from core.access.wire import UserIn
from core.bootstrap import prepare_database
from core.clock import FrozenClock
from core.enterprises.service import create_enterprise
from core.enterprises.wire import EnterpriseIn
from core.hazards.service import create_hazard, transition_hazard
from core.hazards.wire import HazardIn, TransitionIn
from core.storage.audit_log import SYSTEM
from server import build_context
from tests.conftest import PASSWORD, make_settings, valid_uscc


@dataclass
class ConsoleWorld:
    enterprise_id: str  # 广汉市红星化工有限公司: the enterprise user's
    overdue_hazard_id: str  # rectifying, deadline 30 days ago: overdue, not yet listed
    major_hazard_id: str  # listed at registration
    rectifying_hazard_id: str  # the enterprise user reports its rectification
    other_enterprise_id: str  # 广汉市万达购物广场 (fire): not the enterprise user's


def _enterprise(name: str, industries: list[str], **extra: object) -> EnterpriseIn:
    return EnterpriseIn(name=name, uscc=valid_uscc(), region_code="510681", industries=industries, scale="small_micro", **extra)  # type: ignore[arg-type]


async def _seed(db_url: str, data_dir: str) -> ConsoleWorld:
    now = datetime.now(UTC)
    earlier = now - timedelta(days=40)
    ctx = build_context(make_settings(db_url, data_dir))
    past = build_context(make_settings(db_url, data_dir), clock=FrozenClock(earlier))
    try:
        await prepare_database(ctx.db)
        admin_id = (await create_user(ctx, SYSTEM, UserIn(username="root", password=PASSWORD, role="admin", display_name="安委办"))).id  # type: ignore[arg-type]
        admin = Principal(user_id=admin_id, username="root", role="admin")
        main = await create_enterprise(ctx, admin, _enterprise(
            "广汉市红星化工有限公司", ["hazchem"], address="四川省德阳市广汉市南丰镇化工园区8号", legal_representative="王建国",
            safety_manager="刘安全", safety_manager_phone="0838-5123456", risk_level="high", high_risk_flags=["hazardous_process"],
        ))
        for i, (name, risk) in enumerate([("广汉市金鑫化工有限公司", "moderate"), ("广汉市蓝天气体有限公司", "low"), ("广汉市宏达化学品经营部", "major")]):
            await create_enterprise(ctx, admin, _enterprise(name, ["hazchem"], address=f"四川省德阳市广汉市向阳镇工业路{i + 3}号", risk_level=risk))
        other = await create_enterprise(ctx, admin, _enterprise("广汉市万达购物广场", ["fire"], address="广汉市北京大道100号"))
        await create_user(ctx, admin.actor, UserIn(username="qiye1", password=PASSWORD, role="enterprise_user", display_name="刘安全", enterprise_id=main.id))  # type: ignore[arg-type]
        overdue = await create_hazard(past, admin, HazardIn(enterprise_id=main.id, level="general", description="液氨储罐区可燃气体报警器失效", location="液氨储罐区"))  # type: ignore[call-arg]
        await transition_hazard(past, admin, overdue.id, TransitionIn(to_status="rectifying", deadline=earlier + timedelta(days=10), responsible_person="刘安全"))  # type: ignore[call-arg]
        major = await create_hazard(ctx, admin, HazardIn(enterprise_id=other.id, level="major", description="商场疏散通道被锁闭", location="负一层东侧"))  # type: ignore[call-arg]
        rectifying = await create_hazard(ctx, admin, HazardIn(enterprise_id=main.id, level="general", description="配电箱未设置漏电保护器", location="机修车间"))  # type: ignore[call-arg]
        await transition_hazard(ctx, admin, rectifying.id, TransitionIn(to_status="rectifying", deadline=now + timedelta(days=10), responsible_person="刘安全"))  # type: ignore[call-arg]
        return ConsoleWorld(main.id, overdue.id, major.id, rectifying.id, other.id)
    finally:
        await ctx.db.dispose()
        await past.db.dispose()


def seed(db_url: str, data_dir: str) -> ConsoleWorld:
    """Seed in a thread of its own: playwright's sync API keeps an event loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _seed(db_url, data_dir)).result()
