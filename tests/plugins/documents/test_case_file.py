"""The 电子案卷: one zip per inspection whose manifest lists every file with a sha256 that checks, with
the index on top, the documents' PDFs, photos, signatures, the submission, the hazards' histories
and the audit entries (each hash recomputable); exporting it is scoped and audited."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime
from typing import Any

from pypdf import PdfReader
from sqlmodel import col, select

from core.storage.audit_log import AuditEntry, entry_hash
from tests.plugins.documents.conftest import DocWorld, png


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


async def _case(world: DocWorld) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    record = await world.issue(world.zhang.headers, "inspection_record")
    await world.order_major()
    order = await world.issue(world.zhang.headers, "rectification_order")
    corrected = await world.issue(world.zhang.headers, "rectification_order", corrects=order["id"])
    digest = await world.upload(world.zhang, png(21))
    signed = await world.client.post(f"/api/v1/documents/{corrected['id']}/signatures", json={"role": "enterprise", "name": "王经理", "sha256": digest}, headers=world.zhang.headers)
    assert signed.status_code == 201, signed.text
    await world.recheck_both()
    return record, order, corrected


async def test_the_case_file_holds_everything_and_its_manifest_verifies(inspected: DocWorld) -> None:
    world = inspected
    record, order, corrected = await _case(world)
    response = await world.client.get(f"/api/v1/inspections/{world.inspection_id}/case-file", headers=world.zhang.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert "content-encoding" not in response.headers  # a zip is not gzipped again
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert names[0] == "00-卷内目录.pdf" and names[-1] == "manifest.json"
    manifest_bytes = archive.read("manifest.json")
    assert response.headers["x-manifest-sha256"] == hashlib.sha256(manifest_bytes).hexdigest()
    manifest = json.loads(manifest_bytes)
    listed = [f["path"] for f in manifest["files"]]
    assert sorted(listed) == sorted(n for n in names if n != "manifest.json")  # every file, once
    for entry in manifest["files"]:
        data = archive.read(entry["path"])
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (entry["sha256"], entry["size"]), entry["path"]
    assert manifest["inspection_id"] == world.inspection_id and manifest["missing_attachments"] == []

    documents = [n for n in names if n[:2].isdigit() and n[:2] != "00"]
    assert documents == [
        f"01-现场检查记录-{record['number']}.pdf", f"02-责令限期整改指令书-{order['number']}-作废.pdf", f"03-责令限期整改指令书-{corrected['number']}.pdf",
    ]
    assert "作废" in pdf_text(archive.read(documents[1]))
    cover = pdf_text(archive.read("00-卷内目录.pdf"))
    for text in ("案卷首页", "卷内目录", "案卷编号： 广应急检记〔2026〕1号", "被检查单位： 广汉市红星化工有限公司", "结案日期： （尚未结案）",
                 f"1 {record['number']} 现场检查记录 2026-03-02 1-", f"3 {corrected['number']} 责令限期整改指令书", "审计记录"):
        assert text in cover, text

    photos = {n.split("/")[1].split(".")[0] for n in names if n.startswith("photos/")}
    signatures = {n.split("/")[1] for n in names if n.startswith("signatures/")}
    submission = json.loads(archive.read("submission.json"))
    assert photos >= set(submission["photos"]) | {sha for a in submission["answers"] for sha in a["photos"]}
    assert len(photos) == 4  # the inspection's two, the two pieces of rectification evidence
    assert {s.split(".")[0] for s in signatures} == {s["sha256"] for s in submission["signatures"]} | {hashlib.sha256(png(21)).hexdigest()}
    assert all(s.endswith(".png") for s in signatures) and all(n.endswith(".jpg") for n in names if n.startswith("photos/"))
    assert [a["item_code"] for a in submission["answers"]] == ["CC-1", "CC-2", "CC-3"]
    assert [i["display_name"] for i in submission["inspectors"]] == ["张三", "李四"]

    for hazard_id in world.hazard_ids:
        history = json.loads(archive.read(f"hazards/{hazard_id}.json"))
        assert history["hazard"]["id"] == hazard_id
        assert history["history"][0]["action"] == "created"
        assert history["history"][-1]["action"] in ("recheck_passed", "recheck_failed")

    audit = json.loads(archive.read("audit.json"))["entries"]
    actions = [e["action"] for e in audit]
    assert "inspection_recorded" in actions and "submission_accepted" in actions
    assert actions.count("document.issue") == 3 and actions.count("document.void") == 1 and actions.count("document.sign") == 1
    assert [e["seq"] for e in audit] == sorted(e["seq"] for e in audit)
    for entry in audit:  # each hash is recomputed from the entry as written
        columns = {**entry, "at": datetime.fromisoformat(entry["at"])}
        assert entry_hash(entry["prev_hash"], columns) == entry["hash"], entry["action"]

    async with world.api.direct.db.read() as session:
        exported = (await session.exec(select(AuditEntry).where(col(AuditEntry.action) == "case_file.export"))).one()
    assert (exported.entity_id, exported.actor_id) == (world.inspection_id, world.zhang.user_id)
    assert exported.after["manifest_sha256"] == response.headers["x-manifest-sha256"]


async def test_a_case_file_is_exported_only_in_scope_and_by_enforcement_staff(inspected: DocWorld) -> None:
    world = inspected
    path = f"/api/v1/inspections/{world.inspection_id}/case-file"
    elsewhere = await world.api.as_new("inspector", region_code="510603", industries=["hazchem"])
    assert (await world.client.get(path, headers=elsewhere)).status_code == 404
    assert (await world.client.get("/api/v1/inspections/not-an-id/case-file", headers=world.zhang.headers)).status_code == 404
    await world.api.user("boss", "enterprise_user", enterprise_id=world.enterprise["id"])
    for headers in (await world.api.login("boss"), await world.api.as_new("viewer", region_code="510681")):
        assert (await world.client.get(path, headers=headers)).status_code == 403
    supervisor = await world.api.as_new("department_admin", region_code="510681", industries=["hazchem"])
    ok = await world.client.get(path, headers=supervisor)
    assert ok.status_code == 200
    # Without documents the index still lists the records, and nothing is missing.
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(ok.content)).read("manifest.json"))
    assert manifest["documents"] == [] and {f["kind"] for f in manifest["files"]} == {"cover", "photo", "signature", "submission", "hazard", "audit"}


async def test_an_attachment_not_yet_uploaded_is_listed_as_missing(world: DocWorld) -> None:
    lost = "f" * 64
    result = await world.push(world.zhang, photos=[lost], co_inspectors=[world.li.user_id])
    world.inspection_id = result["inspection_id"]
    response = await world.client.get(f"/api/v1/inspections/{world.inspection_id}/case-file", headers=world.zhang.headers)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("manifest.json"))
    assert manifest["missing_attachments"] == [lost]
    assert not any(lost in f["path"] for f in manifest["files"])
