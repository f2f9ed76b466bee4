"""Issuing 执法文书 from a pushed inspection: each type numbered from the authority's register, filled
from the system's own records, refused (naming every missing fact, burning no number) until
everything is there, and only for who may issue it within their scope."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from core.storage.audit_log import AuditEntry
from tests.plugins.documents.conftest import DocWorld, jpeg

MEASURES = {"measures": ["stop_using", "withdraw_personnel"], "facilities": "液氨储罐", "period_start": "2026-03-02", "period_end": "2026-03-20"}


def table_rows(document: dict[str, Any]) -> list[list[str]]:
    return [row for block in document["content"]["blocks"] if block["type"] == "table" for row in block["rows"]]


def texts(document: dict[str, Any]) -> str:
    parts = []
    for block in document["content"]["blocks"]:
        if block["type"] == "paragraph":
            parts.append(block["text"])
        elif block["type"] == "fields":
            parts += [f"{f['label']}：{f['value']}" for f in block["fields"]]
    return "\n".join(parts)


async def test_the_four_documents_of_an_inspection_are_numbered_and_filled_from_its_records(inspected: DocWorld) -> None:
    world = inspected
    record = await world.issue(world.zhang.headers, "inspection_record")
    assert (record["number"], record["status"], record["seq"]) == ("广应急检记〔2026〕1号", "issued", 1)
    body = texts(record)
    for expected in (
        "被检查单位：广汉市红星化工有限公司", f"统一社会信用代码：{world.enterprise['uscc']}", "地址：广汉市三星堆镇工业园 8 号",
        "法定代表人（负责人）：王建国", "现场负责人：王经理", "检查时间：2026年3月2日8时00分至8时40分",
        "行政执法人员张三、李四，证件号码分别为51068100001、51068100002", "共检查3项，发现问题2项",
    ):
        assert expected in body, expected
    assert table_rows(record) == [
        ["1", "危险化学品专用仓库设置符合要求", "仓库未设置防爆照明", "《危险化学品安全管理条例》第二十四条"],
        ["2", "重大危险源未进行辨识和登记建档", "液氨储罐区未辨识登记", "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准》"],
    ]
    assert [p["caption"] for p in record["content"]["photos"]] == ["现场照片", "检查项 CC-1：危险化学品专用仓库设置符合要求"]

    await world.order_major()
    order = await world.issue(world.zhang.headers, "rectification_order")
    assert order["number"] == "广应急责改〔2026〕1号"
    rows = table_rows(order)
    assert [(r[0], r[3], r[4]) for r in rows] == [
        ("1", "《危险化学品安全管理条例》第二十四条", "2026年4月1日前"),
        ("2", "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准》", "2026年3月20日前"),
    ]
    assert "向广汉市人民政府申请行政复议" in order["content"]["closing"] and "向广汉市人民法院提起行政诉讼" in order["content"]["closing"]
    assert sorted(order["hazard_ids"]) == sorted(world.hazard_ids)

    measures = await world.issue(world.zhang.headers, "on_site_measures", **MEASURES)
    assert measures["number"] == "广应急处理〔2026〕1号"
    assert len(table_rows(measures)) == 1  # the major hazard only
    assert "1. 责令暂时停止使用相关设施、设备（液氨储罐）；2. 责令从危险区域内撤出作业人员。期限自2026年3月2日起至2026年3月20日止。" in texts(measures)
    assert "依据《中华人民共和国安全生产法》第六十五条第一款第（三）项的规定" in texts(measures)

    await world.recheck_both()
    opinion = await world.issue(world.zhang.headers, "recheck_opinion")
    assert opinion["number"] == "广应急复查〔2026〕1号"
    assert "《责令限期整改指令书》（广应急责改〔2026〕1号）" in texts(opinion)
    assert [(r[4], r[5]) for r in table_rows(opinion)] == [("整改合格，予以销号", "—"), ("整改不合格：登记建档资料不全", "2026年3月30日")]

    listed = await world.client.get(f"/api/v1/inspections/{world.inspection_id}/documents", headers=world.zhang.headers)
    assert [d["number"] for d in listed.json()] == [d["number"] for d in (record, order, measures, opinion)]
    async with world.api.direct.db.read() as session:
        entries = (await session.exec(select(AuditEntry).where(col(AuditEntry.action) == "document.issue").order_by(col(AuditEntry.seq)))).all()
    assert [(e.entity_id, e.after["number"], e.after["content_hash"]) for e in entries] == [
        (d["id"], d["number"], d["content_hash"]) for d in (record, order, measures, opinion)
    ]


async def test_a_penalty_decision_is_issued_from_its_decided_case_only(inspected: DocWorld) -> None:
    world = inspected
    headers = world.zhang.headers
    without = await world.issue(headers, "penalty_decision", expect=400)
    assert without["field"] == "penalty_id"
    filed = await world.client.post("/api/v1/penalties", headers=headers, json={
        "enterprise_id": world.enterprise["id"], "cause": "危险化学品仓库未设置防爆照明", "handlers": [world.zhang.user_id, world.li.user_id],
        "inspection_id": world.inspection_id, "hazard_ids": world.hazard_ids,
    })
    assert filed.status_code == 201, filed.text
    case = filed.json()["id"]
    undecided = await world.issue(headers, "penalty_decision", expect=409, penalty_id=case)
    assert [m["field"] for m in undecided["missing"]] == ["penalty"] and "尚未作出处罚决定" in undecided["message_zh"]
    notice = {"facts": "2026年3月2日检查发现1号仓库未设置防爆照明（照片1张）", "violated": "《危险化学品安全管理条例》第二十条",
              "basis": "《危险化学品安全管理条例》第八十条第一款第（二）项", "proposed": "罚款人民币伍万元", "proposed_fine_yuan": 50000, "notified_on": "2026-03-02"}
    assert (await world.client.post(f"/api/v1/penalties/{case}/notice", json=notice, headers=headers)).status_code == 200
    decision = {"decision": "罚款人民币伍万元", "fine_yuan": 50000, "decided_on": "2026-03-02", "payee": "中国工商银行广汉支行", "account": "2304000000000000123"}
    assert (await world.client.post(f"/api/v1/penalties/{case}/decision", json=decision, headers=headers)).status_code == 200
    other = await world.issue(headers, "penalty_decision", expect=404, penalty_id="00000000-0000-0000-0000-000000000000")
    assert other["field"] == "penalty_id"
    issued = await world.issue(headers, "penalty_decision", penalty_id=case)
    assert issued["number"] == "广应急罚决〔2026〕1号", issued["number"]
    text = "".join(b.get("text", "") for b in issued["content"]["blocks"])
    for said in ("未设置防爆照明", "第二十条", "第八十条第一款第（二）项", "罚款人民币伍万元", "中国工商银行广汉支行", "2026年3月2日告知", "未提出陈述、申辩意见"):
        assert said in text, said


async def test_every_missing_fact_is_named_in_both_languages_and_no_number_is_burnt(world: DocWorld) -> None:
    await world.set_officer(world.zhang.user_id, "张三", None)  # no 执法证号
    free = {"id": "0d3c4a52-5d1b-4f0e-9d55-4c7f1f6a1a01", "description": "消防通道堆放杂物", "location": "厂区东侧", "responsible_person": "刘安全"}
    tablet_hazard = {"id": "0d3c4a52-5d1b-4f0e-9d55-4c7f1f6a1a02", "item_code": "CC-1", "description": "仓库未设置防爆照明", "responsible_person": "刘安全"}
    result = await world.push(world.zhang, hazards=[tablet_hazard, free])  # zhang alone: one inspector only
    world.inspection_id = result["inspection_id"]
    general = [free["id"], tablet_hazard["id"]]
    refused = await world.issue(world.zhang.headers, "rectification_order", expect=409, hazard_ids=general)
    assert refused["code"] == "missing_facts"
    assert [(m["field"], m["reason"], m["reason_zh"]) for m in refused["missing"]] == [
        ("hazards[0].basis", "legal basis is missing", "缺少依据"),
        ("inspectors[0].enforcement_card_no", "enforcement certificate number is missing", "缺少执法证号"),
        ("inspectors", "at least 2 inspectors are needed, 1 given", "至少需要2项执法人员，现有1项"),
    ]
    for field in ("hazards[0].basis", "inspectors[0].enforcement_card_no", "inspectors"):
        assert field in refused["message"] and field in refused["message_zh"]
    assert refused["message_zh"].startswith("无法出具责令限期整改指令书")
    record = await world.issue(world.zhang.headers, "inspection_record", expect=409)
    assert {m["field"] for m in record["missing"]} == {"inspectors[0].enforcement_card_no", "inspectors"}

    # Nothing was numbered: the next order issued takes number 1.
    await world.set_officer(world.zhang.user_id, "张三", "51068100001")
    await world.push_inspection()
    issued = await world.issue(world.zhang.headers, "rectification_order", hazard_ids=[(await world.hazards())["general"]["id"]])
    assert issued["number"] == "广应急责改〔2026〕1号"


async def test_without_an_authority_for_the_region_nothing_is_numbered(world: DocWorld) -> None:
    elsewhere = await world.api.enterprise(world.admin, name="旌阳区某化工厂", region_code="510603", address="旌阳区", legal_representative="赵")
    zhao = await world.tablet("zhao", "510603")
    result = await world.push(zhao, enterprise_id=elsewhere["id"])
    world.inspection_id = result["inspection_id"]
    assert (await world.issue(world.zhang.headers, "inspection_record", expect=404))["code"] == "not_found"  # zhang covers 广汉市
    refused = await world.issue(zhao.headers, "inspection_record", expect=409)
    assert refused["missing"][0] == {
        "field": "authority", "reason": "no issuing authority covers the enterprise's region", "reason_zh": "企业所在地没有对应的执法机关（请先设置文书执法机关）",
    }
    # A city authority covers its counties: then only what the inspection itself lacks is missing.
    city = {"name": "德阳市应急管理局", "short_name": "德", "review_body": "德阳市人民政府", "court": "德阳市旌阳区人民法院"}
    assert (await world.client.put("/api/v1/document-authorities/510600", json=city, headers=world.admin)).status_code == 201
    again = await world.issue(zhao.headers, "inspection_record", expect=409)
    assert "authority" not in [m["field"] for m in again["missing"]]


async def test_out_of_scope_is_404_and_roles_that_may_not_issue_are_403(inspected: DocWorld) -> None:
    world = inspected
    other_county = await world.api.as_new("inspector", region_code="510603", industries=["hazchem"])
    other_industry = await world.api.as_new("inspector", region_code="510681", industries=["coal"])
    for headers in (other_county, other_industry):
        missing = await world.issue(headers, "inspection_record", expect=404)
        assert (missing["code"], missing["field"]) == ("not_found", "inspection_id")
    unknown = await world.client.post("/api/v1/documents", json={"type": "inspection_record", "inspection_id": "0" * 36}, headers=world.zhang.headers)
    assert unknown.status_code == 404
    viewer = await world.api.as_new("viewer", region_code="510681")
    owner = await world.api.user("boss", "enterprise_user", enterprise_id=world.enterprise["id"])
    assert owner
    for headers in (viewer, await world.api.login("boss")):
        assert (await world.issue(headers, "inspection_record", expect=403))["code"] == "forbidden"

    document = await world.issue(world.zhang.headers, "inspection_record")
    path = f"/api/v1/documents/{document['id']}"
    assert (await world.client.get(path, headers=other_county)).status_code == 404
    assert (await world.client.get(f"{path}/pdf", headers=other_county)).status_code == 404
    assert (await world.client.get(f"/api/v1/inspections/{world.inspection_id}/documents", headers=other_county)).status_code == 404
    listed = await world.client.get("/api/v1/documents", headers=other_county)
    assert listed.json()["total"] == 0
    # The enterprise's own user reads what it was served; another enterprise's user does not.
    mine = await world.client.get(path, headers=await world.api.login("boss"))
    assert mine.status_code == 200 and mine.json()["number"] == document["number"]
    stranger_firm = await world.api.enterprise(world.admin, name="别家公司")
    await world.api.user("stranger", "enterprise_user", enterprise_id=stranger_firm["id"])
    assert (await world.client.get(path, headers=await world.api.login("stranger"))).status_code == 404


async def test_bad_requests_name_their_field(inspected: DocWorld) -> None:
    world = inspected
    unknown = await world.issue(world.zhang.headers, "notice_of_nothing", expect=400)
    assert (unknown["code"], unknown["field"]) == ("unknown_document_type", "type")
    assert "inspection_record" in unknown["message"]
    hazard = await world.issue(world.zhang.headers, "rectification_order", expect=400, hazard_ids=[world.hazard_ids[0], "not-a-hazard"])
    assert (hazard["code"], hazard["field"]) == ("unknown_hazard", "hazard_ids[1]")
    general = (await world.hazards())["general"]["id"]
    not_major = await world.issue(world.zhang.headers, "on_site_measures", expect=400, hazard_ids=[general], **MEASURES)
    assert (not_major["code"], not_major["field"]) == ("not_a_major_hazard", "hazard_ids[0]")
    backwards = await world.issue(world.zhang.headers, "on_site_measures", expect=400, **{**MEASURES, "period_end": "2026-03-01"})
    assert backwards["field"] == "period_end"
    no_measure = await world.issue(world.zhang.headers, "on_site_measures", expect=409)
    assert [m["field"] for m in no_measure["missing"]] == ["measures", "period_start", "period_end"]
    shape = await world.client.post("/api/v1/documents", json={"type": "inspection_record", "inspection_id": world.inspection_id, "extra": 1}, headers=world.zhang.headers)
    assert shape.status_code == 400 and "extra" in shape.text
    assert (await world.issue(world.zhang.headers, "inspection_record", expect=201))["number"].endswith("1号")
    assert (await world.issue(world.zhang.headers, "recheck_opinion", expect=409))["missing"][0]["field"] == "rechecks"


async def test_a_second_inspection_record_is_a_correction_not_a_parallel_one(inspected: DocWorld) -> None:
    world = inspected
    first = await world.issue(world.zhang.headers, "inspection_record")
    second = await world.issue(world.zhang.headers, "inspection_record", expect=409)
    assert (second["code"], second["number"]) == ("already_issued", first["number"])
    corrected = await world.issue(world.zhang.headers, "inspection_record", corrects=first["id"])
    assert corrected["number"] == "广应急检记〔2026〕2号"
    photo = await world.upload(world.zhang, jpeg(99))
    assert photo  # unrelated uploads do not change what was issued
    again = await world.client.get(f"/api/v1/documents/{first['id']}", headers=world.zhang.headers)
    assert again.json()["content_hash"] == first["content_hash"] and again.json()["status"] == "voided"
