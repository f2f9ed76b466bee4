"""The console matrix's entries for the checklists area (see matrix_kit.py).

The list and the publish form need ``plugin.read`` / ``checklist.publish`` (403 for other roles); a
version and a diff are what ``GET /api/v1/checklists/{id}/versions/{version}`` answers: every role
within its industries, 404 outside them (the world's enterprise user has no industries, so sees
all). Publishing and retiring work on a fresh checklist of the side's industry each call, so the
world's own checklists stay as they are.
"""

from __future__ import annotations

import httpx
import yaml

from tests.reliability.authz_matrix import answers
from tests.reliability.world import Side, World, checklist_definition
from tests.web.console.conftest import ConsoleUser
from tests.web.console.matrix_kit import ALL, GO, OK, ConsoleEntry, get

MANAGERS = answers(403, admin=OK, department_admin=OK)
READ_OUT = answers(404, admin=OK, enterprise_user=OK)


async def publish(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    definition = checklist_definition(f"matrix.{world.fresh('p')}", world.records(side).industry)
    return await user.post("/checklists/publish", {"text": yaml.safe_dump(definition, allow_unicode=True)})


async def retire(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    definition = checklist_definition(f"matrix.{world.fresh('r')}", world.records(side).industry)
    published = await world.api.client.post("/api/v1/checklists", json=definition, headers=world.headers["admin"])
    assert published.status_code == 201, published.text
    return await user.post(f"/checklists/{definition['id']}/versions/1.0.0/retire", {"confirm": "yes"})


def version(world: World, side: Side) -> str:
    records = world.records(side)
    return f"/checklists/{records.checklist_id}/versions/{records.checklist_version}"


ENTRIES: list[ConsoleEntry] = [
    ConsoleEntry("GET", "/checklists", MANAGERS, None, get("/checklists"), "plugin.read, as GET /api/v1/plugins; checklists within the user's industries"),
    ConsoleEntry("GET", "/checklists/publish", MANAGERS, None, get("/checklists/publish"), "checklist.publish"),
    ConsoleEntry("POST", "/checklists/publish", answers(403, admin=GO, department_admin=GO), answers(403, admin=GO), publish,
                 "a department publishes only for its industries (403 beside the form), as POST /api/v1/checklists"),
    ConsoleEntry("GET", "/checklists/{checklist_id:str}/versions/{version:str}", ALL, READ_OUT, get(version),
                 "as GET /api/v1/checklists/{id}/versions/{version}"),
    ConsoleEntry("POST", "/checklists/{checklist_id:str}/versions/{version:str}/retire", answers(403, admin=GO, department_admin=GO),
                 answers(403, admin=GO, department_admin=404), retire, "as POST …/retire: 403 by role first, then 404 outside the industries"),
    ConsoleEntry("GET", "/checklists/{checklist_id:str}/diff", ALL, READ_OUT, get(lambda w, s: f"/checklists/{w.records(s).checklist_id}/diff"),
                 "a single version compared with itself; scope as the version"),
]
