"""The console matrix's entries for the evaluations area (see matrix_kit.py).

Reading evaluations is the API's ``evaluation.read`` (every role; an enterprise user reads its own
enterprise's, e.g. its 自评估);
running one, the batch and the risk level from one are ``evaluation.run`` /
``enterprise.set_risk_level`` (admin, department admin, evaluator). An enterprise user runs its
self-assessment (``evaluation.self_assess``): the form and the run are called with the 小微型 standard
for it (any other evaluator is 403, pinned in tests/web/test_console_dual_prevention.py), with
risk.matrix for the others. Out of scope is 404 after the role check, as in the API's matrix.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.reliability.authz_matrix import answers
from tests.reliability.world import Side, World
from tests.web.console.conftest import ConsoleUser
from tests.web.console.matrix_kit import GO, NA, OK, ConsoleEntry, get

READERS = answers(OK)
RUNNERS = answers(403, admin=OK, department_admin=OK, evaluator=OK)
SELF_ASSESSORS = answers(403, admin=OK, department_admin=OK, evaluator=OK, enterprise_user=OK)
SELF_ASSESSORS_GO = answers(403, admin=GO, department_admin=GO, evaluator=GO, enterprise_user=GO)
SELF_ASSESSORS_OUT = answers(403, admin=OK, department_admin=404, evaluator=404, enterprise_user=404)
SELF_ASSESSORS_GO_OUT = answers(403, admin=GO, department_admin=404, evaluator=404, enterprise_user=404)
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


def _evaluator_for(role: str) -> str:
    return "dual_prevention.small_micro" if role == "enterprise_user" else "risk.matrix"


async def new_form(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.get(f"/evaluations/new?enterprise_id={world.records(side).enterprise['id']}&evaluator_id={_evaluator_for(role)}")


async def run(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    # the standard's form left as it is: every item applicable, nothing deducted (the records decide the computed rules)
    form = {"enterprise_id": world.records(side).enterprise["id"], "evaluator_id": _evaluator_for(role), "f:l": "4", "f:s": "4"}
    return await user.post("/evaluations", form)


async def risk_level(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.post(f"/evaluations/{await _stored(world, side)}/risk-level", {})


async def batch_step(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.post("/evaluations/batch", {"evaluator": "risk.matrix"})


ENTRIES: list[ConsoleEntry] = [
    ConsoleEntry("GET", "/evaluations", READERS, NA, get("/evaluations"), "lists only evaluations of enterprises in scope (markers)"),
    ConsoleEntry("GET", "/evaluations/new", SELF_ASSESSORS, SELF_ASSESSORS_OUT, new_form,
                 "the form for an enterprise: runners, and an enterprise user for its own with its scale's standard; out of scope 404"),
    ConsoleEntry("POST", "/evaluations", SELF_ASSESSORS_GO, SELF_ASSESSORS_GO_OUT, run,
                 "runs risk.matrix (the 小微型 standard for the enterprise user) through the API's service, 303 to the result"),
    ConsoleEntry("GET", "/evaluations/{evaluation_id:str}", READERS, answers(404, admin=OK), evaluation_page),
    ConsoleEntry("POST", "/evaluations/{evaluation_id:str}/risk-level", RUNNERS_GO, RUNNERS_GO_OUT, risk_level,
                 "enterprise.set_risk_level from a stored risk evaluation"),
    ConsoleEntry("GET", "/evaluations/batch", RUNNERS, NA, get("/evaluations/batch")),
    ConsoleEntry("POST", "/evaluations/batch", RUNNERS, NA, batch_step, "one chunk over the user's own scope; nothing outside is named"),
]
