"""The fixture "world" of the authorization matrix: one record inside and one outside each scope.

Inside: 广汉市 ``510681`` × ``hazchem``. Outside: 锦江区 ``510104`` × ``construction`` — different
in region *and* industry, so no non-admin role of the world may see it. One user of every role is
scoped to the inside (the department admin one level up, at 德阳市 ``510600``; the enterprise user
tied to the inside enterprise), and one outside inspector owns the outside records (device, user).

Request builders in ``authz_matrix.py`` take ``(world, role, side)`` and read what they need here;
a builder that needs a fresh record (a new grid code, a new device, a throwaway session) makes it
through the helpers below, so the matrix never depends on the order of its entries.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from tests.conftest import PASSWORD, Api, valid_uscc

Side = Literal["in", "out"]
ROLES: tuple[str, ...] = ("admin", "department_admin", "inspector", "evaluator", "enterprise_user", "viewer")

IN_REGION, OUT_REGION = "510681", "510104"
IN_INDUSTRY, OUT_INDUSTRY = "hazchem", "construction"
YEAR = 2026  # the test clock's year (tests/conftest.py)
FAR_DEADLINE = "2099-01-01T00:00:00+08:00"


def checklist_definition(checklist_id: str, industry: str, version: str = "1.0.0") -> dict[str, Any]:
    """A minimal valid checklist for ``industry``."""
    return {
        "id": checklist_id,
        "version": version,
        "title": "授权矩阵测试检查表",
        "industry": industry,
        "total_points": 10,
        "sections": [
            {
                "code": "A",
                "title": "基础管理",
                "points": 10,
                "items": [{"code": "A-1", "text": "建立安全生产责任制", "basis": [{"document": "中华人民共和国安全生产法"}], "points": 10}],
            }
        ],
    }


@dataclass
class Records:
    """The records on one side of the scope line."""

    region_code: str
    industry: str
    enterprise: dict[str, Any]
    checklist_id: str
    checklist_version: str
    user_id: str  # a bystander user (changed by PATCH /users, never logged in)
    checklist_hash: str = ""
    inspector: str = ""  # username of the inspector who owns this side's tablet records
    hazard_id: str = ""  # a hazard in status "reported"
    plan_id: str = ""
    assignment_id: str = ""  # generated from ``plan_id``
    draw_id: str = ""
    tie_id: str = ""
    inspection_id: str = ""
    notification_id: str = ""  # addressed to this side's inspector
    conflict_id: str = ""  # pushed by this side's inspector
    quarantine_id: str = ""  # pushed by this side's inspector


@dataclass
class World:
    api: Api
    headers: dict[str, dict[str, str]]
    usernames: dict[str, str]
    user_ids: dict[str, str]
    inside: Records
    outside: Records
    markers: list[str] = field(default_factory=list)  # strings of the outside that no non-admin may ever read
    outside_device_owner: str = "matrix_out_inspector"  # an outside user whose devices nobody else may touch
    outside_inspector_id: str = ""
    tie_inspector_id: str = ""  # an inspector nobody's scope covers, tied to the world's enterprises
    tie_inspector2_id: str = ""  # another one, for ties that the matrix's calls declare and remove
    snapshot_id: str = ""  # a 月调度 snapshot (system-wide; each caller sees only its cells)
    notification_ids: dict[str, str] = field(default_factory=dict)  # role -> a notification addressed to that role's user
    device_sessions: dict[str, dict[str, str]] = field(default_factory=dict)  # username -> headers of a device session

    def records(self, side: Side) -> Records:
        return self.inside if side == "in" else self.outside

    @staticmethod
    def fresh(prefix: str = "x") -> str:
        """A unique lower-case token (usable in usernames, grid codes and checklist ids)."""
        return f"{prefix}{uuid.uuid4().hex[:10]}"

    async def login(self, username: str, *, device_id: str | None = None) -> dict[str, Any]:
        """A fresh login (its own session) as ``username``; the token pair JSON."""
        body: dict[str, Any] = {"username": username, "password": PASSWORD}
        if device_id:
            body["device_id"] = device_id
        response = await self.api.client.post("/api/v1/auth/login", json=body)
        assert response.status_code == 200, response.text
        return response.json()

    async def fresh_headers(self, role: str) -> dict[str, str]:
        """Headers of a new session of the world's ``role`` user (for calls that end a session)."""
        pair = await self.login(self.usernames[role])
        return {"Authorization": f"Bearer {pair['access_token']}"}

    async def fresh_headers_of(self, username: str) -> dict[str, str]:
        """Headers of a new session of any user of the world."""
        pair = await self.login(username)
        return {"Authorization": f"Bearer {pair['access_token']}"}

    async def enrol_device(self, username: str) -> str:
        """Enrol a new tablet for ``username`` (by logging in with it) and return its id."""
        device_id = str(uuid.uuid4())
        await self.login(username, device_id=device_id)
        return device_id

    async def device_headers(self, username: str) -> dict[str, str]:
        """Headers of a device session of ``username`` (sync needs one), opened once and kept."""
        if username not in self.device_sessions:
            pair = await self.login(username, device_id=str(uuid.uuid4()))
            self.device_sessions[username] = {"Authorization": f"Bearer {pair['access_token']}"}
        return self.device_sessions[username]

    async def push(self, username: str, record: dict[str, Any]) -> dict[str, Any]:
        """Push one record from a tablet of ``username``; its push result."""
        response = await self.api.client.post("/api/v1/sync/push", json={"records": [record]}, headers=await self.device_headers(username))
        assert response.status_code == 200, response.text
        return response.json()["results"][0]

    async def new_hazard(self, side: Side, level: str = "general", description: str = "") -> dict[str, Any]:
        """A fresh hazard (status ``reported``) of the side's enterprise, registered by the admin."""
        body = {"enterprise_id": self.records(side).enterprise["id"], "level": level, "description": description or f"矩阵隐患{self.fresh('')}"}
        response = await self.api.client.post("/api/v1/hazards", json=body, headers=self.headers["admin"])
        assert response.status_code == 201, response.text
        return response.json()

    async def new_conflict(self, side: Side) -> str:
        """A kept sync conflict: the side's inspector pushes a step based on a stale hazard version."""
        hazard = await self.new_hazard(side)
        record = {"kind": "hazard_update", "id": str(uuid.uuid4()), "hazard_id": hazard["id"], "base_version": hazard["version"] + 5,
                  "transition": {"to_status": "rectifying", "deadline": FAR_DEADLINE, "responsible_person": "张三"}}
        result = await self.push(self.records(side).inspector, record)
        assert result["status"] == "conflict", result
        return result["conflict_id"]

    async def new_quarantined(self, side: Side) -> tuple[str, dict[str, Any]]:
        """A quarantined record of the side's inspector (a step the state machine has not) and its
        corrected payload (the same record id with a valid step, accepted on re-ingest)."""
        hazard = await self.new_hazard(side)
        record: dict[str, Any] = {"kind": "hazard_update", "id": str(uuid.uuid4()), "hazard_id": hazard["id"], "base_version": hazard["version"],
                                  "transition": {"to_status": "closed"}}
        result = await self.push(self.records(side).inspector, record)
        assert result["status"] == "rejected", result
        corrected = {**record, "transition": {"to_status": "rectifying", "deadline": FAR_DEADLINE, "responsible_person": "张三"}}
        return result["quarantine_id"], corrected


async def _publish(api: Api, admin: dict[str, str], definition: dict[str, Any]) -> str:
    response = await api.client.post("/api/v1/checklists", json=definition, headers=admin)
    assert response.status_code == 201, response.text
    return response.json()["content_hash"]


async def _post(world: World, path: str, body: Any, headers: dict[str, str] | None = None, **params: Any) -> Any:
    response = await world.api.client.post(path, json=body, params=params, headers=headers or world.headers["admin"])
    assert response.status_code in (200, 201), f"{path}: {response.status_code} {response.text}"
    return response.json()


async def _notify(world: World, key: str, title: str, *, user_id: str, enterprise_id: str | None = None) -> str:
    """A notification for one user, written through the service as a job would."""
    from sqlmodel import col, select

    from core.notifications.notices import Notification, notify

    async with world.api.direct.db.write() as session:
        await notify(session, world.api.direct, dedup_key=key, kind="deadline_soon", title=title, body="整改期限临近", user_id=user_id, enterprise_id=enterprise_id)
    async with world.api.direct.db.read() as session:
        return (await session.exec(select(Notification.id).where(col(Notification.dedup_key) == key))).one()


async def _add_records(world: World, side: Side) -> None:
    """One of every newer kind of record on ``side`` (all made the documented way: API or service)."""
    records, admin = world.records(side), world.headers["admin"]
    enterprise_id = records.enterprise["id"]
    records.hazard_id = (await world.new_hazard(side, "major", f"矩阵{'内' if side == 'in' else '外'}重大隐患"))["id"]
    plan = await _post(world, "/api/v1/plans", {"year": YEAR, "title": f"矩阵{'内' if side == 'in' else '外'}检查计划", "region_code": records.region_code, "industries": [records.industry]})
    records.plan_id = plan["id"]
    await _post(world, f"/api/v1/plans/{plan['id']}/generate", None)
    assignments = (await world.api.client.get("/api/v1/assignments", params={"plan_id": plan["id"]}, headers=admin)).json()
    assert assignments, f"plan {plan['id']} generated no assignment"
    records.assignment_id = assignments[0]["id"]
    draw = await _post(world, "/api/v1/random-draws", {"title": f"矩阵双随机{side}", "region_code": records.region_code, "industries": [records.industry],
                                                      "enterprise_count": 1, "inspectors_per_enterprise": 1, "due_from": f"{YEAR}-04-01", "due_until": f"{YEAR}-04-30", "seed": f"matrix-{side}"})
    records.draw_id = draw["id"]
    records.tie_id = (await _post(world, "/api/v1/inspector-ties", {"inspector_id": world.tie_inspector_id, "enterprise_id": enterprise_id, "reason": "近亲属任职"}))["id"]
    inspector_headers = await world.fresh_headers_of(records.inspector)
    records.inspection_id = (await _post(world, "/api/v1/inspections", {"enterprise_id": enterprise_id, "inspected_at": f"{YEAR}-03-01T10:00:00+08:00"}, inspector_headers))["id"]
    inspector_id = world.user_ids.get("inspector") if side == "in" else world.outside_inspector_id
    records.notification_id = await _notify(world, f"matrix:{side}", f"矩阵{'内' if side == 'in' else '外'}通知", user_id=inspector_id or "", enterprise_id=enterprise_id)
    records.conflict_id = await world.new_conflict(side)
    records.quarantine_id, _ = await world.new_quarantined(side)


async def build_world(api: Api) -> World:
    """Create the world through the API (admin) and log in one user of each role."""
    await api.user("matrix_admin", "admin")
    admin = await api.login("matrix_admin")
    inside_ent = await api.enterprise(admin, name="矩阵内化工有限公司", region_code=IN_REGION, industries=[IN_INDUSTRY], uscc=valid_uscc(IN_REGION))
    outside_ent = await api.enterprise(admin, name="矩阵外建筑有限公司", region_code=OUT_REGION, industries=[OUT_INDUSTRY], uscc=valid_uscc(OUT_REGION))
    inside_hash = await _publish(api, admin, checklist_definition("matrix.inside", IN_INDUSTRY))
    outside_hash = await _publish(api, admin, checklist_definition("matrix.outside", OUT_INDUSTRY))

    scopes: dict[str, dict[str, Any]] = {
        "admin": {},
        "department_admin": {"region_code": "510600", "industries": [IN_INDUSTRY]},
        "inspector": {"region_code": IN_REGION, "industries": [IN_INDUSTRY]},
        "evaluator": {"region_code": IN_REGION, "industries": [IN_INDUSTRY]},
        "enterprise_user": {"enterprise_id": inside_ent["id"]},
        "viewer": {"region_code": IN_REGION, "industries": [IN_INDUSTRY]},
    }
    headers = {"admin": admin}
    usernames = {"admin": "matrix_admin"}
    user_ids: dict[str, str] = {}
    for role, scope in scopes.items():
        if role != "admin":
            usernames[role] = f"matrix_{role}"
            user_ids[role] = await api.user(usernames[role], role, **scope)
            headers[role] = await api.login(usernames[role])
    user_ids["admin"] = (await api.client.get("/api/v1/auth/me", headers=admin)).json()["id"]

    inside_bystander = await api.user("matrix_in_bystander", "viewer", region_code=IN_REGION, industries=[IN_INDUSTRY])
    outside_bystander = await api.user("matrix_out_bystander", "viewer", region_code=OUT_REGION, industries=[OUT_INDUSTRY])
    outside_inspector = await api.user("matrix_out_inspector", "inspector", region_code=OUT_REGION, industries=[OUT_INDUSTRY])

    world = World(
        api=api,
        headers=headers,
        usernames=usernames,
        user_ids=user_ids,
        inside=Records(IN_REGION, IN_INDUSTRY, inside_ent, "matrix.inside", "1.0.0", inside_bystander, inside_hash, "matrix_inspector"),
        outside=Records(OUT_REGION, OUT_INDUSTRY, outside_ent, "matrix.outside", "1.0.0", outside_bystander, outside_hash, "matrix_out_inspector"),
    )
    outside_device = await world.enrol_device(world.outside_device_owner)
    world.outside_inspector_id = outside_inspector
    # an inspector outside everyone's scope (泸州市 × coal), tied to one enterprise on each side
    world.tie_inspector_id = await api.user("matrix_tie_inspector", "inspector", region_code="510500", industries=["coal"])
    world.tie_inspector2_id = await api.user("matrix_tie_inspector2", "inspector", region_code="510500", industries=["coal"])
    for side in ("in", "out"):
        await _add_records(world, side)  # type: ignore[arg-type]
    # a province-wide draw over both sides: visible to the inside staff, whose view must not show the outside enterprise
    await _post(world, "/api/v1/random-draws", {"title": "矩阵全省双随机", "region_code": "510000", "industries": [IN_INDUSTRY, OUT_INDUSTRY],
                                               "enterprise_count": 2, "inspectors_per_enterprise": 1, "due_from": f"{YEAR}-05-01", "due_until": f"{YEAR}-05-31", "seed": "matrix-both"})
    for role, user_id in user_ids.items():
        world.notification_ids[role] = await _notify(world, f"matrix:role:{role}", "矩阵通知", user_id=user_id)
    await _post(world, "/api/v1/jobs/monthly_dispatch/run", None)
    world.snapshot_id = (await world.api.client.get("/api/v1/reports/snapshots", headers=admin)).json()[0]["id"]
    out = world.outside
    world.markers = [
        outside_ent["id"], outside_ent["uscc"], outside_ent["name"], outside_device,
        out.hazard_id, out.plan_id, "矩阵外检查计划", out.assignment_id, out.draw_id, out.tie_id, out.inspection_id,
        out.notification_id, "矩阵外通知", "矩阵外重大隐患", out.conflict_id, out.quarantine_id,
    ]
    return world
