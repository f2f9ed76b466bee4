"""Publishing a checklist: a body nested too deep (JSON, TOML) is 400 ``too_deep``, a NUL
character (U+0000) is 400 ``nul_character`` naming the field; both were 500 (NUL on PostgreSQL)."""

from __future__ import annotations

import msgspec

from tests.checklists.conftest import minimal_definition


async def _publish(any_api, headers, body: bytes, content_type: str):  # type: ignore[no-untyped-def]
    return await any_api.client.post("/api/v1/checklists", content=body, headers={**headers, "Content-Type": content_type})


async def test_deep_checklist_bodies_are_too_deep(any_api, any_admin) -> None:  # type: ignore[no-untyped-def]
    deep_json = b'{"id": "x", "sections": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    response = await _publish(any_api, any_admin, deep_json, "application/json")
    assert (response.status_code, response.json()["code"]) == (400, "too_deep"), response.text
    deep_toml = b"id = 'x'\nsections = " + b"[" * 3000 + b"]" * 3000 + b"\n"
    response = await _publish(any_api, any_admin, deep_toml, "application/toml")
    assert (response.status_code, response.json()["code"]) == (400, "too_deep"), response.text


async def test_a_nul_in_a_checklist_is_refused_by_field(any_api, any_admin) -> None:  # type: ignore[no-untyped-def]
    definition = minimal_definition()
    definition["sections"][0]["items"][1]["text"] = "回风巷\x00甲烷浓度"
    response = await _publish(any_api, any_admin, msgspec.json.encode(definition), "application/json")
    assert response.status_code == 400, response.text
    assert (response.json()["code"], response.json()["field"]) == ("nul_character", "sections[0].items[1].text")
    response = await _publish(any_api, any_admin, msgspec.json.encode(minimal_definition()), "application/json")
    assert response.status_code == 201, response.text
