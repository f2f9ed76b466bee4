"""The authorization matrix of the 执法文书 endpoints (docs/documents.md, "Who may do what").

Imported at the end of ``authz_matrix.py`` (its entries join ``ENTRIES``). A document of either
side is stored directly (with an issuing authority for the side's region), as the matrix needs a
record to be in or out of scope, not the facts a real issue gathers; issuing itself is called on
the world's office-recorded inspections, which lack what a document requires: past the role (403)
and scope (404) checks the answer is ``409 missing_facts``, nothing numbered.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlmodel import col, select

from plugins.documents.authorities import DocumentAuthority
from plugins.documents.numbering import format_number, next_seq
from plugins.documents.records import EnforcementDocument
from tests.reliability.authz_matrix import NA, OK, Call, Entry, answers
from tests.reliability.world import YEAR, Side, World

ALL = answers(OK)
ISSUERS = answers(403, admin=OK, inspector=OK)  # document.issue / document.void
ISSUERS_OUT = answers(403, admin=OK, inspector=404)
EXPORTERS = answers(403, admin=OK, department_admin=OK, inspector=OK)  # case_file.export
EXPORTERS_OUT = answers(403, admin=OK, department_admin=404, inspector=404)
SHORT_NAMES = {"in": "矩内", "out": "矩外"}


def _content(number: str) -> dict[str, Any]:
    return {
        "type": "inspection_record", "authority": "矩阵应急管理局", "title": "现场检查记录", "number": number, "blocks": [],
        "signature_boxes": [{"role": "enterprise", "base_role": "enterprise", "label": "被检查单位现场负责人（签名）", "name": "", "extra": "", "required": True}],
        "photos": [], "closing": "", "copies_note": "", "issued_at": f"{YEAR}-03-02T09:00:00+00:00", "issued_date": f"{YEAR}年3月2日",
    }


async def stored_document(world: World, side: Side) -> str:
    """A fresh document of the side's enterprise and inspection (its authority made once)."""
    records = world.records(side)
    now = world.api.ctx.clock.now()
    async with world.api.direct.db.write() as session:
        authority = (await session.exec(select(DocumentAuthority).where(col(DocumentAuthority.region_code) == records.region_code))).first()
        if authority is None:
            authority = DocumentAuthority(region_code=records.region_code, name="矩阵应急管理局", short_name=SHORT_NAMES[side], review_body="矩阵人民政府",
                                          court="矩阵人民法院", created_at=now, updated_at=now)
            session.add(authority)
            await session.flush()
        seq = await next_seq(session, authority.id, "inspection_record", YEAR)
        number = format_number(authority.short_name, "检记", YEAR, seq)
        row = EnforcementDocument(
            type_code="inspection_record", title="现场检查记录", authority_id=authority.id, year=YEAR, seq=seq, number=number,
            inspection_id=records.inspection_id, enterprise_id=records.enterprise["id"], region_code=records.region_code,
            industries=[records.industry], content=_content(number), content_hash="0" * 64, status="issued", issued_at=now,
        )
        session.add(row)
        await session.flush()
        return row.id


async def document_id(world: World, role: str, side: Side) -> Call:
    return Call(path={"document_id": await stored_document(world, side)})


async def void_body(world: World, role: str, side: Side) -> Call:
    return Call(path={"document_id": await stored_document(world, side)}, json={"reason": "矩阵作废"})


async def signature_body(world: World, role: str, side: Side) -> Call:
    """The enterprise's box, with an image the caller uploaded (roles that may not push send any digest: 403 comes first)."""
    content = f"矩阵签名 {world.fresh('')}".encode()
    digest = hashlib.sha256(content).hexdigest()
    if role in ("admin", "inspector"):
        upload = await world.api.client.put(f"/api/v1/attachments/{digest}", content=content, headers=await world.device_headers(world.usernames[role]))
        assert upload.status_code < 300, upload.text
    return Call(path={"document_id": await stored_document(world, side)}, json={"role": "enterprise", "name": "矩阵签名人", "sha256": digest})


def issue_body(world: World, role: str, side: Side) -> Call:
    return Call(json={"type": "inspection_record", "inspection_id": world.records(side).inspection_id})


def inspection_id(world: World, role: str, side: Side) -> Call:
    return Call(path={"inspection_id": world.records(side).inspection_id})


def authority_body(world: World, role: str, side: Side) -> Call:
    return Call(path={"region_code": "510600"}, json={"name": "德阳市应急管理局", "short_name": "德", "review_body": "德阳市人民政府", "court": "德阳市旌阳区人民法院"})


DOCUMENT_ENTRIES: list[Entry] = [
    Entry("GET", "/api/v1/document-types", ALL, NA),
    Entry("GET", "/api/v1/document-authorities", ALL, NA, note="authorities print on documents: not secret, not scoped"),
    Entry("PUT", "/api/v1/document-authorities/{region_code:str}", answers(403, admin=OK), NA, authority_body),
    Entry("POST", "/api/v1/documents", answers(403, admin=409, inspector=409), answers(403, admin=409, inspector=404), issue_body,
          note="past role and scope, the office-recorded inspection lacks every fact a document needs: 409 missing_facts, nothing numbered"),
    Entry("GET", "/api/v1/documents", ALL, NA, note="documents of enterprises in scope only"),
    Entry("GET", "/api/v1/documents/{document_id:str}", ALL, answers(404, admin=OK), document_id,
          note="whoever sees the enterprise; its own enterprise user reads what it was served"),
    Entry("GET", "/api/v1/documents/{document_id:str}/pdf", ALL, answers(404, admin=OK), document_id),
    Entry("POST", "/api/v1/documents/{document_id:str}/void", ISSUERS, ISSUERS_OUT, void_body, note="a fresh document per call"),
    Entry("POST", "/api/v1/documents/{document_id:str}/signatures", ISSUERS, ISSUERS_OUT, signature_body,
          note="the enterprise's box of a fresh document, with an image the caller uploaded"),
    Entry("GET", "/api/v1/inspections/{inspection_id:str}/documents", ALL, answers(404, admin=OK), inspection_id),
    Entry("GET", "/api/v1/inspections/{inspection_id:str}/case-file", EXPORTERS, EXPORTERS_OUT, inspection_id,
          note="the case file holds audit entries and the whole record: enforcement staff only"),
]
