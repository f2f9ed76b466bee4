"""The console matrix's entries for the enterprises area (see matrix_kit.py): creating and editing a
file (``enterprise.write``, the API's ``POST``/``PATCH /api/v1/enterprises``: out of scope is 404 for
an edit, 403 for a new file placed outside), the bulk import (``enterprise.import``; a job is its
user's own: anyone else's token is as unknown as a made-up one) and self-inspections (whoever sees
the enterprise, as the inspection read-back)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import valid_uscc
from tests.reliability.authz_matrix import answers
from tests.reliability.world import Side, World
from tests.web.console.conftest import ConsoleUser, sign_in
from tests.web.console.matrix_kit import ALL, GO, NA, OK, OUT_404, ConsoleEntry, get

WRITERS = answers(403, admin=OK, department_admin=OK)  # enterprise.write / enterprise.import
WRITERS_GO = answers(403, admin=GO, department_admin=GO)
WRITERS_OUT = answers(403, admin=OK, department_admin=404)
WRITERS_GO_OUT = answers(403, admin=GO, department_admin=404)
MADE_UP_TOKEN = "A" * 22
_self_inspections: dict[tuple[int, Side], str] = {}


def _csv(world: World, side: Side) -> bytes:
    records = world.records(side)
    return f"企业名称,统一社会信用代码,行政区划代码,行业,规模\n矩阵导入{world.fresh('')},{valid_uscc(records.region_code)},{records.region_code},{records.industry},small_micro\n".encode()


async def new_enterprise(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    records = world.records(side)
    return await user.post("/enterprises", {"name": f"矩阵新企业{world.fresh('')}", "uscc": valid_uscc(records.region_code), "region_code": records.region_code,
                                            "industries": records.industry, "scale": "small_micro", "active": "1"})


async def edit_enterprise(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    enterprise_id = world.records(side).enterprise["id"]
    current: dict[str, Any] = (await world.api.client.get(f"/api/v1/enterprises/{enterprise_id}", headers=world.headers["admin"])).json()
    fields = ("name", "uscc", "region_code", "scale", "industries", "high_risk_flags", "grid_code", "risk_level", "legal_representative",
              "safety_manager", "safety_manager_phone", "longitude", "latitude", "uscc_override_reason")
    form = {name: "" if current[name] is None else current[name] for name in fields}
    form.update(address=f"矩阵地址{world.fresh('')}", version=str(current["version"]))
    form.update({flag: "1" for flag in ("active", "blacklisted") if current[flag]})
    return await user.post(f"/enterprises/{enterprise_id}/edit", form)


async def upload(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.post("/enterprises/import", files={"file": ("矩阵.csv", _csv(world, side))})


async def _token(world: World, user: ConsoleUser, role: str, side: Side) -> str:
    """In scope: a job of the user's own (a made-up token for roles that may not import);
    out of scope: a job of another user."""
    if role not in ("admin", "department_admin"):
        return MADE_UP_TOKEN
    owner = user if side == "in" else await sign_in(user.client, world.usernames["department_admin" if role == "admin" else "admin"])
    answer = await owner.post("/enterprises/import", files={"file": ("矩阵.csv", _csv(world, "in"))})
    assert answer.status_code == 303, answer.text[-1000:]
    return str(answer.headers["location"]).rsplit("/", 1)[1]


async def import_job(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.get(f"/enterprises/import/{await _token(world, user, role, side)}")


async def import_chunk(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.post(f"/enterprises/import/{await _token(world, user, role, side)}", {"offset": "0"})


async def self_inspection(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    """A self-inspection pushed by an enterprise user of the side's enterprise (made once per world)."""
    key = (id(world), side)
    if key not in _self_inspections:
        records = world.records(side)
        username = world.usernames["enterprise_user"]
        if side == "out":
            username = "matrix_out_enterprise_user"
            await world.api.user(username, "enterprise_user", enterprise_id=records.enterprise["id"])
        record = {
            "kind": "submission", "id": str(uuid.uuid4()), "enterprise_id": records.enterprise["id"], "checklist_id": records.checklist_id,
            "checklist_version": records.checklist_version, "checklist_hash": records.checklist_hash,
            "started_at": "2026-03-01T08:00:00+08:00", "finished_at": "2026-03-01T08:30:00+08:00", "answers": {"A-1": {"result": "pass"}},
        }
        result = await world.push(username, record)
        assert result["status"] == "accepted", result
        _self_inspections[key] = record["id"]
    return await user.get(f"/self-inspections/{_self_inspections[key]}")


ENTRIES: list[ConsoleEntry] = [
    ConsoleEntry("GET", "/enterprises/new", WRITERS, NA, get("/enterprises/new"), "enterprise.write"),
    ConsoleEntry("POST", "/enterprises", WRITERS_GO, answers(403, admin=GO), new_enterprise,
                 "create_enterprise: a file placed outside the department's scope is refused (403), as by the API"),
    ConsoleEntry("GET", "/enterprises/{enterprise_id:str}/edit", WRITERS, WRITERS_OUT, get(lambda w, s: f"/enterprises/{w.records(s).enterprise['id']}/edit"),
                 "enterprise.write first (403), then scope (404), as the API's PATCH"),
    ConsoleEntry("POST", "/enterprises/{enterprise_id:str}/edit", WRITERS_GO, WRITERS_GO_OUT, edit_enterprise, "update_enterprise with the current version"),
    ConsoleEntry("GET", "/enterprises/import", WRITERS, NA, get("/enterprises/import"), "enterprise.import"),
    ConsoleEntry("GET", "/enterprises/import/template.xlsx", WRITERS, NA, get("/enterprises/import/template.xlsx"), "enterprise.import"),
    ConsoleEntry("POST", "/enterprises/import", WRITERS_GO, answers(403, admin=GO, department_admin=400), upload,
                 "check_import: a row outside the department's scope is listed (400) and nothing is kept"),
    ConsoleEntry("GET", "/enterprises/import/{token:str}", WRITERS, answers(403, admin=404, department_admin=404), import_job,
                 "a job is its user's: another user's token is 404"),
    ConsoleEntry("POST", "/enterprises/import/{token:str}", WRITERS_GO, answers(403, admin=404, department_admin=404), import_chunk,
                 "writes the next chunk through write_rows; another user's token is 404"),
    ConsoleEntry("GET", "/self-inspections/{submission_id:str}", ALL, OUT_404, self_inspection,
                 "whoever sees the enterprise (its own users too), as the inspection read-back"),
]
