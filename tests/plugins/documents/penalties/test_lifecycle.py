"""行政处罚 cases: filed by two card-holding officers, notified, decided no heavier, fulfilled; in scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import col, select

from core.access.users import User
from core.storage.audit_log import AuditEntry
from tests.conftest import Api

NOTICE = {
    "facts": "2026年3月2日现场检查发现，该单位液氨储罐区未设置可燃气体报警装置（现场照片2张）。",
    "violated": "《中华人民共和国安全生产法》第三十六条第一款",
    "basis": "《中华人民共和国安全生产法》第九十九条第（二）项",
    "proposed": "罚款人民币叁万元",
    "proposed_fine_yuan": 30000,
    "notified_on": "2026-03-02",
}
DECISION = {
    "decision": "罚款人民币贰万元", "fine_yuan": 20000, "decided_on": "2026-03-02", "statement": "已整改，请求从轻处罚。",
    "payee": "中国工商银行广汉支行", "account": "2304 0000 0000 0000 123",
}


async def _officer(api: Api, name: str, card: str | None, **scope: Any) -> str:
    user_id = await api.user(name, scope.pop("role", "inspector"), region_code=scope.pop("region_code", "510681"), industries=scope.pop("industries", ["hazchem"]))
    if card is not None:
        async with api.direct.db.write() as session:
            await session.exec(update(User).where(col(User.id) == user_id).values(enforcement_card_no=card))  # type: ignore[call-overload]
    return user_id


async def _filed(api: Api, admin: dict[str, str]) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    enterprise = await api.enterprise(admin)
    first = await _officer(api, "zhang", "51060001")
    second = await _officer(api, "li", "51060002")
    headers = await api.login("zhang")
    response = await api.client.post("/api/v1/penalties", json={"enterprise_id": enterprise["id"], "cause": "未设置可燃气体报警装置", "handlers": [first, second]}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json(), headers, enterprise


async def test_a_case_goes_through_its_four_stages_each_audited(api: Api, admin: dict[str, str]) -> None:
    case, headers, _ = await _filed(api, admin)
    assert (case["status"], case["status_label"], [h["name"] for h in case["handlers"]]) == ("filed", "已立案", ["zhang", "li"])
    path = f"/api/v1/penalties/{case['id']}"
    notified = await api.client.post(f"{path}/notice", json=NOTICE, headers=headers)
    assert notified.status_code == 200, notified.text
    decided = await api.client.post(f"{path}/decision", json=DECISION, headers=headers)
    assert decided.status_code == 200, decided.text
    assert (decided.json()["status"], decided.json()["fine_yuan"], decided.json()["version"]) == ("decided", 20000, 3)
    paid = await api.client.post(f"{path}/fulfilment", json={"paid_on": "2026-03-02", "paid_yuan": 20000, "receipt_no": "FS-0001"}, headers=headers)
    assert paid.status_code == 200, paid.text
    assert paid.json()["status"] == "fulfilled"
    async with api.direct.db.read() as session:
        actions = (await session.exec(select(AuditEntry.action).where(col(AuditEntry.entity_id) == case["id"]).order_by(col(AuditEntry.seq)))).all()
    assert list(actions) == ["penalty.file", "penalty.notify", "penalty.decide", "penalty.fulfil"]


async def test_handlers_without_a_card_or_scope_are_each_named_and_nothing_is_filed(api: Api, admin: dict[str, str]) -> None:
    enterprise = await api.enterprise(admin)
    carded = await _officer(api, "zhang", "51060001")
    uncarded = await _officer(api, "wang", None)
    elsewhere = await _officer(api, "zhao", "51060003", region_code="510603")
    headers = await api.login("zhang")
    body = {"enterprise_id": enterprise["id"], "cause": "未设置可燃气体报警装置", "handlers": [carded, uncarded, elsewhere]}
    response = await api.client.post("/api/v1/penalties", json=body, headers=headers)
    assert response.status_code == 409, response.text
    error = response.json()
    assert error["code"] == "handlers_not_qualified"
    assert [p["field"] for p in error["problems"]] == ["handlers[1]", "handlers[2]"]
    assert "执法证号" in error["message_zh"] and "无权管辖" in error["message_zh"]
    one = await api.client.post("/api/v1/penalties", json={**body, "handlers": [carded]}, headers=headers)
    assert one.status_code == 400 and "handlers" in one.text
    listed = await api.client.get("/api/v1/penalties", headers=admin)
    assert listed.json()["total"] == 0


async def test_stages_run_in_order_and_a_decision_is_never_heavier_than_the_notice(api: Api, admin: dict[str, str]) -> None:
    case, headers, _ = await _filed(api, admin)
    path = f"/api/v1/penalties/{case['id']}"
    early = await api.client.post(f"{path}/decision", json=DECISION, headers=headers)
    assert early.status_code == 409 and early.json()["code"] == "penalty_stage" and "告知" in early.json()["message_zh"]
    future = await api.client.post(f"{path}/notice", json={**NOTICE, "notified_on": "2026-03-09"}, headers=headers)
    assert future.status_code == 400 and future.json()["field"] == "notified_on"
    assert (await api.client.post(f"{path}/notice", json=NOTICE, headers=headers)).status_code == 200
    again = await api.client.post(f"{path}/notice", json=NOTICE, headers=headers)
    assert again.status_code == 409
    heavier = await api.client.post(f"{path}/decision", json={**DECISION, "fine_yuan": 30001}, headers=headers)
    assert heavier.status_code == 409 and heavier.json()["code"] == "heavier_than_notified" and "不得因当事人陈述、申辩而加重" in heavier.json()["message_zh"]
    unpaid_to = await api.client.post(f"{path}/decision", json={**DECISION, "payee": ""}, headers=headers)
    assert unpaid_to.status_code == 400 and unpaid_to.json()["field"] == "payee"
    assert (await api.client.post(f"{path}/decision", json=DECISION, headers=headers)).status_code == 200
    short = await api.client.post(f"{path}/fulfilment", json={"paid_on": "2026-03-02", "paid_yuan": 19999, "receipt_no": "FS-1"}, headers=headers)
    assert short.status_code == 400 and short.json()["field"] == "paid_yuan"
    current = await api.client.get(path, headers=headers)
    assert (current.json()["status"], current.json()["version"]) == ("decided", 3)


async def test_cases_are_scoped_and_only_officers_handle_them(api: Api, admin: dict[str, str]) -> None:
    case, _, _ = await _filed(api, admin)
    outsider = await api.as_new("inspector", region_code="510603", industries=["hazchem"])
    assert (await api.client.get(f"/api/v1/penalties/{case['id']}", headers=outsider)).status_code == 404
    assert (await api.client.get("/api/v1/penalties", headers=outsider)).json()["total"] == 0
    assert (await api.client.post(f"/api/v1/penalties/{case['id']}/notice", json=NOTICE, headers=outsider)).status_code == 404
    department = await api.as_new("department_admin", region_code="510681", industries=["hazchem"])
    assert (await api.client.get(f"/api/v1/penalties/{case['id']}", headers=department)).status_code == 200
    assert (await api.client.post(f"/api/v1/penalties/{case['id']}/notice", json=NOTICE, headers=department)).status_code == 403
    viewer = await api.as_new("viewer", region_code="510681")
    assert (await api.client.get("/api/v1/penalties", headers=viewer)).status_code == 403
