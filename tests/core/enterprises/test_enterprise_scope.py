"""Every role × in-scope / out-of-scope for enterprise reads and writes.

Out-of-scope records answer 404 (their existence is not leaked, nor counted); actions a role may not
take answer 403.
"""

import pytest

from tests.conftest import valid_uscc

ROLES_READ = ["admin", "department_admin", "inspector", "evaluator", "viewer", "enterprise_user"]


@pytest.fixture
async def world(api, admin):
    """Two enterprises: hazchem in 广汉市 (510681) and construction in 旌阳区 (510603)."""
    inside = await api.enterprise(admin, name="广汉市甲化工有限公司", region_code="510681", industries=["hazchem"])
    outside = await api.enterprise(admin, name="旌阳区乙建筑工程有限公司", region_code="510603", industries=["construction"])
    return inside, outside


async def _headers_for(api, role, inside):
    if role == "admin":
        return await api.as_new("admin")
    if role == "enterprise_user":
        return await api.as_new("enterprise_user", enterprise_id=inside["id"])
    return await api.as_new(role, region_code="510681", industries=["hazchem"])


@pytest.mark.parametrize("role", ROLES_READ)
async def test_each_role_reads_in_scope_and_gets_404_out_of_scope(api, world, role):
    inside, outside = world
    headers = await _headers_for(api, role, inside)
    assert (await api.client.get(f"/api/v1/enterprises/{inside['id']}", headers=headers)).status_code == 200
    expected_outside = 200 if role == "admin" else 404
    response = await api.client.get(f"/api/v1/enterprises/{outside['id']}", headers=headers)
    assert response.status_code == expected_outside
    listing = (await api.client.get("/api/v1/enterprises", headers=headers)).json()
    ids = {e["id"] for e in listing["items"]}
    assert inside["id"] in ids
    assert (outside["id"] in ids) == (role == "admin")
    assert listing["total"] == len(ids)


@pytest.mark.parametrize("role,expected_in,expected_out", [
    ("admin", 200, 200),
    ("department_admin", 200, 404),
    ("inspector", 403, 403),
    ("evaluator", 403, 403),
    ("viewer", 403, 403),
    ("enterprise_user", 403, 403),
])
async def test_each_role_writes_only_where_allowed(api, world, role, expected_in, expected_out):
    inside, outside = world
    headers = await _headers_for(api, role, inside)
    r_in = await api.client.patch(f"/api/v1/enterprises/{inside['id']}", json={"safety_manager": "李四"}, headers=headers)
    r_out = await api.client.patch(f"/api/v1/enterprises/{outside['id']}", json={"safety_manager": "李四"}, headers=headers)
    assert (r_in.status_code, r_out.status_code) == (expected_in, expected_out)


async def test_department_admin_cannot_create_or_move_a_record_out_of_scope(api, world):
    inside, _ = world
    headers = await api.as_new("department_admin", region_code="510681", industries=["hazchem"])
    base = {"name": "新企业", "uscc": valid_uscc(), "scale": "small_micro"}
    other_region = await api.client.post("/api/v1/enterprises", json={**base, "region_code": "510603", "industries": ["hazchem"]}, headers=headers)
    assert other_region.status_code == 403
    other_industry = await api.client.post("/api/v1/enterprises", json={**base, "region_code": "510681", "industries": ["coal"]}, headers=headers)
    assert other_industry.status_code == 403
    moved = await api.client.patch(f"/api/v1/enterprises/{inside['id']}", json={"region_code": "510603"}, headers=headers)
    assert moved.status_code == 403
    assert (await api.client.get(f"/api/v1/enterprises/{inside['id']}", headers=headers)).json()["region_code"] == "510681"
    ok = await api.client.post("/api/v1/enterprises", json={**base, "region_code": "510681", "industries": ["hazchem"]}, headers=headers)
    assert ok.status_code == 201


async def test_city_level_scope_covers_its_counties(api, world):
    inside, outside = world
    headers = await api.as_new("viewer", region_code="510600")
    listing = (await api.client.get("/api/v1/enterprises", headers=headers)).json()
    assert {e["id"] for e in listing["items"]} == {inside["id"], outside["id"]}


async def test_filters_and_pagination(api, admin):
    for i in range(5):
        await api.enterprise(admin, name=f"分页测试{i}号化工有限公司", risk_level="high" if i % 2 else "low")
    await api.enterprise(admin, name="消防单位", industries=["fire"], risk_level="high")
    page = (await api.client.get("/api/v1/enterprises?industry=hazchem&page_size=2&page=2", headers=admin)).json()
    assert page["total"] == 5 and len(page["items"]) == 2
    high = (await api.client.get("/api/v1/enterprises?risk_level=high", headers=admin)).json()
    assert high["total"] == 3
    text = (await api.client.get("/api/v1/enterprises", params={"q": "分页测试3"}, headers=admin)).json()
    assert [e["name"] for e in text["items"]] == ["分页测试3号化工有限公司"]


async def test_stale_edit_is_refused_with_the_current_version(api, admin):
    enterprise = await api.enterprise(admin)
    first = await api.client.patch(f"/api/v1/enterprises/{enterprise['id']}", json={"address": "一号", "expected_version": 1}, headers=admin)
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = await api.client.patch(f"/api/v1/enterprises/{enterprise['id']}", json={"address": "二号", "expected_version": 1}, headers=admin)
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2


async def test_duplicate_uscc_is_a_conflict_naming_the_field(api, admin):
    enterprise = await api.enterprise(admin)
    response = await api.client.post(
        "/api/v1/enterprises",
        json={"name": "重复", "uscc": enterprise["uscc"], "region_code": "510681", "industries": ["fire"], "scale": "small_micro"},
        headers=admin,
    )
    assert response.status_code == 409
    assert response.json()["field"] == "uscc"


async def test_failed_check_needs_an_admin_and_a_reason(api, admin):
    code = valid_uscc()
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    body = {"name": "早期试点企业", "uscc": bad, "region_code": "510681", "industries": ["hazchem"], "scale": "small_micro"}
    refused = await api.client.post("/api/v1/enterprises", json=body, headers=admin)
    assert refused.status_code == 400 and refused.json()["field"] == "uscc"
    dept = await api.as_new("department_admin", region_code="510681", industries=["hazchem"])
    forbidden = await api.client.post("/api/v1/enterprises", json={**body, "uscc_override_reason": "福建早期试点代码"}, headers=dept)
    assert forbidden.status_code == 403
    accepted = await api.client.post("/api/v1/enterprises", json={**body, "uscc_override_reason": "福建早期试点代码"}, headers=admin)
    assert accepted.status_code == 201
    assert accepted.json()["uscc_override_reason"] == "福建早期试点代码"
