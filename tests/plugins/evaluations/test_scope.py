"""Roles and scope on the evaluation API: 403 for roles that may not act, 404 outside the scope."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.plugins.evaluations.conftest import EFFICIENCY_FAIR, LEC_HIGH, evaluate

ROLES = ("admin", "department_admin", "evaluator", "inspector", "viewer", "enterprise_user")
RUNS = {"admin", "department_admin", "evaluator"}
READS = RUNS | {"inspector", "viewer", "enterprise_user"}  # an enterprise reads its own (自评估)
SETS_RISK = {"admin", "department_admin", "evaluator"}


async def caller(api: Api, role: str, *, in_scope: bool, firm: dict[str, Any], elsewhere: dict[str, Any]) -> dict[str, str]:
    """A user of ``role`` whose scope includes ``firm`` (or only ``elsewhere``)."""
    if role == "admin":
        return await api.as_new("admin")
    if role == "enterprise_user":
        return await api.as_new(role, enterprise_id=firm["id"] if in_scope else elsewhere["id"])
    industries = ["hazchem"] if in_scope else ["coal"]
    return await api.as_new(role, region_code="510681", industries=industries)


@pytest.fixture
async def elsewhere(api: Api, admin) -> dict[str, Any]:
    return await api.enterprise(admin, name="某煤矿", industries=["coal"])


def expected(role: str, allowed: set[str], in_scope: bool, ok: int) -> int:
    if role not in allowed:
        return 403
    return ok if in_scope or role == "admin" else 404


@pytest.mark.parametrize("in_scope", [True, False], ids=["in_scope", "out_of_scope"])
@pytest.mark.parametrize("role", ROLES)
async def test_running_an_evaluation(api: Api, admin, firm, elsewhere, role, in_scope):
    headers = await caller(api, role, in_scope=in_scope, firm=firm, elsewhere=elsewhere)
    response = await evaluate(api, headers, firm["id"], "risk.lec", LEC_HIGH)
    assert response.status_code == expected(role, RUNS, in_scope, 201), response.text
    if response.status_code == 404:
        # An out-of-scope enterprise looks exactly like an absent one.
        absent = await evaluate(api, headers, "00000000-0000-4000-8000-000000000000", "risk.lec", LEC_HIGH)
        assert absent.status_code == 404 and absent.json() == response.json()


@pytest.mark.parametrize("in_scope", [True, False], ids=["in_scope", "out_of_scope"])
@pytest.mark.parametrize("role", ROLES)
async def test_reading_evaluations(api: Api, admin, firm, elsewhere, role, in_scope):
    stored = (await evaluate(api, admin, firm["id"], "risk.lec", LEC_HIGH)).json()
    await evaluate(api, admin, elsewhere["id"], "efficiency.assessment", EFFICIENCY_FAIR)
    headers = await caller(api, role, in_scope=in_scope, firm=firm, elsewhere=elsewhere)

    one = await api.client.get(f"/api/v1/evaluations/{stored['id']}", headers=headers)
    assert one.status_code == expected(role, READS, in_scope, 200)
    history = await api.client.get("/api/v1/evaluations", params={"enterprise_id": firm["id"]}, headers=headers)
    assert history.status_code == expected(role, READS, in_scope, 200)
    if history.status_code == 200:
        assert [item["id"] for item in history.json()["items"]] == [stored["id"]]
    everything = await api.client.get("/api/v1/evaluations", headers=headers)
    if role not in READS:
        assert everything.status_code == 403
    else:
        # Only what the caller may see is listed or counted.
        evaluators = sorted(item["evaluator"] for item in everything.json()["items"])
        if role == "admin":
            assert evaluators == ["efficiency.assessment", "risk.lec"]
        else:
            assert evaluators == (["risk.lec"] if in_scope else ["efficiency.assessment"])
        assert everything.json()["total"] == len(evaluators)


@pytest.mark.parametrize("in_scope", [True, False], ids=["in_scope", "out_of_scope"])
@pytest.mark.parametrize("role", ROLES)
async def test_setting_the_risk_level(api: Api, admin, firm, elsewhere, role, in_scope):
    stored = (await evaluate(api, admin, firm["id"], "risk.lec", LEC_HIGH)).json()
    headers = await caller(api, role, in_scope=in_scope, firm=firm, elsewhere=elsewhere)
    response = await api.client.post(f"/api/v1/enterprises/{firm['id']}/risk-level", json={"evaluation_id": stored["id"]}, headers=headers)
    assert response.status_code == expected(role, SETS_RISK, in_scope, 200), response.text
    current = (await api.client.get(f"/api/v1/enterprises/{firm['id']}", headers=admin)).json()
    assert current["risk_level"] == ("high" if response.status_code == 200 else None)


async def test_evaluators_list_follows_the_read_permission(api: Api, admin, firm, elsewhere):
    for role in ROLES:
        headers = await caller(api, role, in_scope=True, firm=firm, elsewhere=elsewhere)
        response = await api.client.get("/api/v1/evaluators", headers=headers)
        assert response.status_code == (200 if role in READS else 403), role
