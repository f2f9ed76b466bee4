"""What overdue (逾期) means: the enterprise missed its deadline. A fix reported in time is not
overdue while it waits for the inspector's recheck; a fix reported late stays overdue, by the days
it was late, until the recheck. Lists (SQL), the overdue job, escalation and reports agree."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import col, select

from core.bootstrap import prepare_database
from core.clock import FrozenClock
from core.hazards.deadlines import is_overdue, overdue_days
from core.hazards.queries import HazardFilter, list_hazards
from core.hazards.records import Hazard, HazardTransition
from core.hazards.service import create_hazard_in_session, transition_in_session
from core.hazards.wire import HazardIn, TransitionIn
from core.reports.cells import compute_cells
from core.reports.figures import hazard_report, listed_supervision_report
from core.scheduler.runner import run_job
from server import build_context
from tests.conftest import make_settings
from tests.core.hazards.conftest import ADMIN, make_enterprise
from tests.core.hazards.test_jobs import INSPECTOR

PHOTO = "c" * 64


async def rectifying(ctx: Any, enterprise_id: str, days: int, description: str) -> str:
    async with ctx.db.write() as session:
        h = await create_hazard_in_session(session, ctx, INSPECTOR, HazardIn(enterprise_id=enterprise_id, level="general", description=description))  # type: ignore[arg-type]
        await transition_in_session(session, ctx, INSPECTOR, h.id, TransitionIn(to_status="rectifying", deadline=ctx.clock.now() + timedelta(days=days), responsible_person="赵六"))
        return h.id


async def report_fixed(ctx: Any, hazard_id: str) -> None:
    async with ctx.db.write() as session:
        await transition_in_session(session, ctx, INSPECTOR, hazard_id, TransitionIn(to_status="awaiting_recheck", evidence=[PHOTO]))


async def stored(ctx: Any, hazard_id: str) -> Hazard:
    async with ctx.db.read() as session:
        hazard = await session.get(Hazard, hazard_id)
    assert hazard is not None
    return hazard


async def test_overdue_means_the_enterprise_missed_the_deadline_on_every_database(any_db_url, tmp_path):
    clock = FrozenClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    ctx = build_context(make_settings(any_db_url, str(tmp_path / "data")), clock)
    try:
        await prepare_database(ctx.db)
        ent = await make_enterprise(ctx)
        on_time = await rectifying(ctx, ent.id, 3, "按期整改")
        late = await rectifying(ctx, ent.id, 3, "逾期两天后整改")
        still = await rectifying(ctx, ent.id, 3, "一直未整改")
        clock.advance(days=2)
        await report_fixed(ctx, on_time)  # a day before the deadline
        clock.advance(days=3)
        await report_fixed(ctx, late)  # two days after it
        clock.advance(days=20)  # nobody has rechecked either: that is the inspector's delay, not the enterprise's
        now = clock.now()

        h_on_time, h_late, h_still = [await stored(ctx, i) for i in (on_time, late, still)]
        assert h_on_time.rectified_at == now - timedelta(days=23) and h_late.rectified_at == now - timedelta(days=20)
        assert (is_overdue(h_on_time, now), overdue_days(h_on_time, now)) == (False, 0)
        assert (is_overdue(h_late, now), overdue_days(h_late, now)) == (True, 2)  # late by two days, not by 22
        assert (is_overdue(h_still, now), overdue_days(h_still, now)) == (True, 22)

        overdue = await list_hazards(ctx, ADMIN, HazardFilter(overdue=True))
        assert {h.id for h in overdue.items} == {late, still} and overdue.total == 2
        assert {h.id: h.overdue_days for h in overdue.items} == {late: 2, still: 22}
        not_overdue = await list_hazards(ctx, ADMIN, HazardFilter(overdue=False))
        assert [h.id for h in not_overdue.items] == [on_time] and not not_overdue.items[0].overdue

        # the job marks the two the enterprise let slip, and escalates only the one it never fixed
        assert (await run_job(ctx, "hazard_overdue")).result == {"marked_overdue": 2, "escalated": 1}
        async with ctx.db.read() as session:
            marked = set((await session.exec(select(HazardTransition.hazard_id).where(col(HazardTransition.action) == "marked_overdue"))).all())
        assert marked == {late, still}
        assert [(await stored(ctx, i)).listed_supervision for i in (on_time, late, still)] == [False, False, True]

        by_status = {r["key"]: r for r in (await hazard_report(ctx, ADMIN, "status")).rows}
        assert by_status["awaiting_recheck"]["overdue"] == 1 and by_status["total"]["overdue"] == 2
        assert [(r["hazard_id"], r["overdue"], r["overdue_days"]) for r in (await listed_supervision_report(ctx, ADMIN)).rows] == [(still, True, 22)]
        # the monthly figures judge "overdue at the end of the period" the same way
        cells = await compute_cells(ctx, now - timedelta(days=40), now)
        assert sum(c["overdue_at_end"] for c in cells) == 2 and sum(c["open_at_end"] for c in cells) == 3

        # a failed recheck starts a new deadline: the old late report no longer counts
        async with ctx.db.write() as session:
            await transition_in_session(session, ctx, INSPECTOR, late, TransitionIn(to_status="rectifying", reason="仍有缺陷", deadline=now + timedelta(days=5)))
        h_late = await stored(ctx, late)
        assert h_late.rectified_at is None and not is_overdue(h_late, now)
        assert {h.id for h in (await list_hazards(ctx, ADMIN, HazardFilter(overdue=True))).items} == {still}
    finally:
        await ctx.db.dispose()


async def test_a_fix_reported_late_within_the_hour_is_marked_by_the_next_run(api, clock):
    """The job runs hourly: a fix reported after the deadline but before the job's next run is still marked overdue."""
    ctx = api.ctx
    ent = await make_enterprise(ctx)
    hazard_id = await rectifying(ctx, ent.id, 1, "整改迟报")
    clock.advance(days=1, minutes=10)
    await report_fixed(ctx, hazard_id)
    assert (await run_job(ctx, "hazard_overdue")).result == {"marked_overdue": 1, "escalated": 0}
    h = await stored(ctx, hazard_id)
    assert h.overdue_marked_at == clock.now() and h.status == "awaiting_recheck"


async def test_the_api_shows_when_the_fix_was_reported(world, clock):
    api = world.api
    r = await api.client.post("/api/v1/hazards", json={"enterprise_id": world.enterprise["id"], "level": "general", "description": "灭火器过期"}, headers=world.headers["inspector"])
    hazard = r.json()
    assert hazard["rectified_at"] is None
    deadline = (clock.now() + timedelta(days=2)).isoformat()
    r = await api.client.post(f"/api/v1/hazards/{hazard['id']}/transitions", json={"to_status": "rectifying", "deadline": deadline, "responsible_person": "李四"}, headers=world.headers["inspector"])
    assert r.status_code == 200, r.text
    clock.advance(days=1)
    r = await api.client.post(f"/api/v1/hazards/{hazard['id']}/transitions", json={"to_status": "awaiting_recheck", "evidence": [PHOTO]}, headers=world.headers["enterprise_user"])
    assert r.status_code == 200, r.text
    clock.advance(days=30)
    got = (await api.client.get(f"/api/v1/hazards/{hazard['id']}", headers=world.headers["department_admin"])).json()["hazard"]
    assert got["rectified_at"] is not None and got["overdue"] is False and got["overdue_days"] == 0
    listed = (await api.client.get("/api/v1/hazards?overdue=true", headers=world.headers["department_admin"])).json()
    assert listed["total"] == 0
