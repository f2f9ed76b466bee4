"""A document is never edited: voiding keeps it with its reason (stamped 作废), a correction is a new
number; signatures are added to it, box by box, the tablet's at issue and the rest later."""

from __future__ import annotations

from sqlmodel import col, select

from core.storage.audit_log import AuditEntry
from tests.plugins.documents.conftest import DocWorld, png, sha


async def _actions(world: DocWorld, entity_id: str) -> list[str]:
    async with world.api.direct.db.read() as session:
        rows = (await session.exec(select(AuditEntry.action).where(col(AuditEntry.entity_id) == entity_id).order_by(col(AuditEntry.seq)))).all()
    return list(rows)


async def test_a_voided_document_is_kept_unchanged_with_its_reason(inspected: DocWorld) -> None:
    world = inspected
    document = await world.issue(world.zhang.headers, "inspection_record")
    path = f"/api/v1/documents/{document['id']}"
    blank = await world.client.post(f"{path}/void", json={"reason": "   "}, headers=world.zhang.headers)
    assert (blank.status_code, blank.json()["field"]) == (400, "reason")
    viewer = await world.api.as_new("viewer", region_code="510681")
    assert (await world.client.post(f"{path}/void", json={"reason": "x"}, headers=viewer)).status_code == 403
    voided = await world.client.post(f"{path}/void", json={"reason": "被检查单位名称有误"}, headers=world.zhang.headers)
    assert voided.status_code == 200, voided.text
    body = voided.json()
    assert (body["status"], body["voided_reason"], body["voided_by"], body["number"]) == ("voided", "被检查单位名称有误", world.zhang.user_id, document["number"])
    assert (body["content"], body["content_hash"]) == (document["content"], document["content_hash"])
    assert body["awaiting"] == []  # a void document awaits nothing
    again = await world.client.post(f"{path}/void", json={"reason": "again"}, headers=world.zhang.headers)
    assert (again.status_code, again.json()["code"]) == (409, "document_voided")
    # There is no way to edit one.
    for method in ("put", "patch", "delete"):
        assert (await getattr(world.client, method)(path, headers=world.admin)).status_code == 405
    assert await _actions(world, document["id"]) == ["document.issue", "document.void"]
    listed = await world.client.get("/api/v1/documents", params={"status": "voided"}, headers=world.zhang.headers)
    assert [d["id"] for d in listed.json()["items"]] == [document["id"]]


async def test_a_correction_takes_a_new_number_and_voids_the_one_it_corrects(inspected: DocWorld) -> None:
    world = inspected
    await world.order_major()
    first = await world.issue(world.zhang.headers, "rectification_order")
    second = await world.issue(world.zhang.headers, "rectification_order", corrects=first["id"])
    assert (second["number"], second["supersedes"]) == ("广应急责改〔2026〕2号", first["id"])
    old = (await world.client.get(f"/api/v1/documents/{first['id']}", headers=world.zhang.headers)).json()
    assert (old["status"], old["voided_reason"]) == ("voided", "已更正，见 广应急责改〔2026〕2号")
    twice = await world.issue(world.zhang.headers, "rectification_order", expect=409, corrects=first["id"])
    assert twice["code"] == "document_voided"
    wrong_type = await world.issue(world.zhang.headers, "inspection_record", expect=400, corrects=second["id"])
    assert (wrong_type["code"], wrong_type["field"]) == ("correction_mismatch", "corrects")
    third = await world.issue(world.zhang.headers, "rectification_order")
    assert third["number"] == "广应急责改〔2026〕3号"  # refused corrections burnt no number
    assert await _actions(world, first["id"]) == ["document.issue", "document.void"]


async def test_tablet_signatures_fill_the_inspection_record_and_later_ones_fill_the_rest(inspected: DocWorld) -> None:
    world = inspected
    record = await world.issue(world.zhang.headers, "inspection_record")
    assert [(s["role"], s["name"], s["source"]) for s in record["signatures"]] == [
        ("inspector_1", "张三", "tablet"), ("inspector_2", "李四", "tablet"), ("enterprise", "王经理", "tablet"),
    ]
    assert record["awaiting"] == []

    await world.order_major()
    order = await world.issue(world.zhang.headers, "rectification_order")  # signed (签收) on its own, not with the inspection's signatures
    assert order["signatures"] == []
    assert order["awaiting"] == ["执法人员（签名）：张三", "执法人员（签名）：李四", "被检查单位负责人（签收）"]
    path = f"/api/v1/documents/{order['id']}/signatures"
    image = png(7)
    not_uploaded = await world.client.post(path, json={"role": "enterprise", "name": "王经理", "sha256": sha(image)}, headers=world.zhang.headers)
    assert (not_uploaded.status_code, not_uploaded.json()["code"], not_uploaded.json()["field"]) == (400, "unknown_attachment", "sha256")
    digest = await world.upload(world.zhang, image)
    unknown_box = await world.client.post(path, json={"role": "witness", "name": "x", "sha256": digest}, headers=world.zhang.headers)
    assert (unknown_box.status_code, unknown_box.json()["field"]) == (400, "role")
    assert "enterprise" in unknown_box.json()["message"]
    signed = await world.client.post(path, json={"role": "enterprise", "name": "王经理", "sha256": digest}, headers=world.zhang.headers)
    assert signed.status_code == 201, signed.text
    assert signed.json()["awaiting"] == ["执法人员（签名）：张三", "执法人员（签名）：李四"]
    assert [(s["role"], s["source"], s["signed_by"]) for s in signed.json()["signatures"]] == [("enterprise", "api", world.zhang.user_id)]
    twice = await world.client.post(path, json={"role": "enterprise", "name": "王经理", "sha256": digest}, headers=world.zhang.headers)
    assert (twice.status_code, twice.json()["code"]) == (409, "already_signed")
    # li may not read zhang's upload that no record references: refused exactly like a missing one.
    other = await world.upload(world.zhang, png(8))
    theirs = await world.client.post(path, json={"role": "inspector_2", "name": "李四", "sha256": other}, headers=world.li.headers)
    assert (theirs.status_code, theirs.json()["code"]) == (400, "unknown_attachment")
    assert await _actions(world, order["id"]) == ["document.issue", "document.sign"]
    void = await world.client.post(f"/api/v1/documents/{order['id']}/void", json={"reason": "作废测试"}, headers=world.zhang.headers)
    assert void.status_code == 200
    late = await world.client.post(path, json={"role": "inspector_1", "name": "张三", "sha256": digest}, headers=world.zhang.headers)
    assert (late.status_code, late.json()["code"]) == (409, "document_voided")
