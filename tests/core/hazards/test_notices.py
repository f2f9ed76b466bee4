"""Who hears about a hazard: each event reaches the users it concerns by role and scope, once each.

reminder → the enterprise's users + the user who registered it; overdue → those + department admins
in scope; listed (挂牌督办, a major hazard at registration too) → admins and department admins in
scope + the enterprise's users."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import col, select

from core.access.user_service import create_user
from core.access.users import User
from core.access.wire import UserIn
from core.bootstrap import prepare_database
from core.clock import FrozenClock
from core.hazards.service import create_hazard_in_session, transition_in_session
from core.hazards.wire import HazardIn, TransitionIn
from core.notifications.notices import Notification
from core.scheduler.runner import run_job
from core.storage.audit_log import SYSTEM
from server import build_context
from tests.conftest import PASSWORD, make_settings
from tests.core.hazards.conftest import make_enterprise, principal_of

# name -> (role, scope)
PEOPLE: dict[str, tuple[str, dict[str, Any]]] = {
    "ent1": ("enterprise_user", {"enterprise_id": "ENT"}),
    "ent2": ("enterprise_user", {"enterprise_id": "ENT"}),
    "ent_other": ("enterprise_user", {"enterprise_id": "OTHER"}),
    "insp": ("inspector", {"region_code": "510681", "industries": ["hazchem"]}),
    "insp2": ("inspector", {"region_code": "510681", "industries": ["hazchem"]}),
    "dept": ("department_admin", {"region_code": "510681", "industries": ["hazchem"]}),
    "dept_city": ("department_admin", {"region_code": "510600", "industries": ["hazchem", "fire"]}),
    "dept_fire": ("department_admin", {"region_code": "510681", "industries": ["fire"]}),
    "dept_away": ("department_admin", {"region_code": "510603", "industries": ["hazchem"]}),
    "dept_gone": ("department_admin", {"region_code": "510681", "industries": ["hazchem"]}),  # deactivated
    "admin_all": ("admin", {}),
    "admin_county": ("admin", {"region_code": "510681"}),
    "admin_away": ("admin", {"region_code": "510603"}),
    "viewer": ("viewer", {"region_code": "510681", "industries": ["hazchem"]}),
}
ENTERPRISE = {"ent1", "ent2"}
DEPARTMENTS = {"dept", "dept_city"}
ADMINS = {"admin_all", "admin_county"}


async def _people(ctx: Any, enterprise_id: str, other_id: str) -> dict[str, User]:
    ids: dict[str, str] = {}
    for name, (role, scope) in PEOPLE.items():
        scope = {k: {"ENT": enterprise_id, "OTHER": other_id}.get(v, v) if k == "enterprise_id" else v for k, v in scope.items()}
        ids[name] = (await create_user(ctx, SYSTEM, UserIn(username=name, password=PASSWORD, role=role, **scope))).id  # type: ignore[arg-type]
    async with ctx.db.write() as session:
        gone = await session.get(User, ids["dept_gone"])
        assert gone is not None
        gone.active = False
        session.add(gone)
    async with ctx.db.read() as session:
        return {name: user for name in ids if (user := await session.get(User, ids[name])) is not None}


async def _heard(ctx: Any, hazard_id: str, kind: str, people: dict[str, User]) -> Counter[str]:
    names = {u.id: name for name, u in people.items()}
    async with ctx.db.read() as session:
        rows = (await session.exec(select(Notification).where(col(Notification.entity_id) == hazard_id, col(Notification.kind) == kind))).all()
    assert all(r.user_id is not None for r in rows), "addressed to each user, never to a whole enterprise"
    return Counter(names.get(r.user_id or "", r.user_id or "") for r in rows)


async def test_each_event_reaches_its_people_once_each_on_every_database(any_db_url, tmp_path):
    clock = FrozenClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    ctx = build_context(make_settings(any_db_url, str(tmp_path / "data")), clock)
    try:
        await prepare_database(ctx.db)
        ent = await make_enterprise(ctx, name="红星化工")
        other = await make_enterprise(ctx, name="别家化工")
        people = await _people(ctx, ent.id, other.id)
        inspector, ent_user = principal_of(people["insp"]), principal_of(people["ent1"])
        async with ctx.db.write() as session:
            found = await create_hazard_in_session(session, ctx, inspector, HazardIn(enterprise_id=ent.id, level="general", description="配电箱未接地"))  # type: ignore[arg-type]
            await transition_in_session(session, ctx, inspector, found.id, TransitionIn(to_status="rectifying", deadline=clock.now() + timedelta(days=2), responsible_person="赵六"))
            # self-inspection: the enterprise user who registered it must not hear twice
            own = await create_hazard_in_session(session, ctx, ent_user, HazardIn(enterprise_id=ent.id, level="general", description="消防通道堵塞"))  # type: ignore[arg-type]
            await transition_in_session(session, ctx, inspector, own.id, TransitionIn(to_status="rectifying", deadline=clock.now() + timedelta(days=2), responsible_person="赵六"))

        assert (await run_job(ctx, "deadline_reminders")).result == {"hazards_due_soon": 2, "notifications": 3 + 2}
        assert await _heard(ctx, found.id, "deadline_reminder", people) == Counter(ENTERPRISE | {"insp"})
        assert await _heard(ctx, own.id, "deadline_reminder", people) == Counter(ENTERPRISE)
        assert (await run_job(ctx, "deadline_reminders", force=True)).result["notifications"] == 0

        clock.advance(days=3)
        assert (await run_job(ctx, "hazard_overdue")).result == {"marked_overdue": 2, "escalated": 0}
        assert await _heard(ctx, found.id, "hazard_overdue", people) == Counter(ENTERPRISE | {"insp"} | DEPARTMENTS)
        assert await _heard(ctx, own.id, "hazard_overdue", people) == Counter(ENTERPRISE | DEPARTMENTS)

        clock.advance(days=7)
        assert (await run_job(ctx, "hazard_overdue")).result == {"marked_overdue": 0, "escalated": 2}
        assert await _heard(ctx, found.id, "hazard_listed", people) == Counter(ADMINS | DEPARTMENTS | ENTERPRISE)
        assert (await run_job(ctx, "hazard_overdue", force=True)).result == {"marked_overdue": 0, "escalated": 0}
        assert await _heard(ctx, found.id, "hazard_listed", people) == Counter(ADMINS | DEPARTMENTS | ENTERPRISE)

        # a major hazard is listed when it is registered: the same people hear it at once
        async with ctx.db.write() as session:
            major = await create_hazard_in_session(session, ctx, inspector, HazardIn(enterprise_id=ent.id, level="major", description="重大危险源未辨识"))  # type: ignore[arg-type]
        assert major.listed_supervision
        assert await _heard(ctx, major.id, "hazard_listed", people) == Counter(ADMINS | DEPARTMENTS | ENTERPRISE)
    finally:
        await ctx.db.dispose()


async def test_a_user_lists_each_notice_once(world, clock):
    api = world.api
    r = await api.client.post("/api/v1/hazards", json={"enterprise_id": world.enterprise["id"], "level": "major", "description": "液氨储罐未设置紧急切断"}, headers=world.headers["enterprise_user"])
    assert r.status_code == 201, r.text
    hazard_id = r.json()["id"]
    for role in ("admin", "department_admin", "enterprise_user"):
        notes = (await api.client.get("/api/v1/notifications", headers=world.headers[role])).json()
        assert [(n["kind"], n["entity_id"]) for n in notes] == [("hazard_listed", hazard_id)], role
        assert "挂牌督办" in notes[0]["title"] and world.enterprise["name"] in notes[0]["body"]
    for role in ("inspector", "evaluator", "viewer"):
        assert (await api.client.get("/api/v1/notifications", headers=world.headers[role])).json() == [], role
