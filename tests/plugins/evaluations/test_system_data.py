"""Evaluations fed by the system's own data: stored submissions scored by id, an open listed major
hazard vetoing dual prevention, the standard fitting the enterprise's scale, a standard readable."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient
from sqlmodel import col, update

from checklists.canonical import content_hash
from checklists.versions import publish_version
from core.hazards.records import Hazard
from core.storage.audit_log import SYSTEM
from plugins.evaluations.batch import rescore
from server import create_app
from tests.conftest import Api, make_settings
from tests.plugins.evaluations.conftest import dual_prevention_input, evaluate
from tests.sync.conftest import checklist_v

ANSWERS = {"CC-1": {"result": "pass"}, "CC-2": {"value": 35.5, "note": "库房通风不良"}, "CC-3": {"result": "fail", "note": "未登记建档"}}


async def push_submission(api: Api, enterprise: dict[str, Any], answers: dict[str, Any] = ANSWERS) -> str:
    """Publish the sync tests' checklist (once), then push one submission from a tablet; its id."""
    checklist = checklist_v("1.0.0")
    await publish_version(api.direct, checklist, actor=SYSTEM, source="api")  # the same version again is no change
    name = f"inspector_{uuid.uuid4().hex[:6]}"
    await api.user(name, "inspector", region_code="510681", industries=["hazchem"])
    headers = await api.login(name, device_id=str(uuid.uuid4()))
    record = {
        "kind": "submission", "id": str(uuid.uuid4()), "enterprise_id": enterprise["id"], "checklist_id": "hazchem.storage",
        "checklist_version": "1.0.0", "checklist_hash": content_hash(checklist), "started_at": "2026-03-02T08:00:00+08:00",
        "finished_at": "2026-03-02T08:40:00+08:00", "answers": answers,
        "hazards": [{"id": str(uuid.uuid4()), "description": "重大危险源未登记建档", "item_code": "CC-3", "level": "major",
                     "rectification_plan": "登记建档并备案"}],
    }
    response = await api.client.post("/api/v1/sync/push", json={"records": [record]}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] == "accepted", response.text
    return record["id"]


async def test_checklist_score_scores_a_stored_submission_on_its_pinned_version(api: Api, admin, firm):
    listed = {e["id"]: e for e in (await api.client.get("/api/v1/evaluators", headers=admin)).json()}
    reference = listed["checklist.score"]["input_reference_schema"]
    assert len(reference["anyOf"]) == 2 and reference["$defs"]["SubmissionReference"]["required"] == ["submission_id"]
    submission_id = await push_submission(api, firm)
    by_id = await evaluate(api, admin, firm["id"], "checklist.score", {"submission_id": submission_id.upper()})
    assert by_id.status_code == 201, by_id.text
    body = by_id.json()
    checklist = checklist_v("1.0.0")
    assert body["input"] == {
        "submission_id": submission_id, "checklist_id": "hazchem.storage", "checklist_version": "1.0.0", "content_hash": content_hash(checklist),
    }
    result = body["result"]
    assert result["details"]["outcomes"] == {"CC-1": "pass", "CC-2": "fail", "CC-3": "fail", "CC-4": "unanswered"}
    assert [v["item"] for v in result["vetoes"]] == ["CC-3"]
    assert result["details"]["counts"]["fail"] == 2
    # The same answers sent inline give the same result: the submission is scored as it was made.
    inline_answers = {"CC-1": {"status": "pass"}, "CC-2": {"value": 35.5, "text": "库房通风不良"}, "CC-3": {"status": "fail", "text": "未登记建档"}}
    inline = await evaluate(api, admin, firm["id"], "checklist.score", {"checklist": msgspec.to_builtins(checklist), "answers": inline_answers})
    assert inline.json()["result"] == result

    # The stored reference resolves again in the batch: nothing new to store.
    summary = await rescore(api.direct, api.app.state.plugins, "checklist.score")
    assert (summary.unchanged, summary.failures) == (1, [])


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({"submission_id": "0f1e2d3c-0000-4000-8000-000000000000"}, 400, "unknown_submission"),
        ({"submission_id": "0f1e2d3c-0000-4000-8000-000000000000", "answers": {}}, 400, "invalid_evaluation_input"),
    ],
)
async def test_an_unknown_submission_is_refused_naming_the_field(api: Api, admin, firm, data, status, code):
    response = await evaluate(api, admin, firm["id"], "checklist.score", data)
    assert (response.status_code, response.json()["code"]) == (status, code), response.text
    assert response.json()["field"].startswith("input.")
    assert response.json()["message_zh"]


async def test_a_submission_of_another_enterprise_or_for_another_evaluator_is_refused(api: Api, admin, firm):
    submission_id = await push_submission(api, firm)
    other = await api.enterprise(admin, name="另一家化工有限公司")
    foreign = await evaluate(api, admin, other["id"], "checklist.score", {"submission_id": submission_id})
    assert (foreign.status_code, foreign.json()["code"], foreign.json()["field"]) == (400, "unknown_submission", "input.submission_id")
    wrong = await evaluate(api, admin, firm["id"], "risk.lec", {"submission_id": submission_id})
    assert (wrong.status_code, wrong.json()["code"], wrong.json()["field"]) == (400, "submission_reference_unsupported", "input.submission_id")
    mismatch = await evaluate(api, admin, firm["id"], "checklist.score", {"submission_id": submission_id, "checklist_version": "2.0.0"})
    assert (mismatch.status_code, mismatch.json()["code"]) == (409, "submission_reference_mismatch")
    history = (await api.client.get("/api/v1/evaluations", params={"enterprise_id": other["id"]}, headers=admin)).json()
    assert history["total"] == 0


async def major_hazard(api: Api, admin: dict[str, str], enterprise: dict[str, Any], level: str = "major") -> str:
    body = {"enterprise_id": enterprise["id"], "level": level, "description": "储罐区未设紧急切断", "location": "罐区"}
    response = await api.client.post("/api/v1/hazards", json=body, headers=admin)
    assert response.status_code == 201, response.text
    assert response.json()["listed_supervision"] is (level == "major")
    return response.json()["id"]


async def test_an_open_listed_major_hazard_vetoes_dual_prevention(api: Api, admin, firm, clock):
    data = dual_prevention_input("small_micro")
    clean = (await evaluate(api, admin, firm["id"], "dual_prevention.small_micro", data)).json()
    # Without a register, check lists or self-checks, the computed rules deduct (E5.1, E5.2, E5.4,
    # E6.1, E6.2: 160 of 500): 68, 合格, no veto.
    assert (clean["grade"], clean["result"]["percent"], clean["result"]["vetoes"]) == ("pass", 68, [])
    assert {k: v for k, v in clean["input"].items() if k != "enterprise_facts"} == data
    assert clean["input"]["enterprise_facts"]["system_counts"]["no_register"] == 1

    await major_hazard(api, admin, firm, level="general")  # a general hazard is no veto
    other = await api.enterprise(admin, name="邻厂化工有限公司")
    await major_hazard(api, admin, other)  # another enterprise's major hazard is not this one's
    hazard_id = await major_hazard(api, admin, firm)

    # An assessor who found V2 already is not vetoed twice.
    both = (await evaluate(api, admin, firm["id"], "dual_prevention.small_micro", {**data, "vetoes": [{"code": "V2", "note": "现场发现"}]})).json()
    assert [v["item"] for v in both["result"]["vetoes"]] == ["V2"]
    clock.advance(seconds=60)

    # Whatever the client claims about the facts is replaced by the records.
    claimed = {**data, "enterprise_facts": {"open_listed_major_hazards": []}}
    vetoed = await evaluate(api, admin, firm["id"], "dual_prevention.small_micro", claimed)
    assert vetoed.status_code == 201, vetoed.text
    body = vetoed.json()
    assert (body["score"], body["grade"], body["result"]["passed"]) == (340, "fail", False)  # 500 less the computed deductions of a firm without a register
    assert [v["item"] for v in body["result"]["vetoes"]] == ["V2"]
    assert hazard_id in body["result"]["vetoes"][0]["reason"] and "挂牌督办" in body["result"]["vetoes"][0]["reason"]
    assert body["input"]["enterprise_facts"]["open_listed_major_hazards"] == [hazard_id]
    assert body["input_hash"] != clean["input_hash"]
    clock.advance(seconds=60)

    # Closed, it vetoes no more; the batch re-reads the records.
    async with api.direct.db.write() as session:
        await session.exec(update(Hazard).where(col(Hazard.id) == hazard_id).values(status="closed"))  # type: ignore[call-overload]
    summary = await rescore(api.direct, api.app.state.plugins, "dual_prevention.small_micro")
    assert (summary.scored, summary.failures) == (1, [])
    latest = (await api.client.get("/api/v1/evaluations", params={"enterprise_id": firm["id"]}, headers=admin)).json()["items"][0]
    assert (latest["grade"], latest["result"]["vetoes"], latest["created_by"]) == ("pass", [], None)
    assert latest["input"]["enterprise_facts"]["open_listed_major_hazards"] == []


@pytest.mark.parametrize(
    ("scale", "evaluator"),
    [("small_micro", "dual_prevention.large_medium"), ("large_medium", "dual_prevention.small_micro")],
)
async def test_a_standard_for_the_other_scale_is_refused_naming_standard(api: Api, admin, scale, evaluator):
    firm = await api.enterprise(admin, name="规模测试化工有限公司", scale=scale)
    response = await evaluate(api, admin, firm["id"], evaluator, dual_prevention_input(evaluator.split(".")[1]))
    assert response.status_code == 400, response.text
    body = response.json()
    assert (body["field"], body["code"], body["enterprise_scale"]) == ("standard", "standard_scale_mismatch", scale)
    assert "企业评估标准" in body["message_zh"] and body["message"]
    history = (await api.client.get("/api/v1/evaluations", params={"enterprise_id": firm["id"]}, headers=admin)).json()
    assert history["total"] == 0


async def test_a_standards_items_and_rule_codes_are_readable(api: Api, admin):
    response = await api.client.get("/api/v1/evaluators/dual_prevention.large_medium/standard", headers=admin)
    assert response.status_code == 200, response.text
    standard = response.json()
    assert (standard["evaluator"], standard["scale"], standard["total_points"], standard["pass_percent"]) == (
        "dual_prevention.large_medium", "large_medium", 1000, 60,
    )
    items = {item["code"]: item for element in standard["elements"] for item in element["items"]}
    assert [rule["code"] for rule in items["E1.1"]["rules"]] == ["a", "b", "c"]
    assert items["E5.2"]["rules"][0] == {"code": "a", "text": "每遗漏一项主要危险源", "points": 5, "per": "each"}
    vetoes = {veto["code"]: veto["trigger"] for veto in standard["vetoes"]}
    assert vetoes["V2"] == "open_listed_major_hazard" and vetoes["V1"] is None
    assert [g["grade"] for g in standard["grades"]] == ["benchmark", "pass", "fail"]

    viewer = await api.as_new("viewer", region_code="510681")
    assert (await api.client.get("/api/v1/evaluators/dual_prevention.small_micro/standard", headers=viewer)).status_code == 200
    owner_firm = await api.enterprise(admin, name="自查化工有限公司")
    owner = await api.as_new("enterprise_user", enterprise_id=owner_firm["id"])
    assert (await api.client.get("/api/v1/evaluators/dual_prevention.small_micro/standard", headers=owner)).status_code == 200  # 自评估
    for missing in ("risk.lec", "nothing.here"):
        absent = await api.client.get(f"/api/v1/evaluators/{missing}/standard", headers=admin)
        assert (absent.status_code, absent.json()["field"]) == (404, "evaluator")


async def test_system_data_feeds_evaluations_on_every_database(any_db_url, tmp_path, clock):
    settings = make_settings(any_db_url, str(tmp_path / "data"))
    app = create_app(settings, clock=clock)
    async with AsyncTestClient(app=app) as client:
        api = Api(client, app)
        try:
            await api.user("root", "admin")
            admin = await api.login("root")
            firm = await api.enterprise(admin)
            submission_id = await push_submission(api, firm)
            scored = await evaluate(api, admin, firm["id"], "checklist.score", {"submission_id": submission_id})
            assert scored.status_code == 201, scored.text
            assert scored.json()["result"]["details"]["major_hazards"] == ["CC-3"]
            # The submission's major hazard is listed at once: dual prevention is vetoed by it.
            vetoed = await evaluate(api, admin, firm["id"], "dual_prevention.small_micro", dual_prevention_input("small_micro"))
            assert vetoed.status_code == 201, vetoed.text
            assert (vetoed.json()["grade"], [v["item"] for v in vetoed.json()["result"]["vetoes"]]) == ("fail", ["V2"])
            assert len(vetoed.json()["input"]["enterprise_facts"]["open_listed_major_hazards"]) == 1
        finally:
            await api.direct.db.dispose()
