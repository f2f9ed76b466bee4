"""The risk register through the API: assessment by the installed evaluators, direct judgement,
control codes that survive edits, revisions with who/when/why, bad input naming its field, scope."""

from __future__ import annotations

import pytest

from core.risk_register.grading import AssessmentOutcome, resulting_level

LEC_YELLOW = {"method": "lec", "inputs": {"l": 3, "e": 6, "c": 7}}  # D = 126: 一般风险
LEC_ACCEPTABLE = {"method": "lec", "inputs": {"l": 1, "e": 1, "c": 7}}  # D = 7: below every band


def point(**overrides):
    data = {
        "name": "1号抛光车间", "kind": "place", "location": "厂区东侧", "posts": ["抛光工"],
        "hazard_factors": ["21", "2201"], "accident_types": ["other_explosion", "fire"],
        "assessment": LEC_YELLOW,
        "controls": [
            {"kind": "engineering", "text": "除尘系统采用湿式除尘并设置锁气卸灰装置", "level": "team", "responsible_post": "车间主任", "responsible_person": "王五"},
            {"kind": "management", "text": "每班清扫作业场所积尘并记录", "level": "post", "responsible_post": "抛光工", "responsible_person": "赵六"},
        ],
    }
    data.update(overrides)
    return data


@pytest.fixture
async def firm(api, admin):
    return await api.enterprise(admin, name="德阳抛光制品有限公司", industries=["industrial_trade"])


async def test_a_point_is_graded_by_the_lec_evaluator_and_keeps_its_explanation(api, admin, firm):
    r = await api.client.post(f"/api/v1/enterprises/{firm['id']}/risk-register/points", json=point(), headers=admin)
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["code"], body["risk_level"], body["colour"]) == ("RP-001", "moderate", "yellow")
    assert body["assessment"]["evaluator"] == "risk.lec" and body["assessment"]["score"] == 126
    assert any("D = 3 × 6 × 7 = 126" in line for line in body["assessment"]["explanation"])
    assert [c["code"] for c in body["controls"]] == ["C01", "C02"]
    assert [(c["frequency"], c["frequency_is_default"]) for c in body["controls"]] == [("daily", True), ("per_shift", True)]
    assert body["hazard_factors"] == ["21", "2201"]


async def test_a_direct_judgement_makes_the_point_red_whatever_the_score(api, admin, firm):
    data = point(direct_judgements=[{"rule": "fatal_accident_past_year", "note": "2026年3月发生一起机械伤害死亡事故"}])
    body = (await api.client.post(f"/api/v1/enterprises/{firm['id']}/risk-register/points", json=data, headers=admin)).json()
    assert (body["risk_level"], body["colour"]) == ("major", "red")
    assert "近一年内发生过死亡事故" in body["level_reasons"][0]
    register = (await api.client.get(f"/api/v1/enterprises/{firm['id']}/risk-register", headers=admin)).json()
    assert register["summary"]["highest_level"] == "major"
    assert register["summary"]["gaps"] == ["RP-001 1号抛光车间（重大风险）：缺少公司级管控措施"]


async def test_a_small_lec_result_is_blue(api, admin, firm):
    body = (await api.client.post(f"/api/v1/enterprises/{firm['id']}/risk-register/points", json=point(assessment=LEC_ACCEPTABLE), headers=admin)).json()
    assert (body["risk_level"], body["colour"]) == ("low", "blue")
    assert body["level_reasons"] == ["风险评价结果：低风险（蓝）"]


def test_a_result_below_every_band_is_controlled_as_blue():
    """A deployment whose LEC has a 低风险 band (D ≥ 20) leaves D < 20 ungraded; the register still colours it."""
    outcome = AssessmentOutcome(evaluator="risk.lec", evaluator_version="1", score=7, level=None, level_label="不分级（可接受风险）", explanation=[])
    assert resulting_level(outcome, []) == ("low", ["风险评价结果为不分级（可接受风险），按低风险（蓝）管控"])


async def test_the_risk_matrix_grades_too(api, admin, firm):
    body = (await api.client.post(
        f"/api/v1/enterprises/{firm['id']}/risk-register/points", json=point(assessment={"method": "ls", "inputs": {"l": 4, "s": 5}}), headers=admin,
    )).json()
    assert (body["assessment"]["evaluator"], body["assessment"]["score"], body["risk_level"]) == ("risk.matrix", 20, "major")


@pytest.mark.parametrize("change,field", [
    ({"assessment": None}, "assessment"),
    ({"assessment": {"method": "lec", "inputs": {"l": 4, "e": 6, "c": 7}}}, "assessment.inputs.l"),
    ({"assessment": {"method": "ls", "inputs": {"l": 3}}}, "assessment.inputs.s"),
    ({"assessment": {"method": "mes", "inputs": {}}}, "assessment.method"),
    ({"hazard_factors": ["57"]}, "hazard_factors[0]"),
    ({"hazard_factors": []}, "hazard_factors"),
    ({"accident_types": ["meteor"]}, "accident_types[0]"),
    ({"controls": [{"kind": "management", "text": "巡检", "responsible_post": "班长", "responsible_person": "张三"}]}, "controls[0].level"),
    ({"controls": [{"kind": "management", "text": "巡检", "level": "team", "responsible_post": "班长"}]}, "controls[0].responsible_person"),
    ({"controls": [{"kind": "management", "text": "巡检", "level": "team", "responsible_post": "班长", "responsible_person": "张三", "code": "C07"}]}, "controls[0].code"),
    ({"plan_x": 1.5}, "plan_x"),
])
async def test_bad_input_is_a_400_naming_the_field_in_both_languages(api, admin, firm, change, field):
    data = point(**change)
    if data.get("assessment") is None:
        del data["assessment"]
    r = await api.client.post(f"/api/v1/enterprises/{firm['id']}/risk-register/points", json=data, headers=admin)
    assert r.status_code == 400, r.text
    assert r.json()["field"] == field
    assert r.json()["message"] and r.json().get("message_zh")
    register = (await api.client.get(f"/api/v1/enterprises/{firm['id']}/risk-register", headers=admin)).json()
    assert register["points"] == []


async def test_an_edit_keeps_control_codes_never_reuses_one_and_records_who_when_why(api, admin, firm):
    created = (await api.client.post(f"/api/v1/enterprises/{firm['id']}/risk-register/points", json=point(), headers=admin)).json()
    kept = {k: v for k, v in created["controls"][0].items() if k in ("kind", "text", "level", "responsible_post", "responsible_person", "code")}
    new = {"kind": "ppe", "text": "佩戴防尘口罩", "level": "post", "responsible_post": "抛光工", "responsible_person": "赵六"}
    update = point(controls=[kept, new], expected_version=1, reason="C02 合并入岗位操作规程，新增个体防护")
    r = await api.client.put(f"/api/v1/risk-points/{created['id']}", json=update, headers=admin)
    assert r.status_code == 200, r.text
    assert [c["code"] for c in r.json()["controls"]] == ["C01", "C03"]  # C02 is never given to another control
    stale = await api.client.put(f"/api/v1/risk-points/{created['id']}", json=update, headers=admin)
    assert stale.status_code == 409 and stale.json()["field"] == "expected_version"
    history = (await api.client.get(f"/api/v1/risk-points/{created['id']}/history", headers=admin)).json()
    assert [(h["version"], h["action"], h["reason"], h["actor_name"]) for h in history] == [
        (1, "created", "初次辨识", "root"), (2, "updated", "C02 合并入岗位操作规程，新增个体防护", "root"),
    ]
    assert [c["code"] for c in history[0]["content"]["controls"]] == ["C01", "C02"]
    audit = (await api.client.get("/api/v1/audit", params={"entity": "risk_point"}, headers=admin)).json()
    actions = [e["action"] for e in (audit["items"] if isinstance(audit, dict) else audit)]
    assert "risk_point_created" in actions and "risk_point_updated" in actions


async def test_a_retired_point_leaves_the_register_but_not_its_history(api, admin, firm):
    created = (await api.client.post(f"/api/v1/enterprises/{firm['id']}/risk-register/points", json=point(), headers=admin)).json()
    no_reason = await api.client.post(f"/api/v1/risk-points/{created['id']}/retire", json={"expected_version": 1}, headers=admin)
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason"
    r = await api.client.post(f"/api/v1/risk-points/{created['id']}/retire", json={"expected_version": 1, "reason": "抛光线已拆除"}, headers=admin)
    assert r.status_code == 200 and r.json()["active"] is False
    register = (await api.client.get(f"/api/v1/enterprises/{firm['id']}/risk-register", headers=admin)).json()
    assert register["points"] == [] and register["summary"]["gaps"] == ["尚未辨识任何风险点"]
    with_retired = (await api.client.get(f"/api/v1/enterprises/{firm['id']}/risk-register", params={"include_retired": "true"}, headers=admin)).json()
    assert [p["code"] for p in with_retired["points"]] == ["RP-001"]
    again = (await api.client.post(f"/api/v1/enterprises/{firm['id']}/risk-register/points", json=point(), headers=admin)).json()
    assert again["code"] == "RP-002"


@pytest.mark.parametrize("role,reads,writes", [
    ("enterprise_user", True, True),
    ("department_admin", True, True),
    ("inspector", True, False),
    ("evaluator", True, False),
    ("viewer", True, False),
])
async def test_roles_and_scope(api, admin, firm, role, reads, writes):
    other = await api.enterprise(admin, name="旌阳区某建材有限公司", region_code="510603", industries=["industrial_trade"])
    created = (await api.client.post(f"/api/v1/enterprises/{other['id']}/risk-register/points", json=point(), headers=admin)).json()
    if role == "enterprise_user":
        headers = await api.as_new(role, enterprise_id=firm["id"])
    else:
        headers = await api.as_new(role, region_code="510681", industries=["industrial_trade"])
    own = await api.client.get(f"/api/v1/enterprises/{firm['id']}/risk-register", headers=headers)
    assert own.status_code == (200 if reads else 403)
    write = await api.client.post(f"/api/v1/enterprises/{firm['id']}/risk-register/points", json=point(), headers=headers)
    assert write.status_code == (201 if writes else 403)
    # The other enterprise is out of everyone's scope here: 404, its point neither readable nor countable.
    assert (await api.client.get(f"/api/v1/enterprises/{other['id']}/risk-register", headers=headers)).status_code in (403, 404)
    assert (await api.client.get(f"/api/v1/risk-points/{created['id']}", headers=headers)).status_code in (403, 404)
    assert (await api.client.get(f"/api/v1/risk-points/{created['id']}", headers=headers)).status_code != 200
