"""Setting an enterprise's risk level from a stored risk evaluation: versioned, fed, audited."""

from __future__ import annotations

from sqlmodel import col, select

from core.storage.changes import Change
from tests.conftest import Api
from tests.plugins.evaluations.conftest import EFFICIENCY_FAIR, LEC_HIGH, MATRIX_MAJOR, evaluate


async def set_level(api: Api, headers, enterprise_id: str, **body):
    return await api.client.post(f"/api/v1/enterprises/{enterprise_id}/risk-level", json=body, headers=headers)


async def enterprise_changes(api: Api, enterprise_id: str) -> int:
    async with api.direct.db.read() as session:
        rows = (await session.exec(select(Change).where(col(Change.entity) == "enterprise", col(Change.entity_id) == enterprise_id))).all()
    return len(rows)


async def test_risk_level_from_a_risk_evaluation_is_versioned_fed_and_audited(api: Api, admin, firm):
    assert (firm["risk_level"], firm["version"]) == (None, 1)
    changes_before = await enterprise_changes(api, firm["id"])
    evaluator = await api.as_new("evaluator", region_code="510681", industries=["hazchem"])
    stored = (await evaluate(api, evaluator, firm["id"], "risk.lec", LEC_HIGH)).json()

    # The evaluator role may not edit enterprise files, but may set the level from an evaluation.
    assert (await api.client.patch(f"/api/v1/enterprises/{firm['id']}", json={"risk_level": "low"}, headers=evaluator)).status_code == 403
    response = await set_level(api, evaluator, firm["id"], evaluation_id=stored["id"])
    assert response.status_code == 200, response.text
    assert (response.json()["risk_level"], response.json()["version"]) == ("high", 2)
    assert await enterprise_changes(api, firm["id"]) == changes_before + 1

    audit = (await api.client.get("/api/v1/audit", params={"entity": "enterprise", "entity_id": firm["id"]}, headers=admin)).json()
    assert [entry["action"] for entry in audit[:2]] == ["enterprise.risk_level_set", "enterprise_updated"]
    named = audit[0]
    assert named["after"]["evaluation_id"] == stored["id"]
    assert (named["before"], named["after"]["risk_level"], named["after"]["evaluator_id"]) == ({"risk_level": None}, "high", "risk.lec")
    assert audit[1]["before"]["risk_level"] is None and audit[1]["after"]["risk_level"] == "high"

    # A later matrix evaluation raises it again; the enterprise file keeps counting versions.
    major = (await evaluate(api, evaluator, firm["id"], "risk.matrix", MATRIX_MAJOR)).json()
    again = await set_level(api, evaluator, firm["id"], evaluation_id=major["id"], expected_version=2)
    assert (again.json()["risk_level"], again.json()["version"]) == ("major", 3)
    verify = (await api.client.get("/api/v1/audit/verify", headers=admin)).json()
    assert verify["ok"] is True


async def test_an_evaluation_without_a_risk_level_is_refused(api: Api, admin, firm):
    efficiency = (await evaluate(api, admin, firm["id"], "efficiency.assessment", EFFICIENCY_FAIR)).json()
    response = await set_level(api, admin, firm["id"], evaluation_id=efficiency["id"])
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["field"]) == ("not_a_risk_evaluation", "evaluation_id")
    # LEC under a local rule with a `low` bound grades nothing below it: no level to set either.
    local_rule = {"major": {"min": 320, "inclusive": False}, "high": {"min": 160}, "moderate": {"min": 70}, "low": {"min": 20}}
    ungraded = (await evaluate(api, admin, firm["id"], "risk.lec", {"l": 1, "e": 1, "c": 7, "thresholds": local_rule})).json()
    assert (ungraded["grade"], ungraded["risk_level"]) == ("not_graded", None)
    assert (await set_level(api, admin, firm["id"], evaluation_id=ungraded["id"])).status_code == 409
    current = (await api.client.get(f"/api/v1/enterprises/{firm['id']}", headers=admin)).json()
    assert (current["risk_level"], current["version"]) == (None, 1)


async def test_an_evaluation_of_another_enterprise_or_a_stale_version_is_refused(api: Api, admin, firm):
    other = await api.enterprise(admin, name="另一家化工企业")
    theirs = (await evaluate(api, admin, other["id"], "risk.lec", LEC_HIGH)).json()
    response = await set_level(api, admin, firm["id"], evaluation_id=theirs["id"])
    assert response.status_code == 404
    assert response.json()["field"] == "evaluation_id"
    assert (await set_level(api, admin, firm["id"], evaluation_id="no-such-evaluation")).status_code == 404

    ours = (await evaluate(api, admin, firm["id"], "risk.lec", LEC_HIGH)).json()
    stale = await set_level(api, admin, firm["id"], evaluation_id=ours["id"], expected_version=7)
    assert stale.status_code == 409
    assert stale.json()["field"] == "expected_version"
    missing = await set_level(api, admin, firm["id"])
    assert missing.status_code == 400 and missing.json()["field"] == "evaluation_id"
    current = (await api.client.get(f"/api/v1/enterprises/{firm['id']}", headers=admin)).json()
    assert (current["risk_level"], current["version"]) == (None, 1)


async def test_lec_below_twenty_is_low_risk_and_can_set_the_level(api: Api, admin, firm):
    graded = (await evaluate(api, admin, firm["id"], "risk.lec", {"l": 1, "e": 1, "c": 7})).json()  # D = 7
    assert (graded["grade"], graded["risk_level"]) == ("low", "low")
    response = await set_level(api, admin, firm["id"], evaluation_id=graded["id"])
    assert response.status_code == 200, response.text
    assert response.json()["risk_level"] == "low"
