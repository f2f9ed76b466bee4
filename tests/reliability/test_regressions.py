"""Bugs the reliability tests found, pinned by a plain example each."""

from __future__ import annotations

from tests.conftest import Api


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
