"""NUL characters (U+0000) are refused at the edge: 400 ``nul_character`` naming the field.

PostgreSQL cannot hold U+0000 in text (nor in jsonb): every such value was a 500 there, on
login, search, enterprise and hazard creation. SQLite would have stored it; both answer alike."""

from __future__ import annotations

from typing import Any

from core.http.nul import bracket_path, escape_nul, find_nul
from tests.conftest import valid_uscc


def _refused(response: Any, field: str) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "nul_character", body
    assert body["field"] == field
    assert "U+0000" in body["message"] and field in body["message_zh"]


def test_find_nul_names_keys_and_strings_by_path() -> None:
    assert find_nul({"a": [1, "x", {"b": "ok"}]}) is None
    assert bracket_path(find_nul({"a": [1, "x", {"b": "o\x00k"}]})) == "a[2].b"  # type: ignore[arg-type]
    assert bracket_path(find_nul({"ok": 1, "k\x00y": 2})) == "k\\u0000y"  # type: ignore[arg-type]
    assert find_nul(["\\u0000 is six characters, not a NUL"]) is None
    assert escape_nul("a\x00b") == "a\\u0000b"


async def test_login_with_a_nul_is_refused(any_api) -> None:  # type: ignore[no-untyped-def]
    await any_api.user("root", "admin")
    response = await any_api.client.post("/api/v1/auth/login", json={"username": "ro\x00ot", "password": "x"})
    _refused(response, "username")


async def test_enterprise_and_hazard_creation_with_a_nul_are_refused(any_api, any_admin) -> None:  # type: ignore[no-untyped-def]
    data = {"name": "广汉市\x00化工", "uscc": valid_uscc(), "region_code": "510681", "industries": ["hazchem"], "scale": "small_micro"}
    _refused(await any_api.client.post("/api/v1/enterprises", json=data, headers=any_admin), "name")
    data = {**data, "name": "广汉市化工", "industries": ["hazchem", "fire\x00"]}
    _refused(await any_api.client.post("/api/v1/enterprises", json=data, headers=any_admin), "industries[1]")
    enterprise = await any_api.enterprise(any_admin)
    hazard = {"enterprise_id": enterprise["id"], "level": "general", "description": "消防通道\x00堵塞"}
    _refused(await any_api.client.post("/api/v1/hazards", json=hazard, headers=any_admin), "description")
    hazard["description"] = "消防通道堵塞，文字 \\u0000 只是六个字符"
    response = await any_api.client.post("/api/v1/hazards", json=hazard, headers=any_admin)
    assert response.status_code == 201, response.text
    assert response.json()["description"] == hazard["description"]


async def test_a_nul_in_a_query_or_path_parameter_is_refused(any_api, any_admin) -> None:  # type: ignore[no-untyped-def]
    _refused(await any_api.client.get("/api/v1/enterprises?q=%E5%B9%BF%00%E6%B1%89", headers=any_admin), "q")
    _refused(await any_api.client.get("/api/v1/enterprises/abc%00def", headers=any_admin), "enterprise_id")
    _refused(await any_api.client.get("/api/v1/hazards?page=1&enterprise_id=%00", headers=any_admin), "enterprise_id")
    # The same routes still answer ordinary requests.
    assert (await any_api.client.get("/api/v1/enterprises?q=%E5%B9%BF%E6%B1%89", headers=any_admin)).status_code == 200
