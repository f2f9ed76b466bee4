"""The console matrix's entries for the evaluations area (see matrix_kit.py).

Reading evaluations is the API's ``evaluation.read`` (every staff role; enterprise users 403);
running one, the batch and the risk level from one are ``evaluation.run`` /
``enterprise.set_risk_level`` (admin, department admin, evaluator). Out of scope is 404 after the
role check, as in the API's matrix.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.reliability.authz_matrix import answers
from tests.reliability.world import Side, World
from tests.web.console.conftest import ConsoleUser
from tests.web.console.matrix_kit import GO, NA, OK, ConsoleEntry, get

READERS = answers(OK, enterprise_user=403)
RUNNERS = answers(403, admin=OK, department_admin=OK, evaluator=OK)
RUNNERS_GO = answers(403, admin=GO, department_admin=GO, evaluator=GO)
RUNNERS_OUT = answers(403, admin=OK, department_admin=404, evaluator=404)
RUNNERS_GO_OUT = answers(403, admin=GO, department_admin=404, evaluator=404)
MATRIX_INPUT = {"l": 4, "s": 4}  # R = 16: 较大风险


async def _stored(world: World, side: Side) -> str:
    """A risk evaluation of the side's enterprise, stored by the admin through the API."""
    body: dict[str, Any] = {"enterprise_id": world.records(side).enterprise["id"], "evaluator": "risk.matrix", "input": MATRIX_INPUT}
    response = await world.api.client.post("/api/v1/evaluations", json=body, headers=world.headers["admin"])
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def evaluation_page(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.get(f"/evaluations/{await _stored(world, side)}")


async def run(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    form = {"enterprise_id": world.records(side).enterprise["id"], "evaluator_id": "risk.matrix", "f:l": "4", "f:s": "4"}
    return await user.post("/evaluations", form)


async def risk_level(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.post(f"/evaluations/{await _stored(world, side)}/risk-level", {})


async def batch_step(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.post("/evaluations/batch", {"evaluator": "risk.matrix"})


ENTRIES: list[ConsoleEntry] = [
    ConsoleEntry("GET", "/evaluations", READERS, NA, get("/evaluations"), "lists only evaluations of enterprises in scope (markers)"),
    ConsoleEntry("GET", "/evaluations/new", RUNNERS, RUNNERS_OUT,
                 get(lambda w, s: f"/evaluations/new?enterprise_id={w.records(s).enterprise['id']}&evaluator_id=risk.matrix"),
                 "the form for an enterprise: runners only; out of scope 404"),
    ConsoleEntry("POST", "/evaluations", RUNNERS_GO, RUNNERS_GO_OUT, run, "runs risk.matrix through the API's service, 303 to the result"),
    ConsoleEntry("GET", "/evaluations/{evaluation_id:str}", READERS, answers(404, admin=OK, enterprise_user=403), evaluation_page),
    ConsoleEntry("POST", "/evaluations/{evaluation_id:str}/risk-level", RUNNERS_GO, RUNNERS_GO_OUT, risk_level,
                 "enterprise.set_risk_level from a stored risk evaluation"),
    ConsoleEntry("GET", "/evaluations/batch", RUNNERS, NA, get("/evaluations/batch")),
    ConsoleEntry("POST", "/evaluations/batch", RUNNERS, NA, batch_step, "one chunk over the user's own scope; nothing outside is named"),
]
