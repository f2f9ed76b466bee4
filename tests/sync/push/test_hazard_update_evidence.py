"""A hazard update's evidence photos: the step is stored and its result names the photos not
uploaded yet (as a submission's does); a closing step waits for the rectification photos."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

_FAILING = {"CC-1": {"result": "fail"}, "CC-2": {"value": 20}, "CC-3": {"result": "pass"}}
_PHOTO_BYTES = b"\xff\xd8 rectified: the warehouse now has its fire break"
PHOTO = hashlib.sha256(_PHOTO_BYTES).hexdigest()


def _update(hazard_id: str, version: int, **transition: Any) -> dict[str, Any]:
    return {"kind": "hazard_update", "id": str(uuid.uuid4()), "hazard_id": hazard_id, "base_version": version, "transition": transition}


async def test_a_step_is_stored_with_its_photos_missing_and_a_hazard_closes_once_they_arrive(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    [pushed] = await world.push(tablet, world.submission(answers=_FAILING))
    hazard_id = pushed["hazard_ids"][0]
    order = _update(hazard_id, 1, to_status="rectifying", deadline="2026-04-01T00:00:00+08:00", responsible_person="张三")
    rectified = _update(hazard_id, 2, to_status="awaiting_recheck", evidence=[PHOTO])
    close = _update(hazard_id, 3, to_status="closed", reason="复查合格")
    results = await world.push(tablet, order, rectified, close)
    assert [r["status"] for r in results] == ["accepted", "accepted", "rejected"]
    assert results[1]["missing_attachments"] == [PHOTO]
    assert (results[2]["code"], results[2]["field"]) == ("evidence_missing", "rectification_evidence")
    [replayed] = await world.push(tablet, rectified)
    assert replayed["status"] == "duplicate" and replayed["missing_attachments"] == [PHOTO]

    uploaded = await world.api.client.put(f"/api/v1/attachments/{PHOTO}", content=_PHOTO_BYTES, headers=tablet.headers)
    assert uploaded.status_code in (200, 201), uploaded.text
    [replayed] = await world.push(tablet, rectified)
    assert replayed.get("missing_attachments", []) == []  # omitted when none
    [closed] = await world.push(tablet, {**close, "id": str(uuid.uuid4())})
    assert closed["status"] == "accepted", closed
