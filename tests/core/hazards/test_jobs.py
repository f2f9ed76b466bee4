"""Scheduled jobs: overdue marking and escalation, reminders, reports, plan assignments — each
idempotent, once per period, and once across two instances sharing a database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func
from sqlmodel import col, select

from core.access.scope import Principal
from core.bootstrap import prepare_database
from core.clock import FrozenClock
from core.hazards.records import Hazard, HazardTransition
from core.hazards.service import create_hazard_in_session, transition_in_session
from core.hazards.wire import HazardIn, TransitionIn
from core.notifications.notices import Notification
from core.plans.assignments import Assignment
from core.reports.snapshots import ReportSnapshot
from core.scheduler.catalogue import JOBS
from core.scheduler.cron import build_scheduler
from core.scheduler.runner import instance_lock, run_job
from core.scheduler.runs import JobRun
from core.storage.audit_log import AuditEntry
from core.storage.changes import Change
from server import build_context
from tests.conftest import make_settings
from tests.core.hazards.conftest import make_enterprise, store_attachments

INSPECTOR = Principal(user_id="00000000-0000-0000-0000-00000000001a", username="insp", role="inspector", region_code="510681", industries=("hazchem",))


async def counts(ctx: Any) -> dict[str, Any]:
    """Everything a job could change."""
    out: dict[str, Any] = {}
    async with ctx.db.read() as session:
        for name, model in (("transitions", HazardTransition), ("changes", Change), ("audit", AuditEntry), ("notifications", Notification), ("snapshots", ReportSnapshot), ("assignments", Assignment)):
            out[name] = (await session.exec(select(func.count()).select_from(model))).one()
        out["hazards"] = sorted((h.id, h.version, h.listed_supervision, h.overdue_marked_at) for h in (await session.exec(select(Hazard))).all())
    return out


async def rectifying_hazard(ctx: Any, enterprise_id: str, days: int, level: str = "general") -> Hazard:
    async with ctx.db.write() as session:
        h = await create_hazard_in_session(session, ctx, INSPECTOR, HazardIn(enterprise_id=enterprise_id, level=level, description="安全出口堵塞"))  # type: ignore[arg-type]
        return await transition_in_session(session, ctx, INSPECTOR, h.id, TransitionIn(to_status="rectifying", deadline=ctx.clock.now() + timedelta(days=days), responsible_person="赵六", rectification_plan="清理"))


async def test_overdue_marking_and_escalation_with_a_controllable_clock(api, clock):
    ctx = api.ctx
    ent = await make_enterprise(ctx)
    await api.user("ent_user", "enterprise_user", enterprise_id=ent.id)
    await api.user("dept", "department_admin", region_code="510681", industries=["hazchem"])
    h = await rectifying_hazard(ctx, ent.id, days=10)
    fine = await rectifying_hazard(ctx, ent.id, days=30)
    clock.advance(days=9)
    assert (await run_job(ctx, "hazard_overdue")).result == {"marked_overdue": 0, "escalated": 0}
    clock.advance(days=1, minutes=1)  # 1 minute past the deadline
    outcome = await run_job(ctx, "hazard_overdue")
    assert outcome.status == "done" and outcome.result == {"marked_overdue": 1, "escalated": 0}
    before = await counts(ctx)
    again = await run_job(ctx, "hazard_overdue")
    assert again.status == "skipped" and "already done" in again.reason
    forced = await run_job(ctx, "hazard_overdue", force=True)
    assert forced.status == "done" and forced.result == {"marked_overdue": 0, "escalated": 0}
    assert await counts(ctx) == before
    clock.advance(days=7, minutes=-2)  # just under 7 days overdue: not yet beyond
    assert (await run_job(ctx, "hazard_overdue")).result == {"marked_overdue": 0, "escalated": 0}
    clock.advance(hours=1)
    assert (await run_job(ctx, "hazard_overdue")).result == {"marked_overdue": 0, "escalated": 1}
    assert (await run_job(ctx, "hazard_overdue", force=True)).result == {"marked_overdue": 0, "escalated": 0}
    async with ctx.db.read() as session:
        stored = await session.get(Hazard, h.id)
        other = await session.get(Hazard, fine.id)
        history = (await session.exec(select(HazardTransition).where(col(HazardTransition.hazard_id) == h.id).order_by(col(HazardTransition.resulting_version)))).all()
        notes = (await session.exec(select(Notification).where(col(Notification.entity_id) == h.id))).all()
    assert stored is not None and stored.listed_supervision and stored.listed_reason == "逾期超过7天未完成整改，升级挂牌督办"
    assert other is not None and not other.listed_supervision and other.overdue_marked_at is None
    assert [t.action for t in history][-2:] == ["marked_overdue", "listed_supervision"] and history[-1].actor_id is None
    assert sorted(n.kind for n in notes) == ["hazard_listed", "hazard_listed", "hazard_overdue", "hazard_overdue"]  # the enterprise's user and the department


async def test_escalation_days_are_configurable_and_closed_hazards_are_left_alone(api, clock):
    ctx = api.ctx
    ctx.settings = make_settings(ctx.settings.database_url, ctx.settings.data_dir, overdue_escalation_days=0)
    ent = await make_enterprise(ctx)
    h = await rectifying_hazard(ctx, ent.id, days=1)
    clock.advance(days=1, seconds=1)
    assert (await run_job(ctx, "hazard_overdue")).result == {"marked_overdue": 1, "escalated": 1}
    store_attachments(ctx, "c" * 64)
    async with ctx.db.write() as session:
        await transition_in_session(session, ctx, INSPECTOR, h.id, TransitionIn(to_status="awaiting_recheck", evidence=["c" * 64]))
        await transition_in_session(session, ctx, INSPECTOR, h.id, TransitionIn(to_status="closed"))
    clock.advance(days=3)
    assert (await run_job(ctx, "hazard_overdue")).result == {"marked_overdue": 0, "escalated": 0}


async def test_extended_deadline_can_become_overdue_again(api, clock):
    ctx = api.ctx
    ent = await make_enterprise(ctx)
    h = await rectifying_hazard(ctx, ent.id, days=2)
    clock.advance(days=3)
    assert (await run_job(ctx, "hazard_overdue")).result["marked_overdue"] == 1
    dept = Principal(user_id="00000000-0000-0000-0000-00000000002b", username="dept", role="department_admin", region_code="510681", industries=("hazchem",))
    async with ctx.db.write() as session:
        await transition_in_session(session, ctx, dept, h.id, TransitionIn(to_status="rectifying", deadline=clock.now() + timedelta(days=2), reason="需停产检修"))
    clock.advance(days=3)
    assert (await run_job(ctx, "hazard_overdue")).result["marked_overdue"] == 1


async def test_deadline_reminders_once_per_deadline(api, clock):
    ctx = api.ctx
    ent = await make_enterprise(ctx)
    await api.user("ent_user", "enterprise_user", enterprise_id=ent.id)
    soon = await rectifying_hazard(ctx, ent.id, days=2)
    await rectifying_hazard(ctx, ent.id, days=10)
    outcome = await run_job(ctx, "deadline_reminders")
    assert outcome.result == {"hazards_due_soon": 1, "notifications": 1}  # the enterprise's one user (INSPECTOR is no stored user)
    before = await counts(ctx)
    assert (await run_job(ctx, "deadline_reminders", force=True)).result == {"hazards_due_soon": 1, "notifications": 0}
    assert await counts(ctx) == before
    clock.advance(days=1)
    assert (await run_job(ctx, "deadline_reminders")).result == {"hazards_due_soon": 1, "notifications": 0}
    headers = await api.login("ent_user")
    notes = (await api.client.get("/api/v1/notifications", headers=headers)).json()
    assert [(n["kind"], n["entity_id"]) for n in notes] == [("deadline_reminder", soon.id)]
    r = await api.client.post(f"/api/v1/notifications/{notes[0]['id']}/read", headers=headers)
    assert r.status_code == 200 and r.json()["read_at"] is not None
    assert (await api.client.get("/api/v1/notifications?unread=true", headers=headers)).json() == []
    stranger = await api.as_new("inspector", region_code="510681", industries=["hazchem"])
    assert (await api.client.get("/api/v1/notifications", headers=stranger)).json() == []
    assert (await api.client.post(f"/api/v1/notifications/{notes[0]['id']}/read", headers=stranger)).status_code == 404


async def test_monthly_and_quarterly_reports_are_stored_once(api, clock):
    ctx = api.ctx
    ent = await make_enterprise(ctx)
    clock.set(datetime(2026, 2, 10, 2, 0, tzinfo=UTC))
    await rectifying_hazard(ctx, ent.id, days=5, level="major")
    await rectifying_hazard(ctx, ent.id, days=60)  # due 11 April: not overdue at the end of March
    clock.set(datetime(2026, 4, 1, 1, 0, tzinfo=UTC))  # 09:00 on 1 April in China
    monthly = await run_job(ctx, "monthly_dispatch")
    assert monthly.period == "2026-03" and monthly.result["created"] is True
    quarterly = await run_job(ctx, "quarterly_bulletin")
    assert quarterly.period == "2026-Q1" and quarterly.result["created"] is True
    before = await counts(ctx)
    assert (await run_job(ctx, "monthly_dispatch", force=True)).result["created"] is False
    assert (await run_job(ctx, "quarterly_bulletin", force=True)).result["created"] is False
    assert await counts(ctx) == before
    await api.user("root", "admin")
    admin = await api.login("root")
    snaps = (await api.client.get("/api/v1/reports/snapshots", headers=admin)).json()
    assert sorted((s["kind"], s["period"]) for s in snaps) == [("monthly_dispatch", "2026-03"), ("quarterly_bulletin", "2026-Q1")]
    q = next(s for s in snaps if s["kind"] == "quarterly_bulletin")
    table = (await api.client.get(f"/api/v1/reports/snapshots/{q['id']}", headers=admin)).json()
    total = table["rows"][-1]
    # Q1: both found in February; none closed; both open at the end; the major one (deadline 15 Feb) overdue and listed
    assert (total["found"], total["found_major"], total["closed"], total["open_at_end"], total["overdue_at_end"], total["listed_at_end"]) == (2, 1, 0, 2, 1, 1)
    m = next(s for s in snaps if s["kind"] == "monthly_dispatch")
    march = (await api.client.get(f"/api/v1/reports/snapshots/{m['id']}", headers=admin)).json()["rows"][-1]
    assert (march["found"], march["open_at_end"], march["overdue_at_end"]) == (0, 2, 1)
    outsider = await api.as_new("viewer", region_code="510603")
    assert (await api.client.get(f"/api/v1/reports/snapshots/{q['id']}", headers=outsider)).json()["rows"][-1]["found"] == 0


async def test_plan_assignments_job_hands_out_the_coming_period(api, admin, clock):
    ctx = api.ctx
    await make_enterprise(ctx, risk_level="major")
    await api.user("insp", "inspector", region_code="510681", industries=["hazchem"])
    r = await api.client.post("/api/v1/plans", json={"year": 2026, "title": "计划", "region_code": "510681", "industries": ["hazchem"]}, headers=admin)
    assert r.status_code == 201
    clock.set(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    outcome = await run_job(ctx, "plan_assignments")
    assert outcome.result["created"] == 2 and outcome.result["through"] == "2026-04-02"  # March and April for a monthly enterprise (Jan, Feb are past)
    before = await counts(ctx)
    assert (await run_job(ctx, "plan_assignments", force=True)).result["created"] == 0
    assert await counts(ctx) == before


async def test_every_job_twice_changes_nothing_the_second_time(api, admin, clock):
    ctx = api.ctx
    ent = await make_enterprise(ctx, risk_level="high")
    await api.user("insp", "inspector", region_code="510681", industries=["hazchem"])
    await api.client.post("/api/v1/plans", json={"year": 2026, "title": "计划", "region_code": "510681", "industries": ["hazchem"]}, headers=admin)
    await rectifying_hazard(ctx, ent.id, days=1)
    await rectifying_hazard(ctx, ent.id, days=12)
    clock.advance(days=10)
    for name in JOBS:
        first = await run_job(ctx, name)
        assert first.status == "done", first
        before = await counts(ctx)
        second = await run_job(ctx, name, force=True)
        assert second.status == "done"
        assert await counts(ctx) == before, name


async def test_a_failed_run_can_be_claimed_again(api, clock, monkeypatch):
    ctx = api.ctx
    spec = JOBS["monthly_dispatch"]

    async def boom(ctx: Any, now: datetime) -> dict[str, Any]:
        raise RuntimeError("disk gone")

    monkeypatch.setitem(JOBS, "monthly_dispatch", type(spec)(spec.name, spec.description, boom, spec.period, spec.cron))
    failed = await run_job(ctx, "monthly_dispatch")
    assert failed.status == "failed" and "disk gone" in failed.reason
    monkeypatch.setitem(JOBS, "monthly_dispatch", spec)
    assert (await run_job(ctx, "monthly_dispatch")).status == "done"
    async with ctx.db.read() as session:
        run = (await session.exec(select(JobRun).where(col(JobRun.job) == "monthly_dispatch"))).one()
    assert run.status == "done" and run.attempts == 2 and run.error is None


async def test_two_instances_run_a_job_once(any_db_url, tmp_path):
    """Two server instances (two engines) on one database: the job runs exactly once."""
    clock = FrozenClock(datetime(2026, 4, 1, 1, 0, tzinfo=UTC))
    settings = make_settings(any_db_url, str(tmp_path / "data"))
    a, b = build_context(settings, clock), build_context(settings, clock)
    try:
        await prepare_database(a.db)
        ent = await make_enterprise(a)
        await rectifying_hazard(a, ent.id, days=1)
        clock.advance(days=2)
        for name in ("monthly_dispatch", "hazard_overdue"):
            outcomes = await asyncio.gather(run_job(a, name, instance="A"), run_job(b, name, instance="B"))
            assert sorted(o.status for o in outcomes) == ["done", "skipped"], outcomes
        async with a.db.read() as session:
            assert (await session.exec(select(func.count()).select_from(ReportSnapshot))).one() == 1
            assert (await session.exec(select(func.count()).select_from(JobRun))).one() == 2
            marked = (await session.exec(select(func.count()).select_from(HazardTransition).where(col(HazardTransition.action) == "marked_overdue"))).one()
        assert marked == 1
        if a.db.dialect == "postgresql":
            # while one instance holds a job's lock, another skips it at once (even when forced)
            async with instance_lock(a, "deadline_reminders") as got:
                assert got is True
                held = await run_job(b, "deadline_reminders", force=True, instance="B")
                assert held.status == "skipped" and held.reason == "running on another instance"
            assert (await run_job(b, "deadline_reminders", instance="B")).status == "done"
    finally:
        await a.db.dispose()
        await b.db.dispose()


def test_scheduler_registers_every_job_in_china_time(tmp_path):
    ctx = build_context(make_settings(f"sqlite+aiosqlite:///{tmp_path}/x.db", str(tmp_path / "data")))
    scheduler = build_scheduler(ctx)
    jobs = {j.id: j for j in scheduler.get_jobs()}
    assert set(jobs) == set(JOBS)
    assert str(jobs["monthly_dispatch"].trigger) == "cron[day='1', hour='1', minute='0']"
    assert str(jobs["hazard_overdue"].trigger.timezone) == "Asia/Shanghai"


async def test_app_lifespan_starts_and_stops_the_scheduler(tmp_path):
    from litestar.testing import AsyncTestClient

    from server import create_app

    app = create_app(make_settings(f"sqlite+aiosqlite:///{tmp_path}/x.db", str(tmp_path / "data"), run_scheduler=True))
    async with AsyncTestClient(app=app) as client:
        assert (await client.get("/healthz")).status_code == 200


def test_cli_lists_and_runs_jobs(tmp_path, monkeypatch):
    from server import cli

    monkeypatch.setenv("ANJIAN_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("ANJIAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ANJIAN_SECRET_KEY", "s" * 40)
    runner = CliRunner()
    listed = runner.invoke(cli, ["jobs", "list"])
    assert listed.exit_code == 0 and all(name in listed.output for name in JOBS)
    first = runner.invoke(cli, ["jobs", "run", "monthly_dispatch"])
    assert first.exit_code == 0 and ": done" in first.output and "created: True" in first.output
    second = runner.invoke(cli, ["jobs", "run", "monthly_dispatch"])
    assert second.exit_code == 0 and ": skipped" in second.output
    forced = runner.invoke(cli, ["jobs", "run", "monthly_dispatch", "--force"])
    assert forced.exit_code == 0 and "created: False" in forced.output
    assert runner.invoke(cli, ["jobs", "run", "nope"]).exit_code != 0


@pytest.mark.parametrize("now,period", [(datetime(2026, 1, 1, 0, 0, tzinfo=UTC), "2025-12"), (datetime(2025, 12, 31, 17, 0, tzinfo=UTC), "2025-12")])
def test_monthly_period_is_the_previous_local_month(now, period):
    # 2026-01-01 00:00 UTC is 08:00 in China: last month is December; 2025-12-31 17:00 UTC is already 1 January in China
    assert JOBS["monthly_dispatch"].period(now) == period


async def test_jobs_over_http_are_for_admins(api, admin):
    inspector = await api.as_new("inspector", region_code="510681")
    assert (await api.client.post("/api/v1/jobs/monthly_dispatch/run", headers=inspector)).status_code == 403
    r = await api.client.post("/api/v1/jobs/monthly_dispatch/run", headers=admin)
    assert r.status_code == 200 and r.json()["status"] == "done" and r.json()["period"] == "2026-02"
    assert (await api.client.post("/api/v1/jobs/monthly_dispatch/run", headers=admin)).json()["status"] == "skipped"
    r = await api.client.post("/api/v1/jobs/nope/run", headers=admin)
    assert r.status_code == 400 and r.json()["field"] == "name"
    runs = (await api.client.get("/api/v1/jobs/runs", headers=admin)).json()
    assert [(x["job"], x["period"], x["status"]) for x in runs] == [("monthly_dispatch", "2026-02", "done")]


async def test_two_running_schedulers_fire_a_job_once(any_db_url, tmp_path):
    """Two real AsyncIOSchedulers (two instances) both fire ``monthly_dispatch`` now: one snapshot."""
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED

    from core.local_time import LOCAL_TZ

    clock = FrozenClock(datetime(2026, 4, 1, 1, 0, tzinfo=UTC))
    settings = make_settings(any_db_url, str(tmp_path / "data"))
    contexts = [build_context(settings, clock), build_context(settings, clock)]
    schedulers = []
    fired: list[asyncio.Event] = []
    try:
        await prepare_database(contexts[0].db)
        for ctx in contexts:
            scheduler = build_scheduler(ctx)
            done = asyncio.Event()
            scheduler.add_listener(lambda event, done=done: done.set() if event.job_id == "monthly_dispatch" else None, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
            scheduler.start()
            scheduler.modify_job("monthly_dispatch", next_run_time=datetime.now(LOCAL_TZ))
            schedulers.append(scheduler)
            fired.append(done)
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in fired)), timeout=30)
        async with contexts[0].db.read() as session:
            assert (await session.exec(select(func.count()).select_from(ReportSnapshot))).one() == 1
            runs = (await session.exec(select(JobRun))).all()
        assert [(r.job, r.period, r.status, r.attempts) for r in runs] == [("monthly_dispatch", "2026-03", "done", 1)]
    finally:
        for scheduler in schedulers:
            scheduler.shutdown(wait=False)
        for ctx in contexts:
            await ctx.db.dispose()


def test_missed_jobs_are_those_whose_last_fire_time_is_in_the_current_period():
    from core.local_time import LOCAL_TZ
    from core.scheduler.cron import missed_jobs

    at = lambda day, hour, minute=0: datetime(2026, 4, day, hour, minute, tzinfo=LOCAL_TZ)  # noqa: E731
    # 10:00 on 3 April: last month's dispatch (fired 1 April) and Q1's bulletin are still due, today's
    # 08:00 reminders and 00:30 plan run too; the hourly overdue run fires at 10:05, not yet.
    assert set(missed_jobs(at(3, 10))) == {"monthly_dispatch", "quarterly_bulletin", "deadline_reminders", "plan_assignments"}
    assert "hazard_overdue" in missed_jobs(at(3, 10, 6))
    # 03:00: today's reminders are not due before 08:00 (yesterday's belong to a past period)
    assert "deadline_reminders" not in missed_jobs(at(3, 3))


async def test_catch_up_runs_what_a_stopped_server_missed_once(api, clock):
    from core.scheduler.cron import catch_up

    ctx = api.ctx
    ent = await make_enterprise(ctx)
    clock.set(datetime(2026, 3, 10, 2, 0, tzinfo=UTC))
    await rectifying_hazard(ctx, ent.id, days=5, level="major")
    clock.set(datetime(2026, 4, 3, 2, 0, tzinfo=UTC))  # 10:00 on 3 April in China: the server was down on the 1st
    ran = await catch_up(ctx)
    assert {"monthly_dispatch", "quarterly_bulletin"} <= set(ran)
    async with ctx.db.read() as session:
        snapshots = sorted((s.kind, s.period) for s in (await session.exec(select(ReportSnapshot))).all())
        runs = sorted((r.job, r.period, r.status) for r in (await session.exec(select(JobRun))).all())
    assert snapshots == [("monthly_dispatch", "2026-03"), ("quarterly_bulletin", "2026-Q1")]
    assert ("monthly_dispatch", "2026-03", "done") in runs and ("quarterly_bulletin", "2026-Q1", "done") in runs
    await catch_up(ctx)  # a second restart the same day runs nothing again
    async with ctx.db.read() as session:
        assert sorted((r.job, r.period, r.status) for r in (await session.exec(select(JobRun))).all()) == runs
        assert len((await session.exec(select(ReportSnapshot))).all()) == 2
