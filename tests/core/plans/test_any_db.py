"""Plans, draws, inspections, reports and snapshots through the services on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from core.access.scope import Principal
from core.access.user_service import create_user
from core.access.wire import UserIn
from core.bootstrap import prepare_database
from core.clock import FrozenClock
from core.hazards.service import create_hazard_in_session
from core.hazards.wire import HazardIn
from core.inspections.records import record_inspection_in_session
from core.plans.random_draw_service import DrawIn, run_draw, verify_draw
from core.plans.service import PlanIn, create_plan, generate_plan_assignments, list_assignments, plan_coverage
from core.reports.figures import hazard_report, inspections_by_month, listed_supervision_report
from core.reports.snapshot_service import list_snapshots, snapshot_report
from core.scheduler.runner import run_job
from core.storage.audit_log import SYSTEM
from server import build_context
from tests.conftest import PASSWORD, make_settings
from tests.core.hazards.conftest import ADMIN, make_enterprise


async def test_plans_draws_reports_on_every_database(any_db_url, tmp_path):
    clock = FrozenClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    ctx = build_context(make_settings(any_db_url, str(tmp_path / "data")), clock)
    try:
        await prepare_database(ctx.db)
        await make_enterprise(ctx, name="甲", risk_level="major")  # its risk level sets how often the plan visits it
        low = await make_enterprise(ctx, name="乙", risk_level="low")
        ids = [(await create_user(ctx, SYSTEM, UserIn(username=f"insp{i}", password=PASSWORD, role="inspector", region_code="510681", industries=["hazchem"]))).id for i in range(2)]  # type: ignore[arg-type]
        plan = await create_plan(ctx, ADMIN, PlanIn(year=2026, title="计划", region_code="510681", industries=["hazchem"]))  # type: ignore[list-item]
        assert (await generate_plan_assignments(ctx, ADMIN, plan.id)).created == 10 + 1  # March to December, and the year
        assert (await generate_plan_assignments(ctx, ADMIN, plan.id, date(2026, 12, 31))).created == 0
        inspector = Principal(user_id=ids[0], username="insp0", role="inspector", region_code="510681", industries=("hazchem",))
        mine = await list_assignments(ctx, inspector, plan.id)
        async with ctx.db.write() as session:
            await record_inspection_in_session(session, ctx, inspector, enterprise_id=mine[0].enterprise_id, inspected_at=clock.now(), assignment_id=mine[0].id, submission_id="s1")
            again = await record_inspection_in_session(session, ctx, inspector, enterprise_id=mine[0].enterprise_id, inspected_at=clock.now(), submission_id="s1")
            assert again.assignment_id == mine[0].id
        coverage = await plan_coverage(ctx, ADMIN, plan.id)
        assert (coverage.enterprises_in_scope, coverage.enterprises_inspected, coverage.assignments_done) == (2, 1, 1)
        draw = await run_draw(ctx, ADMIN, DrawIn(title="抽查", region_code="510681", industries=["hazchem"], enterprise_count=1, due_from=date(2026, 3, 1), due_until=date(2026, 3, 31), seed="x"))  # type: ignore[list-item]
        assert (await verify_draw(ctx, ADMIN, draw.id)).reproduced
        async with ctx.db.write() as session:
            await create_hazard_in_session(session, ctx, inspector, HazardIn(enterprise_id=low.id, level="major", description="重大隐患", deadline=clock.now() + timedelta(days=1), responsible_person="甲", rectification_plan="方案"))
        clock.advance(days=2)
        by_level = {r["key"]: r for r in (await hazard_report(ctx, ADMIN, "level")).rows}
        assert (by_level["major"]["total"], by_level["major"]["overdue"], by_level["major"]["listed"]) == (1, 1, 1)
        assert [r["enterprise_name"] for r in (await listed_supervision_report(ctx, inspector)).rows] == ["乙"]
        assert {r["month"]: r["inspections"] for r in (await inspections_by_month(ctx, ADMIN, 2026)).rows}["2026-03"] == 1
        clock.set(datetime(2026, 4, 1, 1, 0, tzinfo=UTC))
        assert (await run_job(ctx, "monthly_dispatch")).status == "done"
        snaps = await list_snapshots(ctx, ADMIN)
        total = (await snapshot_report(ctx, ADMIN, snaps[0].id)).rows[-1]
        assert (total["found"], total["found_major"], total["inspections"], total["overdue_at_end"]) == (1, 1, 1, 1)
    finally:
        await ctx.db.dispose()
