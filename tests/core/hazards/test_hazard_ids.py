"""Client-chosen hazard ids: canonical in any letter case, and a taken one refused with one answer
that tells nothing of the hazard holding it, whether the caller may see that hazard or not."""

from __future__ import annotations

import uuid
from typing import Any


async def _create(api: Any, headers: dict[str, str], enterprise_id: str, hazard_id: str | None = None) -> Any:
    body: dict[str, Any] = {"enterprise_id": enterprise_id, "level": "general", "description": "消防通道堵塞"}
    if hazard_id is not None:
        body["id"] = hazard_id
    return await api.client.post("/api/v1/hazards", json=body, headers=headers)


async def test_a_taken_id_gets_one_answer_whether_its_hazard_is_in_scope_or_not(world, api, admin) -> None:  # type: ignore[no-untyped-def]
    inspector = world.headers["inspector"]
    visible = (await _create(api, inspector, world.enterprise["id"])).json()
    elsewhere = await api.enterprise(admin, name="德阳市外县企业", region_code="510603")
    hidden = (await _create(api, admin, elsewhere["id"])).json()
    assert (await api.client.get(f"/api/v1/hazards/{hidden['id']}", headers=inspector)).status_code == 404

    answers = []
    for taken in (visible["id"], hidden["id"]):
        response = await _create(api, inspector, world.enterprise["id"], taken)
        body = response.json()
        answers.append((response.status_code, {key: str(value).replace(taken, "<id>") for key, value in body.items()}))
    assert answers[0] == answers[1]
    status, body = answers[0]
    assert status == 409 and body["code"] == "id_in_use" and body["field"] == "id"
    assert set(body) == {"code", "message", "message_zh", "field"}  # nothing of the other hazard
    assert "hazard" not in body["message"] and "隐患" not in body["message_zh"]


async def test_ids_in_upper_case_name_the_same_hazard(world, api) -> None:  # type: ignore[no-untyped-def]
    inspector = world.headers["inspector"]
    chosen = str(uuid.uuid4())
    created = await _create(api, inspector, world.enterprise["id"].upper(), chosen.upper())
    assert created.status_code == 201 and created.json()["id"] == chosen
    again = await _create(api, inspector, world.enterprise["id"], chosen)
    assert again.status_code == 409 and again.json()["code"] == "id_in_use"
    detail = await api.client.get(f"/api/v1/hazards/{chosen.upper()}", headers=inspector)
    assert detail.status_code == 200 and detail.json()["hazard"]["id"] == chosen and detail.json()["history"]
    step = await api.client.post(f"/api/v1/hazards/{chosen.upper()}/transitions", json={"to_status": "closed"}, headers=inspector)
    assert step.status_code == 409 and step.json()["code"] == "invalid_transition"  # found, and told what it may do
    listed = await api.client.get("/api/v1/hazards", params={"enterprise_id": world.enterprise["id"].upper()}, headers=inspector)
    assert [h["id"] for h in listed.json()["items"]] == [chosen]


async def test_times_beyond_the_calendar_are_refused_naming_the_field(world, api) -> None:  # type: ignore[no-untyped-def]
    inspector = world.headers["inspector"]
    body = {"enterprise_id": world.enterprise["id"], "level": "general", "description": "d", "found_at": "9999-12-31T23:59:59-14:00"}
    response = await api.client.post("/api/v1/hazards", json=body, headers=inspector)
    assert response.status_code == 400 and response.json()["field"] == "found_at"
    hazard = (await _create(api, inspector, world.enterprise["id"])).json()
    step = {"to_status": "rectifying", "deadline": "9999-12-31T23:59:59-14:00", "responsible_person": "张三"}
    response = await api.client.post(f"/api/v1/hazards/{hazard['id']}/transitions", json=step, headers=inspector)
    assert response.status_code == 400 and response.json()["field"] == "deadline"
