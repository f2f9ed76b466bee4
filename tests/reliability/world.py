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

    async def enrol_device(self, username: str) -> str:
        """Enrol a new tablet for ``username`` (by logging in with it) and return its id."""
        device_id = str(uuid.uuid4())
        await self.login(username, device_id=device_id)
        return device_id


async def _publish(api: Api, admin: dict[str, str], definition: dict[str, Any]) -> None:
    response = await api.client.post("/api/v1/checklists", json=definition, headers=admin)
    assert response.status_code == 201, response.text


async def build_world(api: Api) -> World:
    """Create the world through the API (admin) and log in one user of each role."""
    await api.user("matrix_admin", "admin")
    admin = await api.login("matrix_admin")
    inside_ent = await api.enterprise(admin, name="矩阵内化工有限公司", region_code=IN_REGION, industries=[IN_INDUSTRY], uscc=valid_uscc(IN_REGION))
    outside_ent = await api.enterprise(admin, name="矩阵外建筑有限公司", region_code=OUT_REGION, industries=[OUT_INDUSTRY], uscc=valid_uscc(OUT_REGION))
    await _publish(api, admin, checklist_definition("matrix.inside", IN_INDUSTRY))
    await _publish(api, admin, checklist_definition("matrix.outside", OUT_INDUSTRY))

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
    await api.user("matrix_out_inspector", "inspector", region_code=OUT_REGION, industries=[OUT_INDUSTRY])

    world = World(
        api=api,
        headers=headers,
        usernames=usernames,
        user_ids=user_ids,
        inside=Records(IN_REGION, IN_INDUSTRY, inside_ent, "matrix.inside", "1.0.0", inside_bystander),
        outside=Records(OUT_REGION, OUT_INDUSTRY, outside_ent, "matrix.outside", "1.0.0", outside_bystander),
    )
    outside_device = await world.enrol_device(world.outside_device_owner)
    world.markers = [outside_ent["id"], outside_ent["uscc"], outside_ent["name"], outside_device]
    return world
