"""Hazard updates: version-based, stale ones kept as conflicts with the server's state."""

from __future__ import annotations

import uuid
from typing import Any


async def _hazard(world, tablet) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    [result] = await world.push(tablet, world.submission(answers={"CC-1": {"result": "fail"}, "CC-2": {"value": 20}, "CC-3": {"result": "pass"}}))
    items, _ = await world.pull_all(tablet)
    return next(i["data"] for i in items if i["entity"] == "hazard" and i["id"] == result["hazard_ids"][0])


def _order(hazard: dict[str, Any], person: str, update_id: str | None = None) -> dict[str, Any]:
    return {
        "kind": "hazard_update", "id": update_id or str(uuid.uuid4()), "hazard_id": hazard["id"], "base_version": hazard["version"],
        "transition": {"to_status": "rectifying", "deadline": "2026-04-01T00:00:00+08:00", "responsible_person": person},
    }


async def test_two_offline_edits_of_one_hazard_give_one_update_and_one_kept_conflict(world) -> None:  # type: ignore[no-untyped-def]
    first = await world.tablet("insp1")
    second = await world.tablet("insp2")
    hazard = await _hazard(world, first)
    edit_a, edit_b = _order(hazard, "张三"), _order(hazard, "李四")
    [a] = await world.push(first, edit_a)
    [b] = await world.push(second, edit_b)
    assert a["status"] == "accepted"
    assert b["status"] == "conflict" and b["current"]["version"] == hazard["version"] + 1
    assert b["current"]["responsible_person"] == "张三"
    # Replaying either is harmless.
    [a2] = await world.push(first, edit_a)
    [b2] = await world.push(second, edit_b)
    assert (a2["status"], b2["status"], b2["first_status"]) == ("duplicate", "duplicate", "conflict")
    listed = (await world.api.client.get("/api/v1/sync/conflicts", headers=world.admin)).json()
    assert listed["total"] == 1
    conflict = listed["items"][0]
    assert conflict["update"]["transition"]["responsible_person"] == "李四" and conflict["server_state"]["responsible_person"] == "张三"
    # The inspector sees their own conflict; the other does not.
    assert (await world.api.client.get("/api/v1/sync/conflicts", headers=second.headers)).json()["total"] == 1
    assert (await world.api.client.get("/api/v1/sync/conflicts", headers=first.headers)).json()["total"] == 0
    response = await world.api.client.post(f"/api/v1/sync/conflicts/{conflict['id']}/resolve", json={"note": "以张三为准"}, headers=world.admin)
    assert response.status_code == 200 and response.json()["status"] == "resolved"
    assert (await world.api.client.get("/api/v1/sync/conflicts", headers=world.admin)).json()["total"] == 0


async def test_hazard_update_follows_lifecycle_and_names_the_field(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    hazard = await _hazard(world, tablet)
    skip = {"kind": "hazard_update", "id": str(uuid.uuid4()), "hazard_id": hazard["id"], "base_version": hazard["version"], "transition": {"to_status": "closed"}}
    typo = {"kind": "hazard_update", "id": str(uuid.uuid4()), "hazard_id": hazard["id"], "base_version": hazard["version"], "transition": {"to_status": "rectifying", "dead_line": "x"}}
    unknown = {"kind": "hazard_update", "id": str(uuid.uuid4()), "hazard_id": str(uuid.uuid4()), "base_version": 1, "transition": {"to_status": "closed"}}
    results = await world.push(tablet, skip, typo, unknown)
    assert [(r["status"], r["code"], r["field"]) for r in results] == [
        ("rejected", "invalid_transition", "transition.to_status"),
        ("rejected", "validation_error", "transition.dead_line"),
        ("rejected", "not_found", "hazard_id"),
    ]


async def test_response_lost_after_commit_retry_answers_duplicate(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The server commits, the answer never reaches the tablet; its retry gets ``duplicate``."""
    import sync.api as api_module

    tablet = await world.tablet("insp1")
    record = world.submission()
    real = api_module.respond
    calls = {"n": 0}

    def drop_first(request, content, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionResetError("network dropped the answer")
        return real(request, content, *args, **kwargs)

    monkeypatch.setattr(api_module, "respond", drop_first)
    response = await world.api.client.post("/api/v1/sync/push", json={"records": [record]}, headers=tablet.headers)
    assert response.status_code == 500  # the tablet saw no result
    [retry] = await world.push(tablet, record)
    assert retry["status"] == "duplicate" and retry["first_status"] == "accepted"
