"""A plan hands out work from today on: windows that ended before today (China time) are not
generated, so a plan made in December does not send the year's past months to the tablets."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import col, select

from core.plans.assignments import Assignment
from core.scheduler.runner import run_job
from core.storage.changes import Change


async def _windows(api, plan_id: str) -> list[tuple[date, date]]:  # type: ignore[no-untyped-def]
    async with api.ctx.db.read() as session:
        rows = (await session.exec(select(Assignment).where(col(Assignment.plan_id) == plan_id))).all()
    return sorted((a.due_from, a.due_until) for a in rows)


async def _setup(api, admin) -> None:  # type: ignore[no-untyped-def]
    for name, risk in (("major", "major"), ("high", "high"), ("low", "low")):
        await api.enterprise(admin, name=f"{name}化工", risk_level=risk)
    await api.user("insp", "inspector", region_code="510681", industries=["hazchem"])


async def _plan(api, admin, year: int) -> str:  # type: ignore[no-untyped-def]
    r = await api.client.post("/api/v1/plans", json={"year": year, "title": f"{year}年计划", "region_code": "510681", "industries": ["hazchem"]}, headers=admin)
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def test_a_plan_made_in_december_gets_only_the_current_windows(api, admin, clock):
    await _setup(api, admin)
    clock.set(datetime(2026, 12, 10, 2, 0, tzinfo=UTC))
    plan_id = await _plan(api, admin, 2026)
    r = await api.client.post(f"/api/v1/plans/{plan_id}/generate", headers=admin)
    assert r.status_code == 200, r.text
    assert r.json() == {"created": 3, "existing": 0, "uncovered": []}  # not 12 + 4 + 1
    # December for the monthly enterprise, Q4 for the quarterly one, the whole year for the yearly one
    assert await _windows(api, plan_id) == [(date(2026, 1, 1), date(2026, 12, 31)), (date(2026, 10, 1), date(2026, 12, 31)), (date(2026, 12, 1), date(2026, 12, 31))]
    async with api.ctx.db.read() as session:
        sent = (await session.exec(select(Change).where(col(Change.entity) == "assignment"))).all()
    assert len(sent) == 3  # only these reach the tablets
    # next year's plan, made in the same December, is all ahead
    next_id = await _plan(api, admin, 2027)
    assert (await api.client.post(f"/api/v1/plans/{next_id}/generate", headers=admin)).json()["created"] == 12 + 4 + 1


async def test_past_means_before_today_in_china_time(api, admin, clock):
    await _setup(api, admin)
    clock.set(datetime(2026, 11, 30, 17, 0, tzinfo=UTC))  # still 30 November in UTC, already 1 December in China
    plan_id = await _plan(api, admin, 2026)
    assert (await api.client.post(f"/api/v1/plans/{plan_id}/generate", headers=admin)).json()["created"] == 3
    assert (date(2026, 11, 1), date(2026, 11, 30)) not in await _windows(api, plan_id)


async def test_the_daily_job_skips_past_windows_too(api, admin, clock):
    await _setup(api, admin)
    await _plan(api, admin, 2026)
    clock.set(datetime(2026, 12, 10, 2, 0, tzinfo=UTC))
    outcome = await run_job(api.ctx, "plan_assignments")
    assert outcome.status == "done" and outcome.result["created"] == 3
