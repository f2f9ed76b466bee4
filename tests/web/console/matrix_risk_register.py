"""The console matrix's entries for the risk register (风险清单, 安全码, 四色分布图; see matrix_kit.py).

Reading is the API's ``risk_register.read`` (every role, over its scope: an enterprise user its own
enterprise only); changing is ``risk_register.write`` (admin, department admin, enterprise user):
other roles get 403 before anything is looked up, writers 404 outside their scope, as in the API.
Points and plans are made through the API as the admin, one per call, so no entry depends on another.
"""

from __future__ import annotations

import io
from typing import Any

import httpx
from PIL import Image

from tests.reliability.authz_matrix import answers
from tests.reliability.world import Side, World
from tests.web.console.conftest import ConsoleUser
from tests.web.console.matrix_kit import ALL, GO, OK, OUT_404, ConsoleEntry, get

WRITERS = answers(403, admin=OK, department_admin=OK, enterprise_user=OK)
WRITERS_OUT = answers(403, admin=OK, department_admin=404, enterprise_user=404)
WRITERS_GO = answers(403, admin=GO, department_admin=GO, enterprise_user=GO)
WRITERS_GO_OUT = answers(403, admin=GO, department_admin=404, enterprise_user=404)

POINT: dict[str, Any] = {
    "name": "矩阵风险点", "kind": "place", "posts": ["操作工"], "hazard_factors": ["21"], "accident_types": ["fire"],
    "assessment": {"method": "lec", "inputs": {"l": 3, "e": 6, "c": 7}},
    "controls": [{"kind": "management", "text": "每班巡检", "level": "team", "responsible_post": "班长", "responsible_person": "张三"}],
}
FORM: dict[str, Any] = {
    "name": "矩阵表单风险点", "kind": "place", "posts": "操作工", "hazard_factors": ["21"], "accident_types": ["fire"], "assessment_method": "lec",
    "lec_l": "3", "lec_e": "6", "lec_c": "7", "controls[0].kind": "management", "controls[0].text": "每班巡检", "controls[0].level": "team",
    "controls[0].responsible_post": "班长", "controls[0].responsible_person": "张三",
}


def _enterprise(world: World, side: Side) -> str:
    return world.records(side).enterprise["id"]


async def _point(world: World, side: Side) -> dict[str, Any]:
    response = await world.api.client.post(f"/api/v1/enterprises/{_enterprise(world, side)}/risk-register/points", json=POINT, headers=world.headers["admin"])
    assert response.status_code == 201, response.text
    return response.json()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 120), (230, 235, 240)).save(out, format="PNG")
    return out.getvalue()


async def _with_plan(world: World, side: Side) -> str:
    url = f"/api/v1/enterprises/{_enterprise(world, side)}/risk-register/plant-plan"
    response = await world.api.client.put(url, content=_png(), headers={**world.headers["admin"], "content-type": "image/png"})
    assert response.status_code == 200, response.text
    return _enterprise(world, side)


async def renew(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.post(f"/enterprises/{_enterprise(world, side)}/safety-code/renew", {})


async def upload(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.post(f"/enterprises/{_enterprise(world, side)}/risk-register/plant-plan", {}, files={"file": ("plan.png", _png(), "image/png")})


async def plan_image(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.get(f"/enterprises/{await _with_plan(world, side)}/risk-register/plant-plan")


async def cards(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    await _point(world, side)
    return await user.get(f"/enterprises/{_enterprise(world, side)}/risk-notice-cards.pdf?size=A5")


async def create(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.post(f"/enterprises/{_enterprise(world, side)}/risk-register/points", FORM)


async def point_page(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.get(f"/risk-points/{(await _point(world, side))['id']}")


async def edit_page(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.get(f"/risk-points/{(await _point(world, side))['id']}/edit")


async def update(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    point = await _point(world, side)
    form = {**FORM, "controls[0].code": point["controls"][0]["code"], "expected_version": str(point["version"]), "reason": "矩阵修改"}
    return await user.post(f"/risk-points/{point['id']}/edit", form)


async def retire(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    point = await _point(world, side)
    return await user.post(f"/risk-points/{point['id']}/retire", {"reason": "矩阵撤销", "expected_version": str(point["version"])})


ENTRIES: list[ConsoleEntry] = [
    ConsoleEntry("GET", "/enterprises/{enterprise_id:str}/risk-register", ALL, OUT_404, get(lambda w, s: f"/enterprises/{_enterprise(w, s)}/risk-register")),
    ConsoleEntry("GET", "/enterprises/{enterprise_id:str}/safety-code", ALL, OUT_404, get(lambda w, s: f"/enterprises/{_enterprise(w, s)}/safety-code")),
    ConsoleEntry("POST", "/enterprises/{enterprise_id:str}/safety-code/renew", WRITERS_GO, WRITERS_GO_OUT, renew, "renew_code: the old token stops working"),
    ConsoleEntry("GET", "/enterprises/{enterprise_id:str}/risk-register/map", ALL, OUT_404, get(lambda w, s: f"/enterprises/{_enterprise(w, s)}/risk-register/map")),
    ConsoleEntry("POST", "/enterprises/{enterprise_id:str}/risk-register/plant-plan", WRITERS_GO, WRITERS_GO_OUT, upload, "a PNG through upload_plan"),
    ConsoleEntry("GET", "/enterprises/{enterprise_id:str}/risk-register/plant-plan", ALL, OUT_404, plan_image, "the plan image the form places points on"),
    ConsoleEntry("GET", "/enterprises/{enterprise_id:str}/four-colour-map.svg", ALL, OUT_404, get(lambda w, s: f"/enterprises/{_enterprise(w, s)}/four-colour-map.svg")),
    ConsoleEntry("GET", "/enterprises/{enterprise_id:str}/four-colour-map.png", ALL, OUT_404, get(lambda w, s: f"/enterprises/{_enterprise(w, s)}/four-colour-map.png")),
    ConsoleEntry("GET", "/enterprises/{enterprise_id:str}/risk-notice-cards.pdf", ALL, OUT_404, cards, "岗位风险告知卡 of a register naming a post"),
    ConsoleEntry("GET", "/enterprises/{enterprise_id:str}/risk-register/new", WRITERS, WRITERS_OUT, get(lambda w, s: f"/enterprises/{_enterprise(w, s)}/risk-register/new")),
    ConsoleEntry("POST", "/enterprises/{enterprise_id:str}/risk-register/points", WRITERS_GO, WRITERS_GO_OUT, create, "create_point, 303 to the point"),
    ConsoleEntry("GET", "/risk-points/{point_id:str}", ALL, OUT_404, point_page),
    ConsoleEntry("GET", "/risk-points/{point_id:str}/edit", WRITERS, WRITERS_OUT, edit_page),
    ConsoleEntry("POST", "/risk-points/{point_id:str}/edit", WRITERS_GO, WRITERS_GO_OUT, update, "update_point with the page's version and a reason"),
    ConsoleEntry("POST", "/risk-points/{point_id:str}/retire", WRITERS_GO, WRITERS_GO_OUT, retire, "retire_point with a reason"),
]
