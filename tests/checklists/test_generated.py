"""隐患排查清单 generated from an enterprise's risk register: one list per level × frequency, items made
from controls, versions that follow the register, and lists that only their enterprise's people see."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import msgspec
import pytest

from checklists.canonical import content_hash, from_canonical
from checklists.generated import checklist_id_for
from checklists.schema import Checklist
from checklists.versions import publish_version
from core.errors import Conflict
from core.storage.audit_log import SYSTEM
from tests.conftest import Api

LEC_YELLOW = {"method": "lec", "inputs": {"l": 3, "e": 6, "c": 7}}  # D = 126: 一般风险 (黄)
LS_RED = {"method": "ls", "inputs": {"l": 4, "s": 5}}  # 20: 重大风险 (红)


def control(kind: str, text: str, level: str, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "text": text, "level": level, "responsible_post": "车间主任", "responsible_person": "王五", **extra}


def polishing(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "1号抛光车间", "kind": "place", "location": "厂区东侧", "posts": ["抛光工"], "hazard_factors": ["21"],
        "accident_types": ["other_explosion"], "assessment": LEC_YELLOW,
        "controls": [
            control("engineering", "除尘系统采用湿式除尘并设置锁气卸灰装置", "team"),
            control("management", "每班清扫作业场所积尘并记录", "post"),
            control("ppe", "佩戴防尘口罩", "post", frequency="daily"),
        ],
    }
    data.update(overrides)
    return data


def boiler() -> dict[str, Any]:
    return {
        "name": "燃气锅炉房", "kind": "facility", "hazard_factors": ["2"], "accident_types": ["boiler_explosion"], "assessment": LS_RED,
        "controls": [control("training", "司炉工持证上岗并每年培训", "company"), control("management", "每周检查安全阀和压力表校验期", "workshop")],
    }


async def add_point(api: Api, headers: dict[str, str], enterprise_id: str, data: dict[str, Any]) -> dict[str, Any]:
    r = await api.client.post(f"/api/v1/enterprises/{enterprise_id}/risk-register/points", json=data, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def generate(api: Api, headers: dict[str, str], enterprise_id: str, expect: int = 200) -> dict[str, Any]:
    r = await api.client.post(f"/api/v1/enterprises/{enterprise_id}/check-lists/generate", headers=headers)
    assert r.status_code == expect, r.text
    return r.json()


async def content(api: Api, headers: dict[str, str], checklist_id: str, version: str) -> dict[str, Any]:
    r = await api.client.get(f"/api/v1/checklists/{checklist_id}/versions/{version}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
async def firm(api: Api, admin: dict[str, str]) -> dict[str, Any]:
    return await api.enterprise(admin, name="德阳抛光制品有限公司", industries=["hazchem", "industrial_trade"])


async def test_one_list_per_level_and_frequency_with_an_item_per_control(api: Api, admin, firm):
    await add_point(api, admin, firm["id"], polishing())
    await add_point(api, admin, firm["id"], boiler())
    out = await generate(api, admin, firm["id"])
    prefix = f"self_check.e{firm['id'].replace('-', '')[:12]}."
    assert [(g["checklist_id"], g["version"], g["change"], g["items"]) for g in out["published"]] == [
        (prefix + "post_per_shift", "1.0.0", "created", 1),
        (prefix + "post_daily", "1.0.0", "created", 1),  # the PPE control keeps its own frequency at its level
        (prefix + "team_daily", "1.0.0", "created", 1),
        (prefix + "workshop_weekly", "1.0.0", "created", 1),
        (prefix + "company_monthly", "1.0.0", "created", 1),
    ]
    assert out["unchanged"] == [] and out["retired"] == []
    body = await content(api, admin, prefix + "team_daily", "1.0.0")
    assert body["owner_enterprise_id"] == firm["id"] and body["source"] == "register"
    checklist = body["checklist"]
    assert checklist["title"] == "德阳抛光制品有限公司班组级隐患排查清单（每日）"
    assert checklist["industry"] == "industrial_trade"  # preferred over the enterprise's first industry
    assert checklist["applies_to"] == {"enterprises": [firm["id"]]}
    [section] = checklist["sections"]
    assert (section["code"], section["title"]) == ("RP-001", "RP-001 1号抛光车间（一般风险·黄）")
    [item] = section["items"]
    assert item["code"] == "RP-001.C01" and item["text"] == "是否落实：除尘系统采用湿式除尘并设置锁气卸灰装置"
    assert item["basis"] == [{"document": "本企业风险分级管控清单", "article": "RP-001 C01"}, {"document": "中华人民共和国安全生产法", "article": "第四十一条"}]
    assert "责任岗位：车间主任" in item["guidance"] and "责任人：王五" in item["guidance"] and "工程技术措施" in item["guidance"]
    assert item["photo_required"] is True and item["rectification_days"] == 15 and not item.get("major_hazard")
    company = (await content(api, admin, prefix + "company_monthly", "1.0.0"))["checklist"]
    assert company["sections"][0]["title"] == "RP-002 燃气锅炉房（重大风险·红）"
    assert company["sections"][0]["items"][0]["rectification_days"] == 3
    assert "photo_required" not in company["sections"][0]["items"][0]  # training: proven by records
    audit = (await api.client.get("/api/v1/audit", params={"entity": "enterprise"}, headers=admin)).json()
    entries = audit["items"] if isinstance(audit, dict) else audit
    assert any(e["action"] == "check_list.generate" and e["entity_id"] == firm["id"] for e in entries)


async def test_versions_follow_the_register(api: Api, admin, firm):
    point = await add_point(api, admin, firm["id"], polishing())
    await generate(api, admin, firm["id"])
    again = await generate(api, admin, firm["id"])
    assert again["published"] == [] and again["retired"] == [] and len(again["unchanged"]) == 3  # idempotent
    team = checklist_id_for(firm["id"], "team", "daily")

    # A control's text changed and one added at the same level: minor; the old version is retired, not gone.
    controls = [{**{k: v for k, v in c.items() if k in ("code", "kind", "level", "responsible_post", "responsible_person", "frequency")}, "text": c["text"]}
                for c in point["controls"]]
    controls[0]["text"] = "除尘系统采用湿式除尘，设置锁气卸灰装置并每班检查"
    controls.append(control("management", "班前检查除尘器压差", "team"))
    update = polishing(controls=controls, expected_version=1, reason="增加班前检查")
    r = await api.client.put(f"/api/v1/risk-points/{point['id']}", json=update, headers=admin)
    assert r.status_code == 200, r.text
    out = await generate(api, admin, firm["id"])
    assert [(g["checklist_id"], g["version"], g["change"]) for g in out["published"]] == [(team, "1.1.0", "minor")]
    listed = {c["checklist_id"]: c for c in (await api.client.get("/api/v1/checklists/", headers=admin)).json()}
    assert [(v["version"], v["active"]) for v in listed[team]["versions"]] == [("1.1.0", True), ("1.0.0", False)]
    assert (await content(api, admin, team, "1.0.0"))["checklist"]["sections"][0]["items"][0]["text"].endswith("锁气卸灰装置")

    # A control removed: major.
    update = polishing(controls=controls[:2] + controls[3:], expected_version=2, reason="合并措施")
    assert (await api.client.put(f"/api/v1/risk-points/{point['id']}", json=update, headers=admin)).status_code == 200
    out = await generate(api, admin, firm["id"])
    assert [(g["checklist_id"], g["version"], g["change"]) for g in out["published"]] == [(team, "2.0.0", "major")]
    post_daily = checklist_id_for(firm["id"], "post", "daily")
    assert [(g["checklist_id"], g["change"]) for g in out["retired"]] == [(post_daily, "retired")]  # its only control left

    # The point retired: every list retired, nothing active; generating again retires nothing more.
    r = await api.client.post(f"/api/v1/risk-points/{point['id']}/retire", json={"expected_version": 3, "reason": "抛光线拆除"}, headers=admin)
    assert r.status_code == 200, r.text
    out = await generate(api, admin, firm["id"])
    assert sorted(g["checklist_id"] for g in out["retired"]) == sorted([team, checklist_id_for(firm["id"], "post", "per_shift")])
    assert (await api.client.get(f"/api/v1/enterprises/{firm['id']}/check-lists", headers=admin)).json() == []
    empty = await generate(api, admin, firm["id"], expect=400)
    assert empty["field"] == "risk_register"


async def test_an_empty_register_is_a_400_naming_it_in_chinese(api: Api, admin, firm):
    body = await generate(api, admin, firm["id"], expect=400)
    assert body["field"] == "risk_register" and "风险清单" in body["message_zh"]


async def test_out_of_scope_is_404_and_read_only_roles_403(api: Api, admin, firm):
    await add_point(api, admin, firm["id"], polishing())
    elsewhere = await api.as_new("department_admin", region_code="510603", industries=["industrial_trade"])
    assert (await api.client.post(f"/api/v1/enterprises/{firm['id']}/check-lists/generate", headers=elsewhere)).status_code == 404
    other_firm = await api.enterprise(admin, name="旌阳区某建材有限公司", industries=["industrial_trade"])
    stranger = await api.as_new("enterprise_user", enterprise_id=other_firm["id"])
    assert (await api.client.post(f"/api/v1/enterprises/{firm['id']}/check-lists/generate", headers=stranger)).status_code == 404
    inspector = await api.as_new("inspector", region_code="510681", industries=["industrial_trade"])
    assert (await api.client.post(f"/api/v1/enterprises/{firm['id']}/check-lists/generate", headers=inspector)).status_code == 403
    own = await api.as_new("enterprise_user", enterprise_id=firm["id"])
    assert len((await generate(api, own, firm["id"]))["published"]) == 3


async def test_only_those_who_see_the_enterprise_list_read_or_carry_its_lists(api: Api, admin, firm):
    await add_point(api, admin, firm["id"], polishing())
    await generate(api, admin, firm["id"])
    team = checklist_id_for(firm["id"], "team", "daily")
    other_firm = await api.enterprise(admin, name="旌阳区某建材有限公司", region_code="510603", industries=["industrial_trade"])
    own = await api.as_new("enterprise_user", enterprise_id=firm["id"])
    inspector = await api.as_new("inspector", region_code="510681", industries=["hazchem"])  # sees the firm by its other industry
    out_of_scope = {
        "other enterprise's user": await api.as_new("enterprise_user", enterprise_id=other_firm["id"]),
        "other region": await api.as_new("inspector", region_code="510603", industries=["industrial_trade"]),
        "other industry": await api.as_new("department_admin", region_code="510681", industries=["coal"]),
    }
    for headers in (own, inspector, admin):
        assert team in {c["checklist_id"] for c in (await api.client.get("/api/v1/checklists/", headers=headers)).json()}
        assert (await api.client.get(f"/api/v1/checklists/{team}/versions/1.0.0", headers=headers)).status_code == 200
        bundle = (await api.client.get("/api/v1/checklists/bundle", headers=headers)).json()
        assert team in {e["checklist_id"] for e in bundle["checklists"]}
    for who, headers in out_of_scope.items():
        listed = (await api.client.get("/api/v1/checklists/", headers=headers)).json()
        assert not any(c["checklist_id"].startswith("self_check.") for c in listed), who
        assert (await api.client.get(f"/api/v1/checklists/{team}/versions/1.0.0", headers=headers)).status_code == 404, who
        bundle = (await api.client.get("/api/v1/checklists/bundle", headers=headers)).json()
        assert not any(e["checklist_id"].startswith("self_check.") for e in bundle["checklists"]), who
        assert (await api.client.get(f"/api/v1/enterprises/{firm['id']}/check-lists", headers=headers)).status_code == 404, who


async def test_nobody_else_publishes_under_register_ids_and_the_register_under_no_other(api: Api, admin, firm):
    await add_point(api, admin, firm["id"], polishing())
    await generate(api, admin, firm["id"])
    team = checklist_id_for(firm["id"], "team", "daily")
    taken = (await content(api, admin, team, "1.0.0"))["checklist"]
    taken["version"] = "9.0.0"
    r = await api.client.post("/api/v1/checklists/", json=taken, headers=admin)
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (409, "checklist_owned", "id")
    fresh = {**copy.deepcopy(taken), "id": "self_check.eabc.post_daily", "applies_to": {}}
    assert (await api.client.post("/api/v1/checklists/", json=fresh, headers=admin)).json()["code"] == "checklist_owned"
    named = {**copy.deepcopy(taken), "id": "industrial_trade.dust", "version": "1.0.0"}
    r = await api.client.post("/api/v1/checklists/", json=named, headers=admin)
    assert (r.status_code, r.json()["field"]) == (400, "applies_to.enterprises")
    r = await api.client.post(f"/api/v1/checklists/{team}/versions/1.0.0/retire", headers=admin)
    assert (r.status_code, r.json()["code"]) == (409, "checklist_owned")
    stray = msgspec.convert({**named, "applies_to": {"enterprises": [firm["id"]]}}, Checklist)
    with pytest.raises(Conflict):
        await publish_version(api.direct, stray, actor=SYSTEM, source="register", owner_enterprise_id=firm["id"])
    stolen = msgspec.convert({**taken, "version": "9.0.0", "applies_to": {"enterprises": [other := str(uuid.uuid4())]}}, Checklist)
    with pytest.raises(Conflict):  # another owner under this enterprise's id
        await publish_version(api.direct, stolen, actor=SYSTEM, source="register", owner_enterprise_id=other)
    row_content = from_canonical(msgspec.json.encode((await content(api, admin, team, "1.0.0"))["checklist"]))
    assert content_hash(row_content) == (await content(api, admin, team, "1.0.0"))["content_hash"]


async def test_an_owned_list_scores_only_its_own_enterprise(api: Api, admin, firm):
    """checklist.score by reference: another enterprise's generated list is answered as unpublished."""
    await add_point(api, admin, firm["id"], polishing())
    listed = (await generate(api, admin, firm["id"]))["published"][0]
    other = await api.enterprise(admin, name="另一家抛光厂")
    body = {"checklist_id": listed["checklist_id"], "checklist_version": listed["version"], "answers": {}}
    theirs = await api.client.post("/api/v1/evaluations", json={"enterprise_id": other["id"], "evaluator": "checklist.score", "input": body}, headers=admin)
    assert theirs.status_code == 400, theirs.text
    assert (theirs.json()["code"], theirs.json()["field"]) == ("unknown_checklist_version", "input.checklist_version")
    own = await api.client.post("/api/v1/evaluations", json={"enterprise_id": firm["id"], "evaluator": "checklist.score", "input": body}, headers=admin)
    assert own.status_code != 400 or own.json().get("code") != "unknown_checklist_version", own.text


async def test_the_hourly_job_regenerates_only_registers_changed_since_their_last_generation(api: Api, admin, firm):
    from checklists.refresh_job import refresh_check_lists, stale_registers

    idle = await api.enterprise(admin, name="尚无管控措施的企业")
    await add_point(api, admin, idle["id"], {**polishing(), "controls": []})
    point = await add_point(api, admin, firm["id"], polishing())
    assert await stale_registers(api.direct) == sorted([firm["id"], idle["id"]])
    first = await refresh_check_lists(api.direct, api.direct.clock.now())
    assert (first["registers"], first["lists_published"], first["without_controls"]) == (2, 3, 1)  # polishing's three level × frequency pairs
    assert await stale_registers(api.direct) == [idle["id"]]  # a register without controls stays as it is
    again = await refresh_check_lists(api.direct, api.direct.clock.now())
    assert (again["lists_published"], again["lists_retired"]) == (0, 0)
    api.ctx.clock.advance(seconds=60)
    retired = await api.client.post(f"/api/v1/risk-points/{point['id']}/retire", json={"expected_version": 1, "reason": "抛光线拆除"}, headers=admin)
    assert retired.status_code == 200, retired.text
    assert firm["id"] in await stale_registers(api.direct)
    after = await refresh_check_lists(api.direct, api.direct.clock.now())
    assert (after["lists_published"], after["lists_retired"]) == (0, 3)
    listed = (await api.client.get(f"/api/v1/enterprises/{firm['id']}/check-lists", headers=admin)).json()
    assert listed == [] or all(item.get("retired_at") for item in listed)
