"""Rectification evidence: a step is stored at once and names the photos not received yet; a
hazard closes only once every photo of its rectification evidence has arrived."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.core.hazards.conftest import store_attachments

PHOTO = "f" * 64
RECHECK_PHOTO = "9" * 64


async def _rectified(world: Any, clock: Any) -> dict[str, Any]:
    api = world.api
    body = {"enterprise_id": world.enterprise["id"], "level": "general", "description": "配电箱未接地",
            "deadline": (clock.now() + timedelta(days=10)).isoformat(), "responsible_person": "李四"}
    hazard = (await api.client.post("/api/v1/hazards", json=body, headers=world.headers["inspector"])).json()
    response = await api.client.post(
        f"/api/v1/hazards/{hazard['id']}/transitions", json={"to_status": "awaiting_recheck", "evidence": [PHOTO]}, headers=world.headers["enterprise_user"],
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "awaiting_recheck" and response.json()["missing_attachments"] == [PHOTO]
    return response.json()


async def test_a_hazard_closes_only_once_its_rectification_photos_arrived(world, clock) -> None:  # type: ignore[no-untyped-def]
    hazard = await _rectified(world, clock)
    url, inspector = f"/api/v1/hazards/{hazard['id']}/transitions", world.headers["inspector"]
    refused = await world.api.client.post(url, json={"to_status": "closed", "reason": "复查合格"}, headers=inspector)
    assert refused.status_code == 409
    body = refused.json()
    assert (body["code"], body["field"], body["missing_attachments"]) == ("evidence_missing", "rectification_evidence", [PHOTO])
    assert body["message_zh"]
    detail = (await world.api.client.get(f"/api/v1/hazards/{hazard['id']}", headers=inspector)).json()
    assert detail["hazard"]["status"] == "awaiting_recheck" and detail["hazard"]["version"] == hazard["version"]

    store_attachments(world.api.ctx, PHOTO)
    closed = await world.api.client.post(url, json={"to_status": "closed", "evidence": [RECHECK_PHOTO]}, headers=inspector)
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    assert closed.json()["missing_attachments"] == [RECHECK_PHOTO]  # the recheck's own photos: reported, not required


async def test_a_failed_recheck_needs_no_photos_of_the_fix(world, clock) -> None:  # type: ignore[no-untyped-def]
    hazard = await _rectified(world, clock)
    body = {"to_status": "rectifying", "reason": "仍未接地", "deadline": (clock.now() + timedelta(days=5)).isoformat()}
    response = await world.api.client.post(f"/api/v1/hazards/{hazard['id']}/transitions", json=body, headers=world.headers["inspector"])
    assert response.status_code == 200 and response.json()["status"] == "rectifying"
    assert response.json()["missing_attachments"] == []
