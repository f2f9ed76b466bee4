"""电子案卷: one zip per inspection holding everything recorded about it, checkable file by file.

Layout (docs/documents.md, "The case file")::

    00-卷内目录.pdf                     案卷首页 and 卷内目录 (index of the documents, their pages)
    01-现场检查记录-<number>.pdf         each document issued for the inspection, voided ones stamped 作废
    photos/<sha256>.<ext>              the submission's and its answers' photos, the hazards' evidence
    signatures/<sha256>.<ext>          the tablet's and the documents' signature images
    submission.json                    the inspection as read back (answers, inspectors, GPS …)
    hazards/<id>.json                  each hazard with its whole history (transitions)
    audit.json                         the audit entries of all of these, with their chain hashes
    manifest.json                      every other file with its sha256 and size

Everything is read first (``plugins.documents.case_records``), then the PDFs are rendered and the
zip written on a worker thread into an anonymous temporary file, which the API streams and closes
(the system removes it, also when the client goes away). The export is audited as
``case_file.export`` with the manifest's sha256, so an archived copy can be matched to its export.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

import msgspec

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.local_time import localized
from core.storage.attachment_files import attachment_path
from core.storage.audit_log import append_audit, snapshot
from plugins.documents.case_records import CaseRecords, gather_case
from plugins.documents.case_zip import CaseZip, pretty_json, safe_name
from plugins.documents.content import CaseFileCover, CaseFileEntry
from plugins.documents.records import EnforcementDocument
from plugins.documents.rendering import pdf_renderer, render_stored

COVER = "00-卷内目录.pdf"
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@dataclass
class CaseFile:
    """A finished zip in a temporary file (positioned at its start), to stream and close."""

    file: IO[bytes]
    size: int
    filename: str
    manifest_sha256: str


def _day(value: datetime | None) -> str:
    return localized(value).date().isoformat() if value is not None else ""


def pdf_pages(data: bytes) -> int:
    """Pages of a PDF written without object streams (what the renderer writes); 0 if unknown."""
    return len(_PAGE.findall(data))


def attachment_refs(records: CaseRecords) -> tuple[list[str], list[str]]:
    """(photos, signatures) by sha256, each once, in the order they are met; a digest used as a
    signature is filed with the signatures."""
    facts = records.inspection
    signatures = [s.sha256 for s in facts.signatures] + [s.sha256 for rows in records.signatures.values() for s in rows]
    photos = [*facts.photos, *(sha for answer in facts.answers for sha in answer.photos)]
    for hazard in records.hazards:
        photos += [*hazard.evidence, *hazard.rectification_evidence]
        photos += [sha for transition in records.transitions.get(hazard.id, []) for sha in transition.evidence]
    signed = list(dict.fromkeys(signatures))
    return [sha for sha in dict.fromkeys(photos) if sha not in set(signed)], signed


def _closed(records: CaseRecords) -> str:
    """The day the case closed: its last hazard's 销号 (the inspection's day when it found none); ""
    while any hazard is open."""
    if not records.hazards:
        return _day(records.inspection.inspected_at)
    if any(h.status != "closed" or h.closed_at is None for h in records.hazards):
        return ""
    return _day(max(h.closed_at for h in records.hazards if h.closed_at is not None))


def _cover(records: CaseRecords, rendered: list[tuple[EnforcementDocument, bytes]], counts: dict[str, int]) -> CaseFileCover:
    entries: list[CaseFileEntry] = []
    page = 1
    for row, pdf in rendered:
        pages = pdf_pages(pdf)
        span = "" if pages == 0 else (str(page) if pages == 1 else f"{page}-{page + pages - 1}")
        page += pages
        voided = row.status == "voided"
        entries.append(CaseFileEntry(
            number=row.number, title=row.title + ("（作废）" if voided else ""), date=_day(row.issued_at), pages=span,
            note=f"作废：{row.voided_reason}" if voided and row.voided_reason else "",
        ))
    day = _day(records.inspection.inspected_at)
    for title in (
        f"现场照片 {counts['photos']} 张 photos/", f"签名 {counts['signatures']} 个 signatures/", "检查记录数据 submission.json",
        f"隐患闭环记录 {len(records.hazards)} 项 hazards/", f"审计记录 {len(records.audit)} 条 audit.json", "文件清单 manifest.json",
    ):
        entries.append(CaseFileEntry(number="", title=title, date=day))
    in_force = [row for row, _ in rendered if row.status == "issued"]
    authority = records.authority.name if records.authority is not None else ""
    return CaseFileCover(
        authority=authority, case_title=f"{records.enterprise.name}安全生产执法检查案卷",
        case_number=in_force[0].number if in_force else records.inspection.inspection_id, enterprise=records.enterprise.name,
        opened=day, closed=_closed(records), entries=entries,
    )


def _audit_json(records: CaseRecords) -> dict[str, Any]:
    return {
        "note": (
            "hash = sha256 of the JSON object {action, actor_id, actor_name, after, at, before, entity, entity_id, prev} with sorted keys and "
            "no spaces, prev being prev_hash (core/storage/audit_log.py); the whole chain is checked on the server by `anjian audit verify`. "
            "每条审计记录的 hash 由其内容与上一条的 hash 计算，整条链可在服务器上用 anjian audit verify 核对。"
        ),
        "entries": [
            {"seq": e.seq, "at": e.at.isoformat(), "actor_id": e.actor_id, "actor_name": e.actor_name, "action": e.action, "entity": e.entity,
             "entity_id": e.entity_id, "before": e.before, "after": e.after, "prev_hash": e.prev_hash, "hash": e.hash}
            for e in records.audit
        ],
    }


def write_case_file(out: IO[bytes], records: CaseRecords, data_dir: str, now: datetime) -> tuple[str, int]:
    """Render and write the whole zip into ``out`` (blocking: run on a worker thread); the
    manifest's sha256 and how many files it lists."""
    render_document, render_case_cover = pdf_renderer()
    rendered = [(row, render_stored(render_document, row, records.signatures.get(row.id, []), data_dir)) for row in records.documents]
    photos, signatures = attachment_refs(records)
    archive = CaseZip(out)
    files: list[tuple[str, str, Any]] = []
    for folder, refs in (("photos", photos), ("signatures", signatures)):
        for sha in refs:
            files.append((folder, sha, attachment_path(data_dir, sha)))
    counts = {"photos": 0, "signatures": 0}
    # The cover needs the counts of what arrived: look before writing (a stat each).
    for folder, _, path in files:
        counts[folder] += path.exists()
    archive.add(COVER, render_case_cover(_cover(records, rendered, counts)), kind="cover", compress=False)
    for index, (row, pdf) in enumerate(rendered, start=1):
        suffix = "-作废" if row.status == "voided" else ""
        archive.add(f"{index:02d}-{safe_name(row.title)}-{safe_name(row.number)}{suffix}.pdf", pdf, kind="document", compress=False)
    missing = []
    for folder, sha, path in files:
        if archive.add_attachment(folder, sha, path, kind=folder.rstrip("s")) is None:
            missing.append(sha)
    archive.add("submission.json", pretty_json(msgspec.to_builtins(records.inspection)), kind="submission")
    for hazard in records.hazards:
        history = [snapshot(t) for t in records.transitions.get(hazard.id, [])]
        archive.add(f"hazards/{hazard.id}.json", pretty_json({"hazard": snapshot(hazard), "history": history}), kind="hazard")
    archive.add("audit.json", pretty_json(msgspec.to_builtins(_audit_json(records))), kind="audit")
    header = {
        "inspection_id": records.inspection.inspection_id, "enterprise_id": records.enterprise.id, "enterprise": records.enterprise.name,
        "documents": [{"number": row.number, "type": row.type_code, "status": row.status, "content_hash": row.content_hash} for row, _ in rendered],
        "missing_attachments": missing,
    }
    listed = len(archive.files)
    return archive.finish(header, now), listed


async def export_case_file(ctx: Context, principal: Principal, inspection_id: str) -> CaseFile:
    """The case file of an inspection in scope (404 otherwise; 403 for roles without
    ``case_file.export``), written to a temporary file; audited as ``case_file.export``."""
    require(principal.role, "case_file.export")
    records = await gather_case(ctx, principal, inspection_id)
    now = ctx.clock.now()
    out = tempfile.TemporaryFile()
    try:
        manifest_sha, listed = await asyncio.to_thread(write_case_file, out, records, ctx.settings.data_dir, now)
        size = out.tell()
        out.seek(0)
        async with ctx.db.write() as session:
            await append_audit(
                session, actor=principal.actor, action="case_file.export", entity="inspection", entity_id=records.inspection.inspection_id, at=now,
                after={"manifest_sha256": manifest_sha, "files": listed, "bytes": size, "documents": [d.number for d in records.documents]},
            )
    except BaseException:
        out.close()
        raise
    filename = f"{safe_name(records.enterprise.name)}-案卷-{_day(records.inspection.inspected_at)}.zip"
    return CaseFile(file=out, size=size, filename=filename, manifest_sha256=manifest_sha)
