"""An enterprise that moves to another county takes its hazards along: the new county's tablets
and lists get them, the old county's tablets get tombstones, and the audit chain records it."""

from __future__ import annotations

from core.audit.verify import verify_chain


async def test_hazards_follow_their_enterprise_to_another_county(world) -> None:  # type: ignore[no-untyped-def]
    here = await world.tablet("insp_gh")  # 广汉市 510681
    there = await world.tablet("insp_jy", region_code="510603", industries=["hazchem"])  # 旌阳区
    [result] = await world.push(here, world.submission(answers={"CC-1": {"result": "fail"}, "CC-2": {"value": 21.5}, "CC-3": {"result": "pass"}}))
    assert result["status"] == "accepted" and result["hazard_ids"]
    hazard_ids = set(result["hazard_ids"])
    items, here_cursor = await world.pull_all(here)
    assert hazard_ids <= {i["id"] for i in items if i["entity"] == "hazard"}
    items, there_cursor = await world.pull_all(there)
    assert not {i["id"] for i in items} & (hazard_ids | {world.enterprise["id"]})

    moved = await world.api.client.patch(f"/api/v1/enterprises/{world.enterprise['id']}", json={"region_code": "510603"}, headers=world.admin)
    assert moved.status_code == 200, moved.text

    items, _ = await world.pull_all(here, here_cursor)
    assert {(i["entity"], i["id"], i["op"]) for i in items} == {("enterprise", world.enterprise["id"], "delete")} | {("hazard", h, "delete") for h in hazard_ids}
    items, _ = await world.pull_all(there, there_cursor)
    arrived = {i["id"]: i for i in items if i["op"] == "upsert"}
    assert world.enterprise["id"] in arrived and hazard_ids <= arrived.keys()
    assert all(arrived[h]["data"]["region_code"] == "510603" for h in hazard_ids)

    listed_there = await world.api.client.get("/api/v1/hazards", headers=there.headers)
    listed_here = await world.api.client.get("/api/v1/hazards", headers=here.headers)
    assert listed_there.status_code == listed_here.status_code == 200, listed_there.text
    assert {h["id"] for h in listed_there.json()["items"]} == hazard_ids
    assert listed_here.json()["items"] == []

    audit = (await world.api.client.get("/api/v1/audit", params={"entity": "enterprise", "entity_id": world.enterprise["id"]}, headers=world.admin)).json()
    moves = [e for e in audit if e["action"] == "hazards_moved_with_enterprise"]
    assert len(moves) == 1 and set(moves[0]["after"]["hazard_ids"]) == hazard_ids and moves[0]["before"]["region_code"] == "510681"
    async with world.api.ctx.db.read() as session:
        assert (await verify_chain(session)).ok
