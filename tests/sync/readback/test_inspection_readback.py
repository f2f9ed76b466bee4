"""Reading an inspection back: what the tablet recorded, in the checklist's order, for whoever sees
the enterprise; the same facts, through the reader server.py hands to the documents plugin."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from core.access.scope import Principal
from plugins.documents.sources import InspectionFacts, inspection_reader
from sync.document_source import inspection_facts

SIG_INSPECTOR, SIG_ENTERPRISE = (hashlib.sha256(b"inspector signature").hexdigest(), hashlib.sha256(b"enterprise signature").hexdigest())
VISIT, FAILED_PHOTO = (hashlib.sha256(b"visit photo").hexdigest(), hashlib.sha256(b"failed item photo").hexdigest())


async def _officer(world: Any, name: str, display: str, cert: str | None, **scope: Any) -> Any:
    tablet = await world.tablet(name, **scope)
    patch: dict[str, Any] = {"display_name": display}
    if cert is not None:
        patch["enforcement_card_no"] = cert
    response = await world.api.client.patch(f"/api/v1/users/{tablet.user_id}", json=patch, headers=world.admin)
    assert response.status_code == 200, response.text
    return tablet


async def _inspected(world: Any) -> tuple[Any, Any, dict[str, Any], dict[str, Any]]:
    """A pushed inspection by 张伟 with 李娜 present: one failed item, a number out of range, photos, two signatures."""
    lead = await _officer(world, "zhang", "张伟", "51068100001")
    co = await _officer(world, "li", "李娜", "51068100002")
    record = world.submission(
        # Sent out of the checklist's order: read back in it.
        answers={
            "CC-4": {"value": "库区整洁"}, "CC-3": {"result": "pass"}, "CC-2": {"value": 35, "note": "温度超标"},
            "CC-1": {"result": "fail", "note": "仓库无防爆灯具", "photos": [FAILED_PHOTO]},
        },
        notes="现场检查发现两处问题。", photos=[VISIT],
        signatures=[{"role": "inspector", "name": "张伟", "sha256": SIG_INSPECTOR}, {"role": "enterprise", "name": "王经理", "sha256": SIG_ENTERPRISE}],
        gps={"latitude": 30.99, "longitude": 104.25, "accuracy_m": 8.5},
        co_inspectors=[co.user_id.upper()],
    )
    [result] = await world.push(lead, record)
    assert result["status"] == "accepted", result
    return lead, co, record, result


async def _inspection_id(world: Any, submission_id: str) -> str:
    response = await world.api.client.get("/api/v1/inspections", params={"year": 2026}, headers=world.admin)
    [row] = [r for r in response.json() if r["submission_id"] == submission_id]
    return str(row["id"])


async def test_an_inspection_reads_back_with_everything_its_tablet_recorded(world) -> None:  # type: ignore[no-untyped-def]
    lead, co, record, result = await _inspected(world)
    inspection_id = await _inspection_id(world, record["id"])
    response = await world.api.client.get(f"/api/v1/inspections/{inspection_id}", headers=lead.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["id"], body["enterprise_id"], body["enterprise_name"], body["inspector_id"]) == (
        inspection_id, world.enterprise["id"], "广汉市红星化工有限公司", lead.user_id,
    )
    assert body["inspected_at"] == "2026-03-02T00:40:00Z"  # the submission's finish, in UTC
    assert body["inspectors"] == [
        {"user_id": lead.user_id, "display_name": "张伟", "enforcement_card_no": "51068100001", "part": "lead"},
        {"user_id": co.user_id, "display_name": "李娜", "enforcement_card_no": "51068100002", "part": "co"},
    ]
    assert body["hazard_ids"] == result["hazard_ids"] and len(body["hazard_ids"]) == 2
    submission = body["submission"]
    assert submission["id"] == record["id"] and submission["co_inspectors"] == [co.user_id]
    assert submission["checklist"] == {"id": "hazchem.storage", "version": "1.0.0", "hash": world.checklist_hash, "title": "危化品储存检查表"}
    assert (submission["started_at"], submission["finished_at"]) == ("2026-03-02T00:00:00Z", "2026-03-02T00:40:00Z")
    assert submission["gps"] == {"latitude": 30.99, "longitude": 104.25, "accuracy_m": 8.5}
    assert submission["notes"] == "现场检查发现两处问题。"
    assert [a["item_code"] for a in submission["answers"]] == ["CC-1", "CC-2", "CC-3", "CC-4"]
    first, second, third, fourth = submission["answers"]
    assert first == {"item_code": "CC-1", "item_text": "危险化学品专用仓库设置符合要求", "result": "fail", "value": None, "note": "仓库无防爆灯具", "photos": [FAILED_PHOTO], "failed": True}
    assert (second["value"], second["note"], second["failed"], second["result"]) == (35, "温度超标", True, None)
    assert (third["result"], third["failed"]) == ("pass", False)
    assert (fourth["value"], fourth["failed"]) == ("库区整洁", False)
    assert submission["failed_items"] == ["CC-1", "CC-2"]
    assert submission["photos"] == [
        {"sha256": VISIT, "item_code": None, "caption": None}, {"sha256": FAILED_PHOTO, "item_code": "CC-1", "caption": None},
    ]
    assert submission["signatures"] == [
        {"role": "inspector", "name": "张伟", "sha256": SIG_INSPECTOR}, {"role": "enterprise", "name": "王经理", "sha256": SIG_ENTERPRISE},
    ]
    assert (submission["replaces"], submission["replaced_by"]) == (None, [])


async def test_a_correction_is_named_on_the_submission_it_replaces(world) -> None:  # type: ignore[no-untyped-def]
    lead, _, record, _ = await _inspected(world)
    correction = world.submission(replaces=record["id"])
    [result] = await world.push(lead, correction)
    assert result["status"] == "accepted", result
    first = (await world.api.client.get(f"/api/v1/inspections/{await _inspection_id(world, record['id'])}", headers=lead.headers)).json()
    second = (await world.api.client.get(f"/api/v1/inspections/{await _inspection_id(world, correction['id'])}", headers=lead.headers)).json()
    assert first["submission"]["replaced_by"] == [correction["id"]]
    assert second["submission"]["replaces"] == record["id"] and second["inspectors"][1:] == []


async def test_whoever_sees_the_enterprise_reads_it_and_nobody_else_learns_it_exists(world) -> None:  # type: ignore[no-untyped-def]
    _, _, record, _ = await _inspected(world)
    inspection_id = await _inspection_id(world, record["id"])
    url = f"/api/v1/inspections/{inspection_id}"
    client = world.api.client
    readers = [
        world.admin,
        await world.api.as_new("viewer", region_code="510681"),
        await world.api.as_new("department_admin", region_code="510600", industries=["hazchem"]),
        await world.api.as_new("enterprise_user", enterprise_id=world.enterprise["id"]),
    ]
    for headers in readers:
        response = await client.get(url, headers=headers)
        assert response.status_code == 200 and response.json()["id"] == inspection_id
    other = await world.api.enterprise(world.admin, name="广汉市另一家化工有限公司")
    unknown = (await client.get(f"/api/v1/inspections/{uuid.uuid4()}", headers=world.admin)).json()
    strangers = [
        await world.api.as_new("inspector", region_code="510104", industries=["hazchem"]),  # another county
        await world.api.as_new("inspector", region_code="510681", industries=["coal"]),  # another industry
        await world.api.as_new("enterprise_user", enterprise_id=other["id"]),  # another enterprise
    ]
    for headers in strangers:
        response = await client.get(url, headers=headers)
        assert response.status_code == 404 and response.json() == unknown
    assert unknown["code"] == "not_found" and unknown["message_zh"] == "检查记录不存在或无权访问"
    # Any spelling of the id reads the same inspection; what is not an id is simply not found.
    assert (await client.get(url.upper().replace("/API/V1/INSPECTIONS", "/api/v1/inspections"), headers=world.admin)).status_code == 200
    for bad in ("not-an-id", "%20", "1" * 64):
        assert (await client.get(f"/api/v1/inspections/{bad}", headers=world.admin)).status_code == 404
    too_long = await client.get(f"/api/v1/inspections/{'x' * 65}", headers=world.admin)
    assert too_long.status_code == 400
    assert (await client.get(url)).status_code == 401


async def test_an_inspection_typed_in_by_the_office_has_no_submission(world) -> None:  # type: ignore[no-untyped-def]
    inspector = await _officer(world, "zhao", "赵刚", "51068100009")
    created = await world.api.client.post(
        "/api/v1/inspections", json={"enterprise_id": world.enterprise["id"], "inspected_at": "2026-03-01T10:00:00+08:00"}, headers=inspector.headers,
    )
    assert created.status_code == 201, created.text
    body = (await world.api.client.get(f"/api/v1/inspections/{created.json()['id']}", headers=world.admin)).json()
    assert body["submission"] is None and body["hazard_ids"] == []
    assert body["inspectors"] == [{"user_id": inspector.user_id, "display_name": "赵刚", "enforcement_card_no": "51068100009", "part": "lead"}]
    facts = await inspection_facts(world.api.ctx, _admin(), created.json()["id"])
    assert facts is not None and facts.submission_id is None and facts.answers == [] and facts.checklist_id is None
    assert (facts.started_at, facts.finished_at, facts.latitude) == (None, None, None)


def _admin() -> Principal:
    return Principal(user_id="root", username="root", role="admin")


async def test_the_document_reader_gives_the_same_facts_in_the_plugins_terms(world) -> None:  # type: ignore[no-untyped-def]
    lead, co, record, result = await _inspected(world)
    inspection_id = await _inspection_id(world, record["id"])
    assert inspection_reader() is inspection_facts  # wired by server.py
    facts = await inspection_facts(world.api.ctx, _admin(), inspection_id.upper())
    assert isinstance(facts, InspectionFacts)
    assert (facts.inspection_id, facts.submission_id, facts.enterprise_id) == (inspection_id, record["id"], world.enterprise["id"])
    assert [(p.user_id, p.display_name, p.enforcement_card_no) for p in facts.inspectors] == [
        (lead.user_id, "张伟", "51068100001"), (co.user_id, "李娜", "51068100002"),
    ]
    assert [a.item_code for a in facts.answers] == ["CC-1", "CC-2", "CC-3", "CC-4"]
    assert (facts.answers[0].result, facts.answers[0].note, facts.answers[0].photos) == ("fail", "仓库无防爆灯具", [FAILED_PHOTO])
    assert facts.answers[1].value == 35
    assert (facts.checklist_id, facts.checklist_version, facts.checklist_hash) == ("hazchem.storage", "1.0.0", world.checklist_hash)
    assert (facts.latitude, facts.longitude, facts.notes) == (30.99, 104.25, "现场检查发现两处问题。")
    assert facts.photos == [VISIT]  # the visit's own photos; the answers' stay with their answers
    assert [(s.role, s.name, s.sha256) for s in facts.signatures] == [("inspector", "张伟", SIG_INSPECTOR), ("enterprise", "王经理", SIG_ENTERPRISE)]
    assert facts.hazard_ids == result["hazard_ids"]
    assert facts.started_at is not None and facts.finished_at is not None and facts.inspected_at == facts.finished_at
    # Out of the caller's scope, or not there at all: None (the plugin answers 404).
    outsider = Principal(user_id=str(uuid.uuid4()), username="x", role="inspector", region_code="510104", industries=("hazchem",))
    assert await inspection_facts(world.api.ctx, outsider, inspection_id) is None
    assert await inspection_facts(world.api.ctx, _admin(), str(uuid.uuid4())) is None


async def test_a_user_without_a_card_no_or_a_name_reads_back_plainly(world) -> None:  # type: ignore[no-untyped-def]
    lead = await world.tablet("plain")
    record = world.submission()
    [result] = await world.push(lead, record)
    assert result["status"] == "accepted"
    body = (await world.api.client.get(f"/api/v1/inspections/{await _inspection_id(world, record['id'])}", headers=lead.headers)).json()
    assert body["inspectors"] == [{"user_id": lead.user_id, "display_name": "plain", "enforcement_card_no": None, "part": "lead"}]
    assert body["submission"]["co_inspectors"] == [] and body["submission"]["photos"] == [] and body["submission"]["signatures"] == []
    facts = await inspection_facts(world.api.ctx, _admin(), body["id"])
    assert facts is not None and facts.inspectors[0].enforcement_card_no == ""
