"""评估报告 from the enterprise to its 联络员, and the town's progress view against the deadlines."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from core.dual_prevention.programme import load_programme
from tests.core.risk_register.test_register_api import point


async def _standard_input(api, headers, evaluator="dual_prevention.small_micro"):
    standard = (await api.client.get(f"/api/v1/evaluators/{evaluator}/standard", headers=headers)).json()
    codes = [item["code"] for element in standard["elements"] for item in element["items"]]
    return {"items": {code: {"applicable": True, "finding": "现场核查符合要求"} for code in codes}}


@pytest.fixture
async def world(api, admin):
    liaison_id = await api.user("liaison_wang", "inspector", region_code="510681", industries=["industrial_trade"])
    firm = await api.enterprise(admin, name="德阳抛光制品有限公司", industries=["industrial_trade"], scale="small_micro",
                                high_risk_flags=["dust_explosion"], production_kind="production")
    r = await api.client.patch(f"/api/v1/enterprises/{firm['id']}", json={"liaison_user_id": liaison_id}, headers=admin)
    assert r.status_code == 200, r.text
    await api.user("firm_user", "enterprise_user", enterprise_id=firm["id"])
    return firm, await api.login("firm_user"), await api.login("liaison_wang")


async def test_an_enterprise_self_assesses_submits_and_its_liaison_returns_then_accepts(api, admin, world):
    firm, firm_user, liaison = world
    data = {"evaluator": "dual_prevention.small_micro", "enterprise_id": firm["id"], "input": await _standard_input(api, firm_user)}
    evaluation = await api.client.post("/api/v1/evaluations", json=data, headers=firm_user)
    assert evaluation.status_code == 201, evaluation.text
    wrong_scale = await api.client.post("/api/v1/evaluations", json={**data, "evaluator": "dual_prevention.large_medium", "input": await _standard_input(api, firm_user, "dual_prevention.large_medium")}, headers=firm_user)
    assert wrong_scale.status_code in (400, 409) and "scale" in wrong_scale.text
    lec = await api.client.post("/api/v1/evaluations", json={"evaluator": "risk.lec", "enterprise_id": firm["id"], "input": {"l": 3, "e": 6, "c": 7}}, headers=firm_user)
    assert lec.status_code == 403
    submitted = await api.client.post("/api/v1/dual-prevention/reports", json={"evaluation_id": evaluation.json()["id"], "note": "2026年度自评估"}, headers=firm_user)
    assert submitted.status_code == 201, submitted.text
    report = submitted.json()
    assert (report["status"], report["liaison_name"], report["status_label"]) == ("submitted", "liaison_wang", "已提交待审核")
    twice = await api.client.post("/api/v1/dual-prevention/reports", json={"evaluation_id": evaluation.json()["id"]}, headers=firm_user)
    assert twice.status_code == 409
    mine = (await api.client.get("/api/v1/dual-prevention/reports", params={"liaison": "me", "status": "submitted"}, headers=liaison)).json()
    assert [r["id"] for r in mine] == [report["id"]]
    other_inspector = await api.as_new("inspector", region_code="510681", industries=["industrial_trade"])
    assert (await api.client.post(f"/api/v1/dual-prevention/reports/{report['id']}/decision", json={"decision": "accept", "expected_version": 1}, headers=other_inspector)).status_code == 403
    no_reason = await api.client.post(f"/api/v1/dual-prevention/reports/{report['id']}/decision", json={"decision": "return", "expected_version": 1}, headers=liaison)
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason"
    returned = await api.client.post(f"/api/v1/dual-prevention/reports/{report['id']}/decision", json={"decision": "return", "reason": "风险清单未覆盖除尘系统", "expected_version": 1}, headers=liaison)
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    again = (await api.client.post("/api/v1/dual-prevention/reports", json={"evaluation_id": evaluation.json()["id"]}, headers=firm_user)).json()
    accepted = await api.client.post(f"/api/v1/dual-prevention/reports/{again['id']}/decision", json={"decision": "accept", "expected_version": 1}, headers=liaison)
    assert accepted.json()["status"] == "accepted"
    pdf = await api.client.get(f"/api/v1/dual-prevention/reports/{again['id']}/report.pdf", headers=liaison)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "双重预防机制建设运行自评估报告" in text and "德阳抛光制品有限公司" in text and "联络员已接收" in text and "68.00 分" in text  # no register: the computed rules deduct 160 of 500
    audit = (await api.client.get("/api/v1/audit", params={"entity": "evaluation_report"}, headers=admin)).json()
    actions = {e["action"] for e in (audit["items"] if isinstance(audit, dict) else audit)}
    assert {"evaluation_report_submitted", "evaluation_report_returned", "evaluation_report_accepted"} <= actions


async def test_a_report_needs_a_liaison_and_a_programme_standard(api, admin):
    firm = await api.enterprise(admin, name="无联络员企业", industries=["industrial_trade"], scale="small_micro")
    user = await api.as_new("enterprise_user", enterprise_id=firm["id"])
    data = {"evaluator": "dual_prevention.small_micro", "enterprise_id": firm["id"], "input": await _standard_input(api, user)}
    evaluation = (await api.client.post("/api/v1/evaluations", json=data, headers=user)).json()
    r = await api.client.post("/api/v1/dual-prevention/reports", json={"evaluation_id": evaluation["id"]}, headers=user)
    assert r.status_code == 400 and r.json()["field"] == "liaison_user_id" and "联络员" in r.json()["message_zh"]


async def test_progress_shows_built_used_and_report_against_the_deadline(api, admin, world):
    firm, firm_user, liaison = world
    late = await api.enterprise(admin, name="未开始的冶金企业", industries=["industrial_trade"], high_risk_flags=["metallurgy"])
    no_deadline = await api.enterprise(admin, name="其他类企业", industries=["industrial_trade"])
    await api.enterprise(admin, name="化工企业（不在工贸范围）", industries=["hazchem"])
    await api.client.post(f"/api/v1/enterprises/{firm['id']}/risk-register/points", json=point(), headers=firm_user)
    progress = (await api.client.get("/api/v1/dual-prevention/progress", headers=admin)).json()
    rows = {r["name"]: r for r in progress["rows"]}
    assert set(rows) == {"德阳抛光制品有限公司", "未开始的冶金企业", "其他类企业"}
    assert rows["未开始的冶金企业"]["status"] == "late"  # 2024-12-31 has passed (the clock is in 2026)
    assert rows["未开始的冶金企业"]["deadline"] == "2024-12-31"
    assert rows["其他类企业"]["deadline"] is None and rows["其他类企业"]["status"] == "not_started"
    ours = rows["德阳抛光制品有限公司"]
    assert (ours["points"], ours["gaps"], ours["check_lists"], ours["built"]) == (1, 0, 0, False)
    assert ours["status"] == "late" and ours["report_status_label"] == "未提交"
    assert progress["by_status"]["late"] == 2
    mine = (await api.client.get("/api/v1/dual-prevention/progress", params={"liaison": "me"}, headers=liaison)).json()
    assert [r["name"] for r in mine["rows"]] == ["德阳抛光制品有限公司"]
    outside = await api.as_new("viewer", region_code="510603")
    assert (await api.client.get("/api/v1/dual-prevention/progress", headers=outside)).json()["enterprises"] == 0
    del late, no_deadline


def test_the_programme_picks_the_earliest_deadline_that_covers_an_enterprise():
    programme = load_programme()
    assert str(programme.deadline_for(["dust_explosion"], "production").due) == "2024-12-31"
    assert str(programme.deadline_for([], "storage").due) == "2025-12-31"
    assert programme.deadline_for([], None) is None
