"""The console matrix's entries for the plans area (see matrix_kit.py): 检查 (the inspections list),
计划 and 双随机 — the same answers as the API's matrix gives ``/api/v1/inspections``, ``/plans`` and
``/random-draws`` (tests/reliability/authz_matrix.py), as pages: 303 where the API answers 200/201."""

from __future__ import annotations

import httpx

from tests.reliability.authz_matrix import answers
from tests.reliability.world import YEAR, Side, World
from tests.web.console.conftest import ConsoleUser
from tests.web.console.matrix_kit import GO, NA, OK, ConsoleEntry, get

STAFF = answers(OK, enterprise_user=403)  # plan.read, inspection.read: every role but the enterprise user
STAFF_OUT = answers(404, admin=OK, enterprise_user=403)
ADMINS = answers(403, admin=OK, department_admin=OK)  # plan.write, random_draw.run
ADMINS_GO = answers(403, admin=GO, department_admin=GO)


async def new_plan(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    records = world.records(side)
    return await user.post("/plans", {"year": str(YEAR), "title": f"矩阵新计划{world.fresh('')}", "region_code": records.region_code, "industries": records.industry})


async def generate(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.post(f"/plans/{world.records(side).plan_id}/generate", {})


async def new_draw(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    records = world.records(side)
    return await user.post("/random-draws", {
        "title": f"矩阵抽查{world.fresh('')}", "region_code": records.region_code, "industries": records.industry, "enterprise_count": "1",
        "inspectors_per_enterprise": "1", "due_from": f"{YEAR}-06-01", "due_until": f"{YEAR}-06-30",
    })


ENTRIES: list[ConsoleEntry] = [
    ConsoleEntry("GET", "/inspections", STAFF, NA, get("/inspections"), "inspection.read over the caller's enterprises (markers checked)"),
    ConsoleEntry("GET", "/plans", STAFF, NA, get("/plans"), "plans overlapping the caller's scope, with their coverage"),
    ConsoleEntry("GET", "/plans/new", ADMINS, NA, get("/plans/new"), "plan.write"),
    ConsoleEntry("POST", "/plans", ADMINS_GO, answers(403, admin=GO), new_plan,
                 "outside the department's jurisdiction: 403 beside the form (nothing exists to hide), as the API"),
    ConsoleEntry("GET", "/plans/{plan_id:str}", STAFF, STAFF_OUT, get(lambda w, s: f"/plans/{w.records(s).plan_id}")),
    ConsoleEntry("POST", "/plans/{plan_id:str}/generate", ADMINS_GO, answers(403, admin=GO, department_admin=404), generate, "idempotent by slot"),
    ConsoleEntry("GET", "/random-draws", STAFF, NA, get("/random-draws"),
                 "a draw is listed when any candidate is in scope; the province-wide draw shows only the inside enterprise"),
    ConsoleEntry("GET", "/random-draws/new", ADMINS, NA, get("/random-draws/new"), "random_draw.run"),
    ConsoleEntry("POST", "/random-draws", ADMINS_GO, answers(403, admin=GO), new_draw, "outside the department's jurisdiction: 403 beside the form"),
    ConsoleEntry("GET", "/random-draws/{draw_id:str}", STAFF, STAFF_OUT, get(lambda w, s: f"/random-draws/{w.records(s).draw_id}")),
    ConsoleEntry("GET", "/random-draws/{draw_id:str}/verify", STAFF, STAFF_OUT, get(lambda w, s: f"/random-draws/{w.records(s).draw_id}/verify")),
]
