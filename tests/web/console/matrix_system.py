"""The console matrix's entries for the system area (see matrix_kit.py): every page is the admin's
(``user.manage``, ``device.manage``, ``job.run``, ``audit.read``/``audit.anchor``, ``sync.review``), except
the plugin list, which department admins read too (``plugin.read``, as ``GET /api/v1/plugins``). Records
on either side of the scope line are the admin's alike; everyone else gets the 403 page first.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.conftest import PASSWORD
from tests.reliability.authz_matrix import answers
from tests.reliability.world import Side, World
from tests.web.console.conftest import ConsoleUser
from tests.web.console.matrix_kit import GO, NA, OK, ConsoleEntry, get

ADMIN_PAGE = answers(403, admin=OK)
ADMIN_FORM = answers(403, admin=GO)


async def create_user(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    records = world.records(side)
    return await user.post("/system/users", {"username": world.fresh("cu"), "password": PASSWORD, "role": "viewer",
                                             "region_code": records.region_code, "industries": [records.industry]})


async def edit_user(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    user_id = world.records(side).user_id
    current: dict[str, Any] = (await world.api.client.get(f"/api/v1/users/{user_id}", headers=world.headers["admin"])).json()
    form = {"form": "profile", "display_name": f"矩阵{world.fresh('')}", "role": current["role"], "region_code": current["region_code"] or "",
            "grid_code": current["grid_code"] or "", "industries": current["industries"], "enterprise": current["enterprise_id"] or "",
            "enforcement_card_no": current["enforcement_card_no"] or "", "active": "1" if current["active"] else ""}
    return await user.post(f"/system/users/{user_id}", form)


async def _device(world: World, role: str, side: Side) -> str:
    return await world.enrol_device(world.usernames[role] if side == "in" else world.outside_device_owner)


async def revoke_confirm(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.get(f"/system/devices/{await _device(world, role, side)}/revoke")


async def revoke(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.post(f"/system/devices/{await _device(world, role, side)}/revoke", {"reason": "平板遗失"})


async def run_job(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.post("/system/jobs/deadline_reminders/run")


async def anchor(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.post("/system/audit/anchors")


async def reingest(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    row_id, corrected = await world.new_quarantined(side)
    return await user.post(f"/system/sync/quarantine/{row_id}/reingest", {"payload": json.dumps(corrected), "note": "更正后重新导入"})


async def dismiss(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    row_id, _ = await world.new_quarantined(side)
    return await user.post(f"/system/sync/quarantine/{row_id}/dismiss", {"reason": "重复记录"})


async def resolve(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.post(f"/system/sync/conflicts/{await world.new_conflict(side)}/resolve", {"note": "以现场复核为准"})


ENTRIES: list[ConsoleEntry] = [
    ConsoleEntry("GET", "/system", ADMIN_PAGE, NA, get("/system"), "figures over the whole system"),
    ConsoleEntry("GET", "/system/users", ADMIN_PAGE, NA, get("/system/users")),
    ConsoleEntry("GET", "/system/users/new", ADMIN_PAGE, NA, get("/system/users/new")),
    ConsoleEntry("POST", "/system/users", ADMIN_FORM, ADMIN_FORM, create_user, "a viewer on either side (as POST /api/v1/users)"),
    ConsoleEntry("GET", "/system/users/{user_id:str}", ADMIN_PAGE, ADMIN_PAGE, get(lambda w, s: f"/system/users/{w.records(s).user_id}")),
    ConsoleEntry("POST", "/system/users/{user_id:str}", ADMIN_FORM, ADMIN_FORM, edit_user, "a bystander's display name (as PATCH /api/v1/users)"),
    ConsoleEntry("GET", "/system/devices", ADMIN_PAGE, NA, get("/system/devices")),
    ConsoleEntry("GET", "/system/devices/{device_id:str}/revoke", ADMIN_PAGE, ADMIN_PAGE, revoke_confirm,
                 "the console's device pages are the admin's (device.manage); a user's own tablet is revoked through the API"),
    ConsoleEntry("POST", "/system/devices/{device_id:str}/revoke", ADMIN_FORM, ADMIN_FORM, revoke, "a fresh tablet of the role's user / an outside user"),
    ConsoleEntry("GET", "/system/plugins", answers(403, admin=OK, department_admin=OK), NA, get("/system/plugins"), "plugin.read, as GET /api/v1/plugins"),
    ConsoleEntry("GET", "/system/jobs", ADMIN_PAGE, NA, get("/system/jobs")),
    ConsoleEntry("POST", "/system/jobs/{name:str}/run", ADMIN_FORM, NA, run_job, "done or skipped for the period: both 303"),
    ConsoleEntry("GET", "/system/audit", ADMIN_PAGE, NA, get("/system/audit")),
    ConsoleEntry("GET", "/system/audit/verify", ADMIN_PAGE, NA, get("/system/audit/verify")),
    ConsoleEntry("POST", "/system/audit/anchors", ADMIN_FORM, NA, anchor, "audit.anchor"),
    ConsoleEntry("GET", "/system/sync", ADMIN_PAGE, NA, get("/system/sync")),
    ConsoleEntry("GET", "/system/sync/quarantine/{row_id:str}", ADMIN_PAGE, ADMIN_PAGE, get(lambda w, s: f"/system/sync/quarantine/{w.records(s).quarantine_id}")),
    ConsoleEntry("POST", "/system/sync/quarantine/{row_id:str}/reingest", ADMIN_FORM, ADMIN_FORM, reingest, "a corrected payload, accepted"),
    ConsoleEntry("POST", "/system/sync/quarantine/{row_id:str}/dismiss", ADMIN_FORM, ADMIN_FORM, dismiss),
    ConsoleEntry("GET", "/system/sync/conflicts/{conflict_id:str}", ADMIN_PAGE, ADMIN_PAGE, get(lambda w, s: f"/system/sync/conflicts/{w.records(s).conflict_id}")),
    ConsoleEntry("POST", "/system/sync/conflicts/{conflict_id:str}/resolve", ADMIN_FORM, ADMIN_FORM, resolve),
]
