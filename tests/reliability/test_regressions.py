"""Bugs the reliability tests found, pinned by a plain example each."""

from __future__ import annotations

from tests.conftest import Api, valid_uscc


async def test_patching_a_user_into_an_unknown_region_is_a_400_not_a_500(api: Api, admin: dict[str, str]) -> None:
    user_id = await api.user("someone", "viewer", region_code="510681")
    response = await api.client.patch(f"/api/v1/users/{user_id}", json={"region_code": "249970", "role": "enterprise_user"}, headers=admin)
    assert response.status_code == 400, response.text
    assert response.json()["field"] == "region_code"
    unchanged = (await api.client.get(f"/api/v1/users/{user_id}", headers=admin)).json()
    assert (unchanged["role"], unchanged["region_code"]) == ("viewer", "510681")


async def test_the_openapi_document_describes_the_error_body(api: Api) -> None:
    document = (await api.client.get("/schema/openapi.json")).json()
    assert document["components"]["schemas"]["ErrorBody"]["required"] == ["code", "message"]
    responses = document["paths"]["/api/v1/enterprises"]["post"]["responses"]
    assert responses["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
    assert responses["default"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
    bundle = document["paths"]["/api/v1/checklists/bundle"]["get"]["responses"]
    assert bundle["200"]["content"]["application/json"]["schema"]["$ref"].endswith("Bundle")
    assert "304" in bundle


async def test_a_province_wide_draw_shows_a_county_only_its_own_enterprises(api: Api, admin: dict[str, str]) -> None:
    inside = await api.enterprise(admin, region_code="510681", industries=["hazchem"], uscc=valid_uscc("510681"))
    outside = await api.enterprise(admin, name="外区化工有限公司", region_code="510104", industries=["hazchem"], uscc=valid_uscc("510104"))
    await api.user("county_inspector", "inspector", region_code="510681", industries=["hazchem"])
    body = {"title": "全省抽查", "region_code": "510000", "industries": ["hazchem"], "enterprise_count": 2, "inspectors_per_enterprise": 1,
            "due_from": "2026-05-01", "due_until": "2026-05-31", "seed": "s"}
    draw = (await api.client.post("/api/v1/random-draws", json=body, headers=admin)).json()
    assert set(draw["candidates"]) == {inside["id"], outside["id"]}
    county = await api.login("county_inspector")
    for path in ("/api/v1/random-draws", f"/api/v1/random-draws/{draw['id']}", f"/api/v1/random-draws/{draw['id']}/verify"):
        response = await api.client.get(path, headers=county)
        assert response.status_code == 200, response.text
        assert outside["id"] not in response.text, path
        assert inside["id"] in response.text, path
    verified = (await api.client.get(f"/api/v1/random-draws/{draw['id']}/verify", headers=county)).json()
    assert verified["reproduced"] is True


async def test_a_hazard_report_for_an_impossible_year_is_a_400_not_a_500(api: Api, admin: dict[str, str]) -> None:
    response = await api.client.get("/api/v1/reports/hazards", params={"by": "industry", "year": -190}, headers=admin)
    assert response.status_code == 400, response.text
    assert (await api.client.get("/api/v1/reports/hazards", params={"year": 2026}, headers=admin)).status_code == 200


async def test_a_huge_list_offset_in_sync_review_is_a_400_not_a_500(api: Api, admin: dict[str, str]) -> None:
    for path in ("/api/v1/sync/conflicts", "/api/v1/sync/quarantine"):
        response = await api.client.get(path, params={"offset": 204403467565240614912, "limit": 275}, headers=admin)
        assert response.status_code == 400, (path, response.text)
        assert (await api.client.get(path, params={"offset": 0, "limit": 10}, headers=admin)).status_code == 200


async def test_the_openapi_document_describes_the_sync_bodies(api: Api) -> None:
    paths = (await api.client.get("/schema/openapi.json")).json()["paths"]
    for path, method, schema in (("/api/v1/sync/push", "post", "PushOut"), ("/api/v1/sync/pull", "get", "PullOut"),
                                 ("/api/v1/attachments/{sha256}", "put", "AttachmentStatus"), ("/api/v1/sync/conflicts", "get", "ConflictPage")):
        documented = paths[path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        assert documented.get("$ref", "").endswith(schema), (path, documented)


async def test_an_out_of_scope_assignment_id_answers_like_an_unknown_one(api: Api) -> None:
    """Naming another jurisdiction's assignment must not reveal that it exists (was a 400)."""
    import uuid

    from tests.reliability.world import build_world

    world = await build_world(api)
    inspector = world.headers["inspector"]
    body = {"enterprise_id": world.inside.enterprise["id"], "inspected_at": "2026-03-02T10:00:00+08:00"}
    foreign = await api.client.post("/api/v1/inspections", json={**body, "assignment_id": world.outside.assignment_id}, headers=inspector)
    unknown = await api.client.post("/api/v1/inspections", json={**body, "assignment_id": str(uuid.uuid4())}, headers=inspector)
    assert foreign.status_code == unknown.status_code == 404, (foreign.text, unknown.text)
    assert foreign.json() == unknown.json()
