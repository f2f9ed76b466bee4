"""The hazard state machine through the API: every step × every role, and each step's own rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.core.hazards.conftest import ROLES, store_attachments

STATUSES = ("reported", "rectifying", "awaiting_recheck", "closed")
PHOTO = "a" * 64
PHOTO2 = "b" * 64



@pytest.fixture(autouse=True)
def _photos_arrived(api: Any) -> None:
    """The photos these tests name have arrived: closing needs the rectification evidence (what
    happens while it has not is pinned in test_evidence.py)."""
    store_attachments(api.ctx, PHOTO, PHOTO2)


# Hand-written expectation (independent of core.hazards.rules): (from, to) -> roles that may.
OFFICERS = {"admin", "department_admin", "inspector"}
EXPECTED = {
    ("reported", "rectifying"): OFFICERS,
    ("rectifying", "awaiting_recheck"): OFFICERS | {"enterprise_user"},
    ("awaiting_recheck", "closed"): OFFICERS,
    ("awaiting_recheck", "rectifying"): OFFICERS,
    ("rectifying", "rectifying"): {"admin", "department_admin"},
}


def full_payload(clock: Any, to_status: str, days: int = 30) -> dict[str, Any]:
    """A body carrying everything any step could need."""
    return {
        "to_status": to_status,
        "reason": "现场复核",
        "deadline": (clock.now() + timedelta(days=days)).isoformat(),
        "responsible_person": "李四",
        "rectification_plan": "更换防爆电气",
        "evidence": [PHOTO],
    }


async def new_hazard(world: Any, level: str = "general", **extra: Any) -> dict[str, Any]:
    body = {"enterprise_id": world.enterprise["id"], "level": level, "description": "配电箱未接地", "location": "二号车间", **extra}
    r = await world.api.client.post("/api/v1/hazards", json=body, headers=world.headers["inspector"])
    assert r.status_code == 201, r.text
    return r.json()


async def step(world: Any, hazard_id: str, role: str, body: dict[str, Any]) -> Any:
    return await world.api.client.post(f"/api/v1/hazards/{hazard_id}/transitions", json=body, headers=world.headers[role])


async def hazard_in(world: Any, clock: Any, status: str) -> dict[str, Any]:
    """A general hazard brought to ``status`` by the admin (deadline in 10 days)."""
    h = await new_hazard(world)
    path = {"reported": [], "rectifying": ["rectifying"], "awaiting_recheck": ["rectifying", "awaiting_recheck"], "closed": ["rectifying", "awaiting_recheck", "closed"]}[status]
    for target in path:
        r = await step(world, h["id"], "admin", full_payload(clock, target, days=10))
        assert r.status_code == 200, r.text
        h = r.json()
    assert h["status"] == status
    return h


@pytest.mark.parametrize("role", ROLES)
async def test_every_step_for_every_role(world, clock, role):
    for from_status, to_status in [(f, t) for f in STATUSES for t in STATUSES]:
        h = await hazard_in(world, clock, from_status)
        r = await step(world, h["id"], role, full_payload(clock, to_status))
        if (from_status, to_status) not in EXPECTED:
            assert r.status_code == 409, (from_status, to_status, role, r.text)
            body = r.json()
            assert body["code"] == "invalid_transition"
            allowed = {(from_status, a["to_status"]) for a in body["allowed"]}
            assert allowed == {k for k, roles in EXPECTED.items() if k[0] == from_status and role in roles}
        elif role in EXPECTED[(from_status, to_status)]:
            assert r.status_code == 200, (from_status, to_status, role, r.text)
            assert r.json()["status"] == to_status
            assert r.json()["version"] == h["version"] + 1
        else:
            assert r.status_code == 403, (from_status, to_status, role, r.text)
            after = (await world.api.client.get(f"/api/v1/hazards/{h['id']}", headers=world.headers["admin"])).json()["hazard"]
            assert after["status"] == from_status and after["version"] == h["version"]


async def test_out_of_scope_callers_get_404(world, clock, api, admin):
    h = await hazard_in(world, clock, "rectifying")
    other = await api.enterprise(admin, name="另一家公司")
    stranger = await api.as_new("enterprise_user", enterprise_id=other["id"])
    wrong_industry = await api.as_new("inspector", region_code="510681", industries=["construction"])
    wrong_region = await api.as_new("inspector", region_code="510603", industries=["hazchem"])
    for headers in (stranger, wrong_industry, wrong_region):
        r = await api.client.post(f"/api/v1/hazards/{h['id']}/transitions", json=full_payload(clock, "awaiting_recheck"), headers=headers)
        assert r.status_code == 404, r.text
        assert (await api.client.get(f"/api/v1/hazards/{h['id']}", headers=headers)).status_code == 404
        assert (await api.client.get("/api/v1/hazards", headers=headers)).json()["total"] == 0


async def test_major_hazard_is_listed_at_once_and_needs_a_plan(world, clock):
    h = await new_hazard(world, level="major")
    assert h["listed_supervision"] is True and h["listed_at"] is not None
    body = full_payload(clock, "rectifying")
    del body["rectification_plan"]
    r = await step(world, h["id"], "inspector", body)
    assert r.status_code == 400 and r.json()["field"] == "rectification_plan"
    r = await step(world, h["id"], "inspector", full_payload(clock, "rectifying"))
    assert r.status_code == 200 and r.json()["rectification_plan"] == "更换防爆电气"


async def test_general_hazard_needs_deadline_and_responsible_person(world, clock):
    h = await new_hazard(world)
    assert h["listed_supervision"] is False
    for missing in ("deadline", "responsible_person"):
        body = full_payload(clock, "rectifying")
        del body[missing]
        r = await step(world, h["id"], "inspector", body)
        assert r.status_code == 400 and r.json()["field"] == missing
    body = full_payload(clock, "rectifying")
    body["deadline"] = (clock.now() - timedelta(hours=1)).isoformat()
    r = await step(world, h["id"], "inspector", body)
    assert r.status_code == 400 and r.json()["field"] == "deadline"
    body["deadline"] = "2026-04-01T00:00:00"  # no time zone
    r = await step(world, h["id"], "inspector", body)
    assert r.status_code == 400


async def test_enterprise_reports_fix_only_with_evidence(world, clock):
    h = await hazard_in(world, clock, "rectifying")
    r = await step(world, h["id"], "enterprise_user", {"to_status": "awaiting_recheck", "evidence": []})
    assert r.status_code == 400 and r.json()["field"] == "evidence"
    r = await step(world, h["id"], "enterprise_user", {"to_status": "awaiting_recheck", "evidence": ["not-a-hash"]})
    assert r.status_code == 400
    r = await step(world, h["id"], "enterprise_user", {"to_status": "awaiting_recheck", "evidence": [PHOTO2], "reason": "已更换"})
    assert r.status_code == 200 and r.json()["rectification_evidence"] == [PHOTO2]


async def test_failed_recheck_needs_reason_and_new_deadline(world, clock):
    h = await hazard_in(world, clock, "awaiting_recheck")
    r = await step(world, h["id"], "inspector", {"to_status": "rectifying", "deadline": (clock.now() + timedelta(days=5)).isoformat()})
    assert r.status_code == 400 and r.json()["field"] == "reason"
    r = await step(world, h["id"], "inspector", {"to_status": "rectifying", "reason": "接地线仍未连接"})
    assert r.status_code == 400 and r.json()["field"] == "deadline"
    r = await step(world, h["id"], "inspector", {"to_status": "closed", "recheck_passed": False})
    assert r.status_code == 400 and r.json()["field"] == "recheck_passed"
    new_deadline = clock.now() + timedelta(days=5)
    r = await step(world, h["id"], "inspector", {"to_status": "rectifying", "reason": "接地线仍未连接", "deadline": new_deadline.isoformat(), "recheck_passed": False})
    assert r.status_code == 200
    assert r.json()["deadline"].startswith(new_deadline.strftime("%Y-%m-%dT%H:%M"))


async def test_closing_records_the_time_and_history_shows_every_step(world, clock):
    h = await hazard_in(world, clock, "awaiting_recheck")
    clock.advance(days=2)
    r = await step(world, h["id"], "inspector", {"to_status": "closed", "reason": "复查合格", "evidence": [PHOTO2], "recheck_passed": True})
    assert r.status_code == 200
    assert r.json()["closed_at"].startswith(clock.now().strftime("%Y-%m-%dT%H:%M"))
    detail = (await world.api.client.get(f"/api/v1/hazards/{h['id']}", headers=world.headers["viewer"])).json()
    steps = [(e["action"], e["from_status"], e["to_status"], e["resulting_version"]) for e in detail["history"]]
    assert steps == [
        ("created", None, "reported", 1),
        ("order_rectification", "reported", "rectifying", 2),
        ("report_rectified", "rectifying", "awaiting_recheck", 3),
        ("recheck_passed", "awaiting_recheck", "closed", 4),
    ]
    last = detail["history"][-1]
    assert last["actor_id"] == world.user_ids["inspector"] and last["reason"] == "复查合格" and last["evidence"] == [PHOTO2]
    assert detail["allowed"] == []
    audit = (await world.api.client.get(f"/api/v1/audit?entity_id={h['id']}", headers=world.headers["admin"])).json()
    assert [a["action"] for a in audit][0] == "hazard_recheck_passed"


async def test_deadline_extension_by_department_admin_only_with_reason(world, clock):
    h = await hazard_in(world, clock, "rectifying")
    later = (clock.now() + timedelta(days=20)).isoformat()
    for role in ("inspector", "enterprise_user", "evaluator", "viewer"):
        r = await step(world, h["id"], role, {"to_status": "rectifying", "deadline": later, "reason": "设备到货延迟"})
        assert r.status_code == 403, role
    r = await step(world, h["id"], "department_admin", {"to_status": "rectifying", "deadline": later})
    assert r.status_code == 400 and r.json()["field"] == "reason"
    earlier = (clock.now() + timedelta(days=5)).isoformat()
    r = await step(world, h["id"], "department_admin", {"to_status": "rectifying", "deadline": earlier, "reason": "设备到货延迟"})
    assert r.status_code == 400 and r.json()["field"] == "deadline"
    r = await step(world, h["id"], "department_admin", {"to_status": "rectifying", "deadline": later, "reason": "设备到货延迟"})
    assert r.status_code == 200 and r.json()["status"] == "rectifying"
    detail = (await world.api.client.get(f"/api/v1/hazards/{h['id']}", headers=world.headers["admin"])).json()
    ext = detail["history"][-1]
    assert ext["action"] == "extend_deadline" and ext["reason"] == "设备到货延迟" and ext["data"]["previous_deadline"] == h["deadline"]


async def test_overdue_is_derived_from_the_deadline(world, clock):
    h = await hazard_in(world, clock, "rectifying")
    done = await hazard_in(world, clock, "closed")
    client, hdr = world.api.client, world.headers["inspector"]
    assert (await client.get(f"/api/v1/hazards/{h['id']}", headers=hdr)).json()["hazard"]["overdue"] is False
    clock.advance(days=13)
    got = (await client.get(f"/api/v1/hazards/{h['id']}", headers=hdr)).json()["hazard"]
    assert got["overdue"] is True and got["overdue_days"] == 3
    assert (await client.get(f"/api/v1/hazards/{done['id']}", headers=hdr)).json()["hazard"]["overdue"] is False
    overdue = (await client.get("/api/v1/hazards?overdue=true", headers=hdr)).json()
    assert [i["id"] for i in overdue["items"]] == [h["id"]]
    not_overdue = (await client.get("/api/v1/hazards?overdue=false", headers=hdr)).json()
    assert [i["id"] for i in not_overdue["items"]] == [done["id"]]


async def test_stale_base_version_is_refused(world, clock):
    h = await hazard_in(world, clock, "reported")
    body = full_payload(clock, "rectifying") | {"base_version": 0}
    r = await step(world, h["id"], "inspector", body)
    assert r.status_code == 409 and r.json()["code"] == "stale_version" and r.json()["current"]["version"] == 1


async def test_who_may_register_hazards(world, clock, api, admin):
    body = {"enterprise_id": world.enterprise["id"], "level": "general", "description": "消防通道堵塞"}
    for role, status in {"admin": 201, "department_admin": 201, "inspector": 201, "enterprise_user": 201, "evaluator": 403, "viewer": 403}.items():
        r = await api.client.post("/api/v1/hazards", json=body, headers=world.headers[role])
        assert r.status_code == status, (role, r.text)
    other = await api.enterprise(admin, name="另一家公司")
    r = await api.client.post("/api/v1/hazards", json=body | {"enterprise_id": other["id"]}, headers=world.headers["enterprise_user"])
    assert r.status_code == 404
    with_deadline = body | {"deadline": (clock.now() + timedelta(days=7)).isoformat(), "responsible_person": "王五"}
    r = await api.client.post("/api/v1/hazards", json=with_deadline, headers=world.headers["enterprise_user"])
    assert r.status_code == 403 and r.json()["field"] == "deadline"
    r = await api.client.post("/api/v1/hazards", json=with_deadline, headers=world.headers["inspector"])
    assert r.status_code == 201 and r.json()["status"] == "rectifying" and r.json()["version"] == 2
    r = await api.client.post("/api/v1/hazards", json=body | {"levle": "major"}, headers=world.headers["inspector"])
    assert r.status_code == 400 and r.json()["field"] == "levle"


async def test_list_filters(world, clock, api, admin):
    client, hdr = api.client, world.headers["admin"]
    construction = await api.enterprise(admin, name="建筑公司", industries=["construction"], region_code="510603")
    a = await hazard_in(world, clock, "rectifying")
    b = await new_hazard(world, level="major")
    r = await client.post("/api/v1/hazards", json={"enterprise_id": construction["id"], "level": "general", "description": "脚手架未设防护"}, headers=hdr)
    c = r.json()

    async def ids(query: str) -> set[str]:
        body = (await client.get(f"/api/v1/hazards?{query}", headers=hdr)).json()
        assert body["total"] == len(body["items"])
        return {i["id"] for i in body["items"]}

    assert await ids("") == {a["id"], b["id"], c["id"]}
    assert await ids("region_code=510603") == {c["id"]}
    assert await ids("region_code=510600") == {a["id"], b["id"], c["id"]}
    assert await ids("region_code=510681") == {a["id"], b["id"]}
    assert await ids("industry=construction") == {c["id"]}
    assert await ids(f"enterprise_id={world.enterprise['id']}") == {a["id"], b["id"]}
    assert await ids("level=major") == {b["id"]}
    assert await ids("status=rectifying") == {a["id"]}
    assert await ids("listed=true") == {b["id"]}
    assert await ids("listed=false&status=reported") == {c["id"]}
    assert (await client.get("/api/v1/hazards?status=bogus", headers=hdr)).status_code == 400
    # the hazchem department admin of 广汉市 sees neither the construction firm nor its hazard
    mine = (await client.get("/api/v1/hazards", headers=world.headers["department_admin"])).json()
    assert {i["id"] for i in mine["items"]} == {a["id"], b["id"]} and mine["total"] == 2
