"""The evaluation API: every built-in evaluator and the example plugin's, stored and listed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from server import create_app
from tests.conftest import Api
from tests.plugins.evaluations.conftest import (
    CHECKLIST,
    CHECKLIST_ANSWERS,
    EFFICIENCY_FAIR,
    GAS_OK,
    LEC_HIGH,
    MATRIX_MAJOR,
    dual_prevention_input,
    evaluate,
)

BUILTIN_EVALUATORS = {
    "risk.lec": "risk_grading",
    "risk.matrix": "risk_grading",
    "dual_prevention.large_medium": "dual_prevention",
    "dual_prevention.small_micro": "dual_prevention",
    "checklist.score": "checklist_score",
    "efficiency.assessment": "efficiency",
}


async def test_evaluators_are_listed_with_their_plugin_and_input_schema(api: Api, admin):
    response = await api.client.get("/api/v1/evaluators", headers=admin)
    assert response.status_code == 200
    listed = {entry["id"]: entry for entry in response.json()}
    assert {k: v["plugin"] for k, v in listed.items()} == BUILTIN_EVALUATORS
    lec = listed["risk.lec"]
    assert (lec["title"], lec["version"]) == ("作业条件危险性分析（LEC）", "1.1.0")
    schema = lec["input_schema"]
    assert schema["$ref"] == "#/$defs/LecInput"
    assert set(schema["$defs"]["LecInput"]["required"]) == {"l", "e", "c"}
    assert lec["input_reference_schema"] is None
    reference = listed["checklist.score"]["input_reference_schema"]
    assert set(reference["$defs"]["ChecklistReference"]["required"]) == {"checklist_id", "checklist_version", "answers"}


@pytest.mark.parametrize(
    ("evaluator", "data", "expected"),
    [
        ("risk.lec", LEC_HIGH, {"score": 252, "grade": "high", "risk_level": "high"}),
        ("risk.matrix", MATRIX_MAJOR, {"score": 20, "grade": "major", "risk_level": "major"}),
        (
            "dual_prevention.large_medium",
            dual_prevention_input("large_medium", **{"E7.3": {"applicable": False}, "E5.2": {"deductions": [{"rule": "a", "count": 14}]}}),
            # 970 applicable, less E5.2's 70 and the rules the records decide for a firm without a
            # register (E5.1 50, E5.3 50, E5.6 15, E5.7 20, E6.1 40): 725, 74.74 → 合格
            {"score": 725, "maximum": 970, "grade": "pass", "risk_level": None},
        ),
        ("dual_prevention.small_micro", dual_prevention_input("small_micro"), {"score": 340, "grade": "pass"}),
        ("checklist.score", {"checklist": CHECKLIST, "answers": CHECKLIST_ANSWERS}, {"score": 15, "maximum": 35}),
        ("efficiency.assessment", EFFICIENCY_FAIR, {"score": 60, "grade": "fair"}),
    ],
)
async def test_each_builtin_evaluator_runs_and_its_result_is_stored(api: Api, admin, firm, evaluator, data, expected):
    if evaluator == "dual_prevention.large_medium":  # its standard is for 大中型 enterprises only
        firm = await api.enterprise(admin, name="广汉大型化工有限公司", scale="large_medium")
    response = await evaluate(api, admin, firm["id"], evaluator, data)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["evaluator"] == evaluator
    assert body["enterprise_id"] == firm["id"]
    assert {k: v for k, v in body["input"].items() if k != "enterprise_facts"} == data
    if evaluator.startswith("dual_prevention."):  # the records' counts are stored with the input (plugins/evaluations/facts.py)
        assert body["input"]["enterprise_facts"]["system_counts"]["no_register"] == 1
    assert len(body["input_hash"]) == 64
    for key, value in expected.items():
        assert body[key] == value, key
    assert body["result"]["evaluator"] == evaluator
    assert body["result"]["score"] == body["score"]
    assert body["result"]["explanation"], "a result explains itself"

    stored = await api.client.get(f"/api/v1/evaluations/{body['id']}", headers=admin)
    assert stored.status_code == 200
    assert stored.json() == body
    history = (await api.client.get("/api/v1/evaluations", params={"enterprise_id": firm["id"]}, headers=admin)).json()
    assert [item["id"] for item in history["items"]] == [body["id"]]
    audit = (await api.client.get("/api/v1/audit", params={"entity": "evaluation", "entity_id": body["id"]}, headers=admin)).json()
    assert [entry["action"] for entry in audit] == ["evaluation.create"]
    assert audit[0]["after"]["input_hash"] == body["input_hash"]
    assert audit[0]["after"]["enterprise_id"] == firm["id"]


async def publish(api: Api, headers, definition: dict[str, Any]) -> dict[str, Any]:
    response = await api.client.post(
        "/api/v1/checklists", content=json.dumps(definition), headers={**headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_checklist_score_resolves_a_published_checklist_version(api: Api, admin, firm):
    published = await publish(api, admin, CHECKLIST)
    reference = {"checklist_id": "industrial_trade.dust", "checklist_version": "1.2.0", "answers": CHECKLIST_ANSWERS}
    by_reference = await evaluate(api, admin, firm["id"], "checklist.score", reference)
    assert by_reference.status_code == 201, by_reference.text
    inline = await evaluate(api, admin, firm["id"], "checklist.score", {"checklist": CHECKLIST, "answers": CHECKLIST_ANSWERS})
    assert by_reference.json()["result"] == inline.json()["result"]
    # The stored input pins the exact content it was scored on.
    assert by_reference.json()["input"] == {**reference, "content_hash": published["content_hash"]}

    pinned = {**reference, "content_hash": published["content_hash"]}
    assert (await evaluate(api, admin, firm["id"], "checklist.score", pinned)).status_code == 201
    wrong = await evaluate(api, admin, firm["id"], "checklist.score", {**reference, "content_hash": "0" * 64})
    assert wrong.status_code == 409
    assert (wrong.json()["code"], wrong.json()["field"]) == ("checklist_hash_mismatch", "input.content_hash")

    unknown = await evaluate(api, admin, firm["id"], "checklist.score", {**reference, "checklist_version": "9.0.0"})
    assert unknown.status_code == 400
    assert (unknown.json()["code"], unknown.json()["field"]) == ("unknown_checklist_version", "input.checklist_version")

    bad_answer = await evaluate(
        api, admin, firm["id"], "checklist.score", {**reference, "answers": {**CHECKLIST_ANSWERS, "A2": {"status": "maybe"}}}
    )
    assert bad_answer.status_code == 400
    assert bad_answer.json()["field"] == 'input.answers["A2"].status'


@pytest.mark.parametrize(
    ("evaluator", "data", "field"),
    [
        ("risk.lec", {"l": 4, "e": 6, "c": 7}, "input.l"),
        ("risk.lec", {"l": 6, "e": 6}, "input.c"),
        ("risk.lec", {"l": 6, "e": 6, "c": 7, "d": 1}, "input.d"),
        ("risk.lec", {"l": "six", "e": 6, "c": 7}, "input.l"),
        ("risk.matrix", {"l": 6, "s": 1}, "input.l"),
        (
            "risk.lec",
            {**LEC_HIGH, "thresholds": {"major": {"min": 10}, "high": {"min": 160}, "moderate": {"min": 70}, "low": {"min": 20}}},
            "input.thresholds.major.min",
        ),
        ("checklist.score", {"checklist": CHECKLIST, "answers": {"A1": {"status": "pass"}, "A3": {"value": 25}}}, 'input.answers["A2"]'),
        ("checklist.score", {"checklist": CHECKLIST, "answers": {**CHECKLIST_ANSWERS, "A3": {"value": "fast"}}}, 'input.answers["A3"].value'),
        ("efficiency.assessment", {"values": {**EFFICIENCY_FAIR["values"], "training_coverage": 140}}, 'input.values["training_coverage"]'),
        ("dual_prevention.small_micro", {"items": {}}, 'input.items["E1.1"]'),
        ("checklist.score", {"submission_id": "0f1e2d3c-0000-4000-8000-000000000000"}, "input.submission_id"),
    ],
)
async def test_invalid_input_is_answered_with_the_field_path(api: Api, admin, firm, evaluator, data, field):
    response = await evaluate(api, admin, firm["id"], evaluator, data)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["field"] == field, body
    assert body["message"] and body["message_zh"]
    history = (await api.client.get("/api/v1/evaluations", params={"enterprise_id": firm["id"]}, headers=admin)).json()
    assert history["total"] == 0, "nothing is stored for bad input"


async def test_malformed_request_body_names_the_field(api: Api, admin, firm):
    missing = await api.client.post("/api/v1/evaluations", json={"enterprise_id": firm["id"], "input": LEC_HIGH}, headers=admin)
    assert missing.status_code == 400
    assert missing.json()["field"] == "evaluator"
    not_object = await api.client.post(
        "/api/v1/evaluations", json={"enterprise_id": firm["id"], "evaluator": "risk.lec", "input": [1, 2]}, headers=admin
    )
    assert not_object.status_code == 400
    assert not_object.json()["field"] == "input"


async def test_unknown_evaluator_is_404(api: Api, admin, firm):
    response = await evaluate(api, admin, firm["id"], "risk.unknown", LEC_HIGH)
    assert response.status_code == 404
    assert response.json()["field"] == "evaluator"


async def test_same_input_twice_stores_identical_results(api: Api, admin, clock):
    firm = await api.enterprise(admin, name="广汉大型化工有限公司", scale="large_medium")
    data = dual_prevention_input("large_medium", **{"E1.3": {"deductions": [{"rule": "a"}]}})
    first = (await evaluate(api, admin, firm["id"], "dual_prevention.large_medium", data)).json()
    clock.advance(seconds=60)
    # Keys in another order are the same input.
    reordered = {"items": dict(reversed(list(data["items"].items())))}
    second = (await evaluate(api, admin, firm["id"], "dual_prevention.large_medium", reordered)).json()
    assert first["id"] != second["id"]
    assert first["input_hash"] == second["input_hash"]
    assert first["result"] == second["result"]
    assert (first["score"], first["grade"]) == (second["score"], second["grade"])


async def test_history_is_newest_first_paginated_and_filtered(api: Api, admin, firm, clock):
    other = await api.enterprise(admin, name="另一家企业")
    ids = []
    for c in (1, 3, 7):
        response = await evaluate(api, admin, firm["id"], "risk.lec", {"l": 6, "e": 6, "c": c})
        ids.append(response.json()["id"])
        clock.advance(seconds=60)
    matrix = (await evaluate(api, admin, firm["id"], "risk.matrix", MATRIX_MAJOR)).json()["id"]
    await evaluate(api, admin, other["id"], "risk.lec", LEC_HIGH)

    page1 = (await api.client.get("/api/v1/evaluations", params={"enterprise_id": firm["id"], "page_size": 3}, headers=admin)).json()
    assert page1["total"] == 4
    assert [item["id"] for item in page1["items"]] == [matrix, ids[2], ids[1]]
    page2 = (await api.client.get("/api/v1/evaluations", params={"enterprise_id": firm["id"], "page_size": 3, "page": 2}, headers=admin)).json()
    assert [item["id"] for item in page2["items"]] == [ids[0]]
    lec_only = (await api.client.get("/api/v1/evaluations", params={"enterprise_id": firm["id"], "evaluator": "risk.lec"}, headers=admin)).json()
    assert [item["id"] for item in lec_only["items"]] == list(reversed(ids))
    everything = (await api.client.get("/api/v1/evaluations", headers=admin)).json()
    assert everything["total"] == 5


async def test_example_plugin_evaluator_is_listed_and_runs(installer, settings, clock):
    installer.install_example()
    async with AsyncTestClient(app=create_app(settings, clock=clock)) as client:
        api = Api(client, client.app)
        try:
            await api.user("root", "admin")
            admin = await api.login("root")
            listed = {e["id"]: e for e in (await client.get("/api/v1/evaluators", headers=admin)).json()}
            gas = listed["example.confined_space_gas_test"]
            assert (gas["plugin"], gas["title"], gas["version"]) == ("example", "有限空间作业气体检测判定", "1.0.0")
            assert "oxygen_percent" in gas["input_schema"]["$defs"]["GasReadings"]["properties"]

            firm = await api.enterprise(admin, industries=["industrial_trade"])
            permitted = await evaluate(api, admin, firm["id"], "example.confined_space_gas_test", GAS_OK)
            assert permitted.status_code == 201, permitted.text
            assert (permitted.json()["grade"], permitted.json()["score"]) == ("permitted", 4)
            forbidden = await evaluate(api, admin, firm["id"], "example.confined_space_gas_test", {**GAS_OK, "oxygen_percent": 18})
            assert forbidden.json()["grade"] == "forbidden"
            assert forbidden.json()["result"]["vetoes"][0]["item"] == "oxygen_percent"
            negative = await evaluate(api, admin, firm["id"], "example.confined_space_gas_test", {**GAS_OK, "carbon_monoxide_mg_m3": -1})
            assert negative.status_code == 400
            assert negative.json()["field"] == "input.carbon_monoxide_mg_m3"
        finally:
            await api.direct.db.dispose()


async def test_a_crashing_evaluator_is_reported_against_its_plugin(settings, clock):
    from plugins.hookspecs import hookimpl
    from plugins.manager import load_plugins
    from plugins.risk_grading import LecEvaluator

    class Crashing(LecEvaluator):
        def evaluate(self, input):  # type: ignore[no-untyped-def]
            raise KeyError("table row")

    class Vendor:
        @hookimpl
        def anjian_evaluators(self):
            return [Crashing(id="vendor.lec")]

    registry = load_plugins(builtins=[], entry_points=False, environ={})
    registry.register(Vendor(), "vendor")
    registry.collect()
    async with AsyncTestClient(app=create_app(settings, clock=clock, plugins=registry)) as client:
        api = Api(client, client.app)
        try:
            await api.user("root", "admin")
            admin = await api.login("root")
            firm = await api.enterprise(admin)
            response = await evaluate(api, admin, firm["id"], "vendor.lec", LEC_HIGH)
            assert response.status_code == 500
            assert response.json()["code"] == "evaluator_failed"
            assert "vendor" in response.json()["message"] and "KeyError" in response.json()["message"]
            plugins = {p["name"]: p for p in (await client.get("/api/v1/plugins", headers=admin)).json()}
            assert plugins["vendor"]["status"] == "degraded"
            assert plugins["vendor"]["errors"][0]["stage"] == "evaluate vendor.lec"
            history = (await client.get("/api/v1/evaluations", headers=admin)).json()
            assert history["total"] == 0
        finally:
            await api.direct.db.dispose()
