"""The world of the field-app tests: one migrated database with an admin, two inspectors of
different scopes, enterprises of 广汉市, an assignment of an annual plan, a past (paper) inspection
and hazards in known states. The built-in checklists are published by the server itself when it
starts (plugins)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from core.access.scope import Principal
from core.access.user_service import create_user
from core.access.wire import UserIn
from core.bootstrap import prepare_database
from core.enterprises.service import create_enterprise
from core.enterprises.wire import EnterpriseIn
from core.hazards.service import create_hazard, transition_hazard
from core.hazards.wire import HazardIn, TransitionIn
from core.inspections.records import record_inspection_in_session
from core.plans.assignments import Assignment
from core.plans.records import InspectionPlan
from core.plans.service import add_assignment
from core.storage.audit_log import SYSTEM
from server import build_context
from tests.conftest import PASSWORD, make_settings, valid_uscc


@dataclass
class World:
    enterprise_id: str  # 广汉市红星化工有限公司 (hazchem): the one inspected
    other_enterprise_id: str  # insp2's (fire), never visible to insp1
    assignment_id: str
    reported_hazard_id: str  # reported: waits for 下达限期整改
    rectifying_hazard_id: str  # rectifying: waits for 报告整改完成
    inspector_id: str
    plan_title: str  # the assignment's annual plan
    past_inspection_id: str  # a paper inspection of the enterprise 40 days ago, by insp1


def _enterprise(name: str, industries: list[str], **extra: object) -> EnterpriseIn:
    return EnterpriseIn(name=name, uscc=valid_uscc(), region_code="510681", industries=industries, scale="small_micro", **extra)  # type: ignore[arg-type]


async def _seed(db_url: str, data_dir: str) -> World:
    ctx = build_context(make_settings(db_url, data_dir))
    try:
        await prepare_database(ctx.db)
        admin_id = (await create_user(ctx, SYSTEM, UserIn(username="root", password=PASSWORD, role="admin"))).id  # type: ignore[arg-type]
        inspector = await create_user(
            ctx, SYSTEM, UserIn(username="insp1", password=PASSWORD, role="inspector", display_name="张检查", region_code="510681", industries=["hazchem"]),  # type: ignore[arg-type]
        )
        await create_user(
            ctx, SYSTEM, UserIn(username="insp2", password=PASSWORD, role="inspector", display_name="李消防", region_code="510681", industries=["fire"]),  # type: ignore[arg-type]
        )
        admin = Principal(user_id=admin_id, username="root", role="admin")
        officer = Principal(user_id=inspector.id, username="insp1", role="inspector", region_code="510681", industries=("hazchem",))
        main = await create_enterprise(ctx, admin, _enterprise(
            "广汉市红星化工有限公司", ["hazchem"], address="四川省德阳市广汉市南丰镇化工园区8号", legal_representative="王建国",
            safety_manager="刘安全", safety_manager_phone="0838-5123456", risk_level="high", high_risk_flags=["hazardous_process"],
        ))
        for i, name in enumerate(["广汉市金鑫化工有限公司", "广汉市蓝天气体有限公司", "广汉市宏达化学品经营部"]):
            await create_enterprise(ctx, admin, _enterprise(name, ["hazchem"], address=f"四川省德阳市广汉市向阳镇工业路{i + 3}号", risk_level="moderate"))
        other = await create_enterprise(ctx, admin, _enterprise("广汉市万达购物广场", ["fire"], address="广汉市北京大道100号"))
        now = datetime.now(UTC)
        plan = InspectionPlan(year=now.year, title=f"{now.year}年度危险化学品执法检查计划", region_code="510681", industries=["hazchem"], created_at=now, updated_at=now)
        plan_id, plan_title = plan.id, plan.title
        async with ctx.db.write() as session:
            session.add(plan)
        assignment = Assignment(
            slot_key=f"web:{main.id}", kind="plan", plan_id=plan_id, enterprise_id=main.id, inspector_id=inspector.id, region_code="510681", industries=["hazchem"],
            due_from=date.today() - timedelta(days=3), due_until=date.today() + timedelta(days=20), created_at=now, updated_at=now,
        )
        async with ctx.db.write() as session:
            await add_assignment(session, ctx, assignment)
        async with ctx.db.write() as session:
            past_id = (await record_inspection_in_session(session, ctx, admin, enterprise_id=main.id, inspected_at=now - timedelta(days=40), inspector_id=inspector.id)).id
        reported = await create_hazard(ctx, officer, HazardIn(  # type: ignore[call-arg]
            enterprise_id=main.id, level="general", description="消防通道堆放杂物", location="3号仓库北侧",
        ))
        rectifying = await create_hazard(ctx, officer, HazardIn(  # type: ignore[call-arg]
            enterprise_id=main.id, level="general", description="配电箱未设置漏电保护器", location="机修车间",
        ))
        await transition_hazard(ctx, officer, rectifying.id, TransitionIn(  # type: ignore[call-arg]
            to_status="rectifying", deadline=now + timedelta(days=10), responsible_person="刘安全",
        ))
        return World(main.id, other.id, assignment.id, reported.id, rectifying.id, inspector.id, plan_title, past_id)
    finally:
        await ctx.db.dispose()


def seed(db_url: str, data_dir: str) -> World:
    """Seed in a thread of its own: playwright's sync API keeps an event loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _seed(db_url, data_dir)).result()
