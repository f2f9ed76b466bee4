"""On the tablet (docs/sync.md, "文书 / Documents on the tablet"): the push result names the
inspection; the tablet lists its documents, fetches their PDFs and has the enterprise sign on the spot."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.plugins.documents.conftest import DocWorld, png


async def test_a_tablet_finds_its_inspection_documents_and_has_them_signed_on_the_spot(world: DocWorld) -> None:
    result = await world.push_inspection()
    inspection_id = result["inspection_id"]
    assert inspection_id and len(result["hazard_ids"]) == 2
    replay = await world.client.post("/api/v1/sync/push", json={"records": [world.last_record]}, headers=world.zhang.headers)
    assert replay.json()["results"][0]["status"] == "duplicate"
    assert replay.json()["results"][0]["inspection_id"] == inspection_id  # a retried push answers the same

    # The office (or the tablet itself) issues the order; the tablet asks for the inspection's documents.
    await world.order_major()
    issued = await world.issue(world.admin, "rectification_order")
    tablet = world.zhang.headers
    listed = await world.client.get(f"/api/v1/inspections/{inspection_id}/documents", headers=tablet)
    assert listed.status_code == 200
    [order] = listed.json()
    assert (order["id"], order["awaiting"]) == (issued["id"], ["执法人员（签名）：张三", "执法人员（签名）：李四", "被检查单位负责人（签收）"])
    pdf = await world.client.get(f"/api/v1/documents/{order['id']}/pdf", headers=tablet)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # Signed on the tablet: the image is uploaded like any attachment, then named by its sha256.
    for role, name, seed in (("enterprise", "王经理", 31), ("inspector_1", "张三", 32), ("inspector_2", "李四", 33)):
        digest = await world.upload(world.zhang, png(seed))
        signed = await world.client.post(f"/api/v1/documents/{order['id']}/signatures", json={"role": role, "name": name, "sha256": digest}, headers=tablet)
        assert signed.status_code == 201, signed.text
    assert signed.json()["awaiting"] == []
    before = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    again = await world.client.get(f"/api/v1/documents/{order['id']}/pdf", headers=tablet)
    after = "".join(page.extract_text() for page in PdfReader(io.BytesIO(again.content)).pages)
    assert "待签" in before and "待签" not in after

