"""The facts the dual-prevention work reads from an enterprise file: 工贸 sectors (only for a 工贸
enterprise), 生产类/仓储类, the safety office and staff, and the liaison (联络员: an active inspector
whose scope covers the enterprise). Written, read, listed and audited like every other field, on
SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, valid_uscc

FACTS = {
    "production_kind": "storage", "sectors": ["machinery", "light_industry"], "safety_office": True,
    "safety_staff_full_time": 2, "safety_staff_part_time": 5,
}
TRADE = {"industries": ["industrial_trade"]}


async def _update_audited(api: Api, admin: dict[str, str], enterprise_id: str) -> dict[str, Any]:
    entries = (await api.client.get("/api/v1/audit", params={"entity": "enterprise", "page_size": 500}, headers=admin)).json()
    items = entries["items"] if isinstance(entries, dict) else entries
    [entry] = [e for e in items if e["entity_id"] == enterprise_id and e["action"] == "enterprise_updated"]
    return entry


async def test_every_fact_is_created_patched_listed_and_audited(any_api: Api, any_admin: dict[str, str]) -> None:
    api, admin = any_api, any_admin
    liaison = await api.user("liaison_gh", "inspector", region_code="510681", industries=["industrial_trade"])
    created = await api.enterprise(admin, name="广汉市金轮机械制造有限公司", **TRADE, **FACTS, liaison_user_id=liaison)
    assert {k: created[k] for k in FACTS} == {**FACTS, "sectors": ["light_industry", "machinery"]}
    assert created["liaison_user_id"] == liaison
    other = await api.enterprise(admin, name="广汉市雒城食品有限公司", **TRADE, sectors=["light_industry"])
    await api.enterprise(admin, name="广汉市化工企业")  # hazchem: no sectors, no facts
    assert (other["production_kind"], other["safety_office"], other["safety_staff_full_time"], other["liaison_user_id"]) == (None, None, None, None)

    def names(listing: dict[str, Any]) -> list[str]:
        return [e["name"] for e in listing["items"]]

    machinery = (await api.client.get("/api/v1/enterprises", params={"sector": "machinery"}, headers=admin)).json()
    assert names(machinery) == ["广汉市金轮机械制造有限公司"] and machinery["total"] == 1
    light = (await api.client.get("/api/v1/enterprises", params={"sector": "light_industry"}, headers=admin)).json()
    assert sorted(names(light)) == ["广汉市金轮机械制造有限公司", "广汉市雒城食品有限公司"]
    followed = (await api.client.get("/api/v1/enterprises", params={"liaison_user_id": liaison}, headers=admin)).json()
    assert names(followed) == ["广汉市金轮机械制造有限公司"]

    changed = await api.client.patch(
        f"/api/v1/enterprises/{created['id']}",
        json={"production_kind": "production", "sectors": ["textile"], "safety_office": False, "safety_staff_full_time": 0,
              "safety_staff_part_time": None, "liaison_user_id": None, "expected_version": 1},
        headers=admin,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    after = {k: body[k] for k in (*FACTS, "liaison_user_id")}
    assert after == {"production_kind": "production", "sectors": ["textile"], "safety_office": False, "safety_staff_full_time": 0,
                     "safety_staff_part_time": None, "liaison_user_id": None}
    assert (await api.client.get(f"/api/v1/enterprises/{created['id']}", headers=admin)).json() == body
    audit = await _update_audited(api, admin, created["id"])
    assert {k: audit["before"][k] for k in ("sectors", "safety_office", "liaison_user_id")} == {"sectors": ["light_industry", "machinery"], "safety_office": True, "liaison_user_id": liaison}
    assert {k: audit["after"][k] for k in after} == after
    assert (await api.client.get("/api/v1/enterprises", params={"sector": "machinery"}, headers=admin)).json()["total"] == 0


async def test_sectors_need_the_industrial_trade_industry(api: Api, admin: dict[str, str]) -> None:
    refused = await api.client.post(
        "/api/v1/enterprises",
        json={"name": "化工企业", "uscc": valid_uscc(), "region_code": "510681", "industries": ["hazchem"], "scale": "small_micro", "sectors": ["machinery"]},
        headers=admin,
    )
    assert refused.status_code == 400 and refused.json()["field"] == "sectors"
    assert "工贸" in refused.json()["message_zh"]
    trade = await api.enterprise(admin, industries=["industrial_trade", "fire"], sectors=["commerce"])
    # leaving 工贸 while keeping its sectors is refused; leaving it with them cleared is not
    kept = await api.client.patch(f"/api/v1/enterprises/{trade['id']}", json={"industries": ["fire"]}, headers=admin)
    assert kept.status_code == 400 and kept.json()["field"] == "sectors"
    cleared = await api.client.patch(f"/api/v1/enterprises/{trade['id']}", json={"industries": ["fire"], "sectors": []}, headers=admin)
    assert cleared.status_code == 200 and cleared.json()["sectors"] == []


@pytest.mark.parametrize("body,field", [
    ({"sectors": ["mining"]}, "sectors[0]"),
    ({"sectors": ["machinery", "steel"]}, "sectors[1]"),
    ({"production_kind": "factory"}, "production_kind"),
    ({"safety_staff_full_time": -1}, "safety_staff_full_time"),
    ({"safety_staff_part_time": 10001}, "safety_staff_part_time"),
    ({"safety_office": "有"}, "safety_office"),
])
async def test_a_malformed_fact_is_refused_naming_its_field(api: Api, admin: dict[str, str], body: dict[str, Any], field: str) -> None:
    enterprise = await api.enterprise(admin, **TRADE)
    response = await api.client.patch(f"/api/v1/enterprises/{enterprise['id']}", json=body, headers=admin)
    assert response.status_code == 400 and response.json()["field"] == field, response.text


async def test_the_liaison_is_an_active_inspector_whose_scope_covers_the_enterprise(api: Api, admin: dict[str, str]) -> None:
    enterprise = await api.enterprise(admin, **TRADE)
    in_scope = await api.user("insp_gh", "inspector", region_code="510681", industries=["industrial_trade"])
    refusals = {
        "unknown": "00000000-0000-4000-8000-000000000000",
        "not an inspector": await api.user("eval_gh", "evaluator", region_code="510681"),
        "other county": await api.user("insp_jy", "inspector", region_code="510603", industries=["industrial_trade"]),
        "other industry": await api.user("insp_hc", "inspector", region_code="510681", industries=["hazchem"]),
    }
    for why, user_id in refusals.items():
        response = await api.client.patch(f"/api/v1/enterprises/{enterprise['id']}", json={"liaison_user_id": user_id}, headers=admin)
        assert response.status_code == 400 and response.json()["field"] == "liaison_user_id", (why, response.text)
        assert response.json()["message_zh"].startswith("联络员：")
    created = await api.client.post(
        "/api/v1/enterprises",
        json={"name": "新工贸企业", "uscc": valid_uscc(), "region_code": "510681", "scale": "small_micro", **TRADE,
              "liaison_user_id": refusals["other county"]},
        headers=admin,
    )
    assert created.status_code == 400 and created.json()["field"] == "liaison_user_id"
    ok = await api.client.patch(f"/api/v1/enterprises/{enterprise['id']}", json={"liaison_user_id": in_scope}, headers=admin)
    assert ok.status_code == 200 and ok.json()["liaison_user_id"] == in_scope
    # moving the enterprise out of its liaison's county is refused until another liaison is named
    moved = await api.client.patch(f"/api/v1/enterprises/{enterprise['id']}", json={"region_code": "510603"}, headers=admin)
    assert moved.status_code == 400 and moved.json()["field"] == "liaison_user_id"
    both = await api.client.patch(f"/api/v1/enterprises/{enterprise['id']}", json={"region_code": "510603", "liaison_user_id": refusals["other county"]}, headers=admin)
    assert both.status_code == 200, both.text


async def test_a_deactivated_inspector_cannot_become_the_liaison(api: Api, admin: dict[str, str]) -> None:
    enterprise = await api.enterprise(admin, **TRADE)
    user_id = await api.user("insp_gone", "inspector", region_code="510681")
    assert (await api.client.patch(f"/api/v1/users/{user_id}", json={"active": False}, headers=admin)).status_code == 200
    response = await api.client.patch(f"/api/v1/enterprises/{enterprise['id']}", json={"liaison_user_id": user_id}, headers=admin)
    assert response.status_code == 400 and response.json()["field"] == "liaison_user_id" and "已停用" in response.json()["message_zh"]


async def test_only_writers_name_a_liaison_and_a_department_only_in_its_scope(api: Api, admin: dict[str, str]) -> None:
    inside = await api.enterprise(admin, **TRADE)
    outside = await api.enterprise(admin, region_code="510603", **TRADE)
    liaison = await api.user("insp_all", "inspector", region_code="510600")
    dept = await api.as_new("department_admin", region_code="510681", industries=["industrial_trade"])
    inspector = await api.as_new("inspector", region_code="510681", industries=["industrial_trade"])
    body = {"liaison_user_id": liaison}
    assert (await api.client.patch(f"/api/v1/enterprises/{inside['id']}", json=body, headers=inspector)).status_code == 403
    assert (await api.client.patch(f"/api/v1/enterprises/{outside['id']}", json=body, headers=dept)).status_code == 404
    assert (await api.client.patch(f"/api/v1/enterprises/{inside['id']}", json=body, headers=dept)).status_code == 200
