"""No endpoint answers 5xx to malformed JSON, wrong types, oversized bodies or unknown fields."""

import pytest

from tests.conftest import make_settings

WRITES = [
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/enterprises"),
    ("patch", "/api/v1/enterprises/00000000-0000-0000-0000-000000000000"),
    ("post", "/api/v1/users"),
    ("post", "/api/v1/regions/grids"),
    ("post", "/api/v1/devices/00000000-0000-0000-0000-000000000000/revoke"),
]
BODIES = [
    b"{not json",
    b"[]",
    b'"a string"',
    b'{"name": 12, "uscc": [], "region_code": null}',
    b'{"username": "x", "password": "y", "unexpected": true}',
    "{\"name\": \"\\ud800\"}".encode(),
    b"\xff\xfe\x00garbage",
]


@pytest.mark.parametrize("method,path", WRITES)
async def test_malformed_bodies_are_4xx_with_a_json_error(api, admin, method, path):
    for body in BODIES:
        response = await getattr(api.client, method)(path, content=body, headers={**admin, "content-type": "application/json"})
        assert 400 <= response.status_code < 500, (path, body, response.status_code, response.text)
        assert "code" in response.json() and "message" in response.json()


async def test_unknown_field_is_named(api, admin):
    response = await api.client.post(
        "/api/v1/enterprises",
        json={"name": "x", "uscc": "x", "region_code": "510681", "industries": ["fire"], "scale": "small_micro", "colour": "red"},
        headers=admin,
    )
    assert response.status_code == 400
    assert response.json()["field"] == "colour"


async def test_wrong_type_names_the_nested_path(api, admin):
    response = await api.client.post(
        "/api/v1/enterprises",
        json={"name": "x", "uscc": "x", "region_code": "510681", "industries": ["fire", 3], "scale": "small_micro"},
        headers=admin,
    )
    assert response.status_code == 400
    assert response.json()["field"] == "industries[1]"
    assert "industries[1]" in response.json()["message_zh"]


async def test_bad_query_parameters_are_400(api, admin):
    for query in ["page=0", "page_size=100000", "page=abc", "region_code=12", "industry=mining", "risk_level=purple"]:
        response = await api.client.get(f"/api/v1/enterprises?{query}", headers=admin)
        assert response.status_code == 400, query


async def test_oversized_body_is_413(tmp_path, db_url, clock):
    from litestar.testing import AsyncTestClient

    from server import create_app

    app = create_app(make_settings(db_url, str(tmp_path / "d"), max_body_bytes=2048), clock=clock)
    async with AsyncTestClient(app=app) as client:
        response = await client.post("/api/v1/auth/login", content=b'{"username": "' + b"a" * 10_000 + b'"}', headers={"content-type": "application/json"})
        assert response.status_code == 413
        assert response.json()["code"] == "http_413"
