"""The authorization matrix of issue 23's endpoints: risk register, plant plan and printables,
safety codes (and their public pages), generated check lists, self-check tasks, the programme's
progress and 评估报告.

Imported at the end of ``authz_matrix.py``. Each builder makes what its call needs on the side's
enterprise first (a risk point, a plan, a report), as the admin or straight in the tables, so no
entry depends on another. Reading is every role in scope (``risk_register.read``,
``dual_prevention.read``); writing the register is admin, department admin and the enterprise's own
user; a report is submitted by the enterprise (or an admin) and decided by its 联络员 (or an admin).
"""

from __future__ import annotations

import io

from PIL import Image
from sqlmodel import col, update

from core.dual_prevention.records import EvaluationReport
from core.enterprises.records import Enterprise
from tests.reliability.authz_matrix import NA, OK, Call, Entry, answers
from tests.reliability.world import Side, World

READ = answers(OK)
READ_OUT = answers(404, admin=OK)
WRITE = answers(403, admin=OK, department_admin=OK, enterprise_user=OK)
WRITE_OUT = answers(403, admin=OK, department_admin=404, enterprise_user=404)
SUBMIT = answers(403, admin=OK, enterprise_user=OK)
SUBMIT_OUT = answers(403, admin=OK, enterprise_user=404)
DECIDE = answers(403, admin=OK, inspector=OK)
DECIDE_OUT = answers(403, admin=OK, inspector=404)


def point_body(name: str = "矩阵风险点") -> dict:
    return {
        "name": name, "kind": "place", "posts": ["矩阵岗位"], "hazard_factors": ["21"], "accident_types": ["fire"],
        "assessment": {"method": "lec", "inputs": {"l": 3, "e": 6, "c": 7}},
        "controls": [{"kind": "management", "text": "每班巡检并记录", "level": "team", "responsible_post": "班长", "responsible_person": "矩阵"}],
        "plan_x": 0.5, "plan_y": 0.5,
    }


async def _admin(world: World, method: str, path: str, **kwargs) -> dict:
    response = await world.api.client.request(method, path, headers={**world.headers["admin"], **kwargs.pop("headers", {})}, **kwargs)
    assert response.status_code < 300, (path, response.status_code, response.text)
    return response.json()


async def stored_point(world: World, side: Side) -> str:
    """A fresh risk point of the side's enterprise (version 1)."""
    enterprise = world.records(side).enterprise["id"]
    return (await _admin(world, "POST", f"/api/v1/enterprises/{enterprise}/risk-register/points", json=point_body()))["id"]


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 210, 220)).save(out, format="PNG")
    return out.getvalue()


def register(world: World, role: str, side: Side) -> Call:
    return Call(path={"enterprise_id": world.records(side).enterprise["id"]})


def new_point(world: World, role: str, side: Side) -> Call:
    return Call(path={"enterprise_id": world.records(side).enterprise["id"]}, json=point_body(f"矩阵新风险点{world.fresh('')}"))


async def with_point(world: World, role: str, side: Side) -> Call:
    """The enterprise, once it has a point (the 告知卡 need a post; generation needs a control)."""
    await stored_point(world, side)
    return register(world, role, side)


async def with_plan(world: World, role: str, side: Side) -> Call:
    enterprise = world.records(side).enterprise["id"]
    await _admin(world, "PUT", f"/api/v1/enterprises/{enterprise}/risk-register/plant-plan", content=png(), headers={"content-type": "image/png"})
    return register(world, role, side)


def upload_plan(world: World, role: str, side: Side) -> Call:
    return Call(path={"enterprise_id": world.records(side).enterprise["id"]}, content=png(), content_type="image/png")


async def point_id(world: World, role: str, side: Side) -> Call:
    return Call(path={"point_id": await stored_point(world, side)})


async def update_point(world: World, role: str, side: Side) -> Call:
    return Call(path={"point_id": await stored_point(world, side)}, json={**point_body("矩阵改名"), "expected_version": 1, "reason": "矩阵修改"})


async def retire_point(world: World, role: str, side: Side) -> Call:
    return Call(path={"point_id": await stored_point(world, side)}, json={"expected_version": 1, "reason": "矩阵撤销"})


async def _enterprise_code(world: World, side: Side) -> str:
    enterprise = world.records(side).enterprise["id"]
    return (await _admin(world, "GET", f"/api/v1/enterprises/{enterprise}/safety-code"))["token"]


async def token(world: World, role: str, side: Side) -> Call:
    return Call(path={"token": await _enterprise_code(world, side)})


async def public_page(world: World, role: str, side: Side) -> Call:
    return Call(path={"token": await _enterprise_code(world, side)}, headers={})


async def _liaison_and_evaluation(world: World, side: Side) -> str:
    """The side's enterprise with a 联络员 (the inside inspector for the inside) and no report
    waiting, and a fresh 小微型 evaluation of it, stored by the admin."""
    enterprise = world.records(side).enterprise["id"]
    liaison = world.user_ids["inspector"] if side == "in" else world.outside_inspector_id
    async with world.api.direct.db.write() as session:
        await session.exec(update(Enterprise).where(col(Enterprise.id) == enterprise).values(liaison_user_id=liaison))  # type: ignore[call-overload]
        await session.exec(update(EvaluationReport).where(col(EvaluationReport.enterprise_id) == enterprise, col(EvaluationReport.status) == "submitted").values(status="accepted"))  # type: ignore[call-overload]
    standard = await _admin(world, "GET", "/api/v1/evaluators/dual_prevention.small_micro/standard")
    items = {item["code"]: {"finding": "矩阵"} for element in standard["elements"] for item in element["items"]}
    body = {"enterprise_id": enterprise, "evaluator": "dual_prevention.small_micro", "input": {"items": items}}
    return (await _admin(world, "POST", "/api/v1/evaluations", json=body))["id"]


async def new_report(world: World, role: str, side: Side) -> Call:
    return Call(json={"evaluation_id": await _liaison_and_evaluation(world, side), "note": "矩阵自评估"})


async def _stored_report(world: World, side: Side) -> str:
    evaluation = await _liaison_and_evaluation(world, side)
    return (await _admin(world, "POST", "/api/v1/dual-prevention/reports", json={"evaluation_id": evaluation}))["id"]


async def report_id(world: World, role: str, side: Side) -> Call:
    return Call(path={"report_id": await _stored_report(world, side)})


async def decide(world: World, role: str, side: Side) -> Call:
    return Call(path={"report_id": await _stored_report(world, side)}, json={"decision": "accept", "expected_version": 1})


REGISTER = "/api/v1/enterprises/{enterprise_id:str}"
DUAL_PREVENTION_ENTRIES = [
    Entry("GET", f"{REGISTER}/risk-register", READ, READ_OUT, register),
    Entry("GET", f"{REGISTER}/risk-register/history", READ, READ_OUT, register),
    Entry("POST", f"{REGISTER}/risk-register/points", WRITE, WRITE_OUT, new_point, note="the enterprise builds its own register; supervisors may help"),
    Entry("GET", f"{REGISTER}/risk-register/plant-plan", READ, READ_OUT, with_plan),
    Entry("PUT", f"{REGISTER}/risk-register/plant-plan", WRITE, WRITE_OUT, upload_plan),
    Entry("GET", f"{REGISTER}/four-colour-map.svg", READ, READ_OUT, register),
    Entry("GET", f"{REGISTER}/four-colour-map.png", READ, READ_OUT, register),
    Entry("GET", f"{REGISTER}/risk-notice-cards.pdf", READ, READ_OUT, with_point),
    Entry("GET", f"{REGISTER}/safety-code", READ, READ_OUT, register),
    Entry("POST", f"{REGISTER}/safety-code/renew", WRITE, WRITE_OUT, register),
    Entry("GET", f"{REGISTER}/check-lists", READ, READ_OUT, register),
    Entry("POST", f"{REGISTER}/check-lists/generate", WRITE, WRITE_OUT, with_point),
    Entry("GET", f"{REGISTER}/self-checks/summary", READ, READ_OUT, register),
    Entry("GET", "/api/v1/risk-points/{point_id:str}", READ, READ_OUT, point_id),
    Entry("PUT", "/api/v1/risk-points/{point_id:str}", WRITE, WRITE_OUT, update_point),
    Entry("POST", "/api/v1/risk-points/{point_id:str}/retire", WRITE, WRITE_OUT, retire_point),
    Entry("GET", "/api/v1/risk-points/{point_id:str}/history", READ, READ_OUT, point_id),
    Entry("GET", "/api/v1/risk-points/{point_id:str}/safety-code", READ, READ_OUT, point_id),
    Entry("POST", "/api/v1/risk-points/{point_id:str}/safety-code/renew", WRITE, WRITE_OUT, point_id),
    Entry("GET", "/api/v1/safety-codes/{token:str}", READ, READ_OUT, token, note="what a scanned code names, within the scanner's scope"),
    Entry("GET", "/s/{token:str}", READ, READ, public_page, note="the public 安全码 page: no login, only what may be public", public=True),
    Entry("GET", "/s/{token:str}/qr.svg", READ, READ, public_page, public=True),
    Entry("GET", "/api/v1/self-check-tasks", READ, NA, note="only tasks of enterprises in scope"),
    Entry("GET", "/api/v1/dual-prevention/progress", READ, NA, note="only enterprises in scope (an enterprise user: its own)"),
    Entry("GET", "/api/v1/dual-prevention/reports", READ, NA, note="only reports of enterprises in scope"),
    Entry("POST", "/api/v1/dual-prevention/reports", SUBMIT, SUBMIT_OUT, new_report),
    Entry("GET", "/api/v1/dual-prevention/reports/{report_id:str}", READ, READ_OUT, report_id),
    Entry("GET", "/api/v1/dual-prevention/reports/{report_id:str}/report.pdf", READ, READ_OUT, report_id),
    Entry("POST", "/api/v1/dual-prevention/reports/{report_id:str}/decision", DECIDE, DECIDE_OUT, decide,
          note="the enterprise's own 联络员 (the inside inspector) or an admin"),
]
