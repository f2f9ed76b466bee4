"""A tablet hazard whose id is taken is refused naming that hazard (``hazards.<index>.id``), with
the same answer whether the hazard holding the id is in the inspector's scope or not."""

from __future__ import annotations

import uuid

_FAILING = {"CC-1": {"result": "fail"}, "CC-2": {"value": 20}, "CC-3": {"result": "pass"}}


async def test_a_taken_hazard_id_gets_one_answer_in_scope_or_not(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    elsewhere = await world.api.enterprise(world.admin, name="德阳市外县企业", region_code="510603")
    body = {"enterprise_id": elsewhere["id"], "level": "general", "description": "外县隐患"}
    hidden = (await world.api.client.post("/api/v1/hazards", json=body, headers=world.admin)).json()
    [mine] = await world.push(tablet, world.submission(answers=_FAILING))
    visible_id = mine["hazard_ids"][0]

    answers = []
    for taken in (visible_id, hidden["id"]):
        hazard = {"id": taken.upper(), "item_code": "CC-1", "description": "仓库无防火间距"}
        [result] = await world.push(tablet, world.submission(answers=_FAILING, hazards=[hazard]))
        answers.append({key: result[key].replace(taken, "<id>") for key in ("status", "code", "field", "message", "message_zh")})
    assert answers[0] == answers[1]
    assert (answers[0]["status"], answers[0]["code"], answers[0]["field"]) == ("rejected", "id_in_use", "hazards.0.id")
    assert "hazard" not in answers[0]["message"]
    [fresh] = await world.push(tablet, world.submission(answers=_FAILING, hazards=[{"id": str(uuid.uuid4()), "item_code": "CC-1", "description": "新"}]))
    assert fresh["status"] == "accepted"
