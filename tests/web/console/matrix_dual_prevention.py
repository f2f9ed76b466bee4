"""The console matrix's entries for 双重预防 (隐患排查清单, 自查任务, progress, 评估报告; see matrix_kit.py).

Reading is the API's: ``risk_register.read`` for lists and tasks, ``dual_prevention.read`` for the
progress view and reports (every role, over its scope). Generating lists is ``risk_register.write``
(admin, department admin, enterprise user); submitting a report ``dual_prevention.report_submit``
(admin, enterprise user); deciding ``dual_prevention.report_review`` (admin, and the inspector named as
the enterprise's 联络员) — other roles get 403 before anything is looked up, actors 404 outside their
scope. Each side's enterprise is given its side's inspector as 联络员, and reports are made through the
API as the admin, so no entry depends on another.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.reliability.authz_matrix import answers
from tests.reliability.world import Side, World
from tests.web.console.conftest import ConsoleUser
from tests.web.console.matrix_kit import ALL, GO, NA, OK, OUT_404, ConsoleEntry, get
from tests.web.console.matrix_risk_register import POINT

STANDARD = "dual_prevention.small_micro"
WRITERS = answers(403, admin=OK, department_admin=OK, enterprise_user=OK)
WRITERS_OUT = answers(403, admin=OK, department_admin=404, enterprise_user=404)
SUBMITTERS_GO = answers(403, admin=GO, enterprise_user=GO)
SUBMITTERS_GO_OUT = answers(403, admin=GO, enterprise_user=404)
REVIEWERS_GO = answers(403, admin=GO, inspector=GO)
REVIEWERS_GO_OUT = answers(403, admin=GO, inspector=404)


def _enterprise(world: World, side: Side) -> str:
    return world.records(side).enterprise["id"]


async def _admin(world: World, method: str, path: str, **kwargs: Any) -> Any:
    response = await world.api.client.request(method, path, headers=world.headers["admin"], **kwargs)
    assert response.status_code in (200, 201), f"{method} {path}: {response.status_code} {response.text}"
    return response.json()


async def _with_liaison(world: World, side: Side) -> str:
    """The side's enterprise with the side's inspector as its 联络员 (named once)."""
    enterprise_id = _enterprise(world, side)
    liaison = world.user_ids["inspector"] if side == "in" else world.outside_inspector_id
    current = await _admin(world, "GET", f"/api/v1/enterprises/{enterprise_id}")
    if current.get("liaison_user_id") != liaison:
        await _admin(world, "PATCH", f"/api/v1/enterprises/{enterprise_id}", json={"liaison_user_id": liaison})
    return enterprise_id


async def _evaluation(world: World, side: Side) -> str:
    """A self-assessment against the 小微型 standard, every item answered, stored by the admin."""
    standard = await _admin(world, "GET", f"/api/v1/evaluators/{STANDARD}/standard")
    items = {item["code"]: {"applicable": True, "finding": "矩阵核查"} for element in standard["elements"] for item in element["items"]}
    body = {"enterprise_id": _enterprise(world, side), "evaluator": STANDARD, "input": {"items": items}}
    return str((await _admin(world, "POST", "/api/v1/evaluations", json=body))["id"])


async def _waiting(world: World, enterprise_id: str) -> list[dict[str, Any]]:
    return list(await _admin(world, "GET", "/api/v1/dual-prevention/reports", params={"enterprise_id": enterprise_id, "status": "submitted"}))


async def _report(world: World, side: Side) -> dict[str, Any]:
    """A report waiting for review (the one already waiting, or a new one)."""
    enterprise_id = await _with_liaison(world, side)
    waiting = await _waiting(world, enterprise_id)
    if waiting:
        return waiting[0]
    return dict(await _admin(world, "POST", "/api/v1/dual-prevention/reports", json={"evaluation_id": await _evaluation(world, side), "note": "矩阵报告"}))


async def generate(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    enterprise_id = _enterprise(world, side)
    await _admin(world, "POST", f"/api/v1/enterprises/{enterprise_id}/risk-register/points", json=POINT)
    return await user.post(f"/enterprises/{enterprise_id}/check-lists/generate", {})


async def submit(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    enterprise_id = await _with_liaison(world, side)
    for report in await _waiting(world, enterprise_id):  # one report waits at a time
        await _admin(world, "POST", f"/api/v1/dual-prevention/reports/{report['id']}/decision", json={"decision": "accept", "expected_version": report["version"]})
    return await user.post("/dual-prevention/reports", {"evaluation_id": await _evaluation(world, side), "note": "矩阵提交"})


async def report_page(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.get(f"/dual-prevention/reports/{(await _report(world, side))['id']}")


async def report_pdf(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.get(f"/dual-prevention/reports/{(await _report(world, side))['id']}/report.pdf")


async def decide(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    report = await _report(world, side)
    return await user.post(f"/dual-prevention/reports/{report['id']}/decision", {"decision": "accept", "expected_version": str(report["version"])})


ENTRIES: list[ConsoleEntry] = [
    ConsoleEntry("GET", "/enterprises/{enterprise_id:str}/check-lists", ALL, OUT_404, get(lambda w, s: f"/enterprises/{_enterprise(w, s)}/check-lists")),
    ConsoleEntry("POST", "/enterprises/{enterprise_id:str}/check-lists/generate", WRITERS, WRITERS_OUT, generate,
                 "generate_check_lists from a register with a control; the outcome on the page (200)"),
    ConsoleEntry("GET", "/enterprises/{enterprise_id:str}/self-checks", ALL, OUT_404, get(lambda w, s: f"/enterprises/{_enterprise(w, s)}/self-checks")),
    ConsoleEntry("GET", "/dual-prevention", ALL, NA, get("/dual-prevention"), "the programme's enterprises in scope only (markers)"),
    ConsoleEntry("GET", "/dual-prevention/progress.csv", ALL, NA, get("/dual-prevention/progress.csv")),
    ConsoleEntry("GET", "/dual-prevention/reports", ALL, NA, get("/dual-prevention/reports"), "reports in scope only (markers)"),
    ConsoleEntry("POST", "/dual-prevention/reports", SUBMITTERS_GO, SUBMITTERS_GO_OUT, submit, "submit_report, 303 to the report"),
    ConsoleEntry("GET", "/dual-prevention/reports/{report_id:str}", ALL, OUT_404, report_page),
    ConsoleEntry("POST", "/dual-prevention/reports/{report_id:str}/decision", REVIEWERS_GO, REVIEWERS_GO_OUT, decide,
                 "the 联络员 (the side's inspector) or an admin accepts"),
    ConsoleEntry("GET", "/dual-prevention/reports/{report_id:str}/report.pdf", ALL, OUT_404, report_pdf),
]
