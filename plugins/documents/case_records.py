"""What goes into an inspection's 电子案卷, read in one go before anything is written.

The inspection as read back (through the reader sync provides), its enterprise and issuing
authority, every document issued for it (voided ones too: a case file keeps what was served) with
their signatures, the hazards it raised with their whole history, and the audit entries of all of
these, in chain order, so the zip can be checked against the audit chain.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.scope import Principal
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import not_found
from core.hazards.records import Hazard, HazardTransition
from core.storage.audit_log import AuditEntry
from plugins.documents.authorities import DocumentAuthority, authority_for
from plugins.documents.facts import read_inspection
from plugins.documents.records import DocumentSignature, EnforcementDocument
from plugins.documents.sources import InspectionFacts
from plugins.documents.views import signatures_of


@dataclass
class CaseRecords:
    """Everything one case file holds, as stored."""

    inspection: InspectionFacts
    enterprise: Enterprise
    authority: DocumentAuthority | None
    documents: list[EnforcementDocument]
    signatures: dict[str, list[DocumentSignature]]
    hazards: list[Hazard]
    transitions: dict[str, list[HazardTransition]]
    audit: list[AuditEntry]

    @property
    def ids(self) -> list[str]:
        """The records whose audit entries belong in the case file."""
        ids = [self.inspection.inspection_id, *(h.id for h in self.hazards), *(d.id for d in self.documents)]
        if self.inspection.submission_id:
            ids.append(self.inspection.submission_id)
        return ids


async def _hazards(session: AsyncSession, hazard_ids: list[str]) -> tuple[list[Hazard], dict[str, list[HazardTransition]]]:
    if not hazard_ids:
        return [], {}
    found = {h.id: h for h in (await session.exec(select(Hazard).where(col(Hazard.id).in_(hazard_ids)))).all()}
    hazards = [found[h] for h in hazard_ids if h in found]
    history: dict[str, list[HazardTransition]] = {h.id: [] for h in hazards}
    rows = await session.exec(
        select(HazardTransition).where(col(HazardTransition.hazard_id).in_(list(history)))
        .order_by(col(HazardTransition.at), col(HazardTransition.resulting_version))
    )
    for row in rows.all():
        history[row.hazard_id].append(row)
    return hazards, history


async def _audit(session: AsyncSession, ids: list[str]) -> list[AuditEntry]:
    rows = await session.exec(select(AuditEntry).where(col(AuditEntry.entity_id).in_(ids)).order_by(col(AuditEntry.seq)))
    return list(rows.all())


async def gather_case(ctx: Context, principal: Principal, inspection_id: str) -> CaseRecords:
    """The case of one inspection; 404 when it is absent or its enterprise is out of scope."""
    facts = await read_inspection(ctx, principal, inspection_id)
    async with ctx.db.read() as session:
        enterprise = await session.get(Enterprise, facts.enterprise_id)
        if enterprise is None or not principal.sees_enterprise(enterprise):
            raise not_found("inspection", "检查记录")
        documents = list((await session.exec(
            select(EnforcementDocument).where(col(EnforcementDocument.inspection_id) == facts.inspection_id)
            .order_by(col(EnforcementDocument.issued_at), col(EnforcementDocument.seq))
        )).all())
        authority = await session.get(DocumentAuthority, documents[0].authority_id) if documents else await authority_for(session, enterprise.region_code)
        signatures = await signatures_of(session, [d.id for d in documents])
        hazards, transitions = await _hazards(session, list(dict.fromkeys(facts.hazard_ids)))
        records = CaseRecords(
            inspection=facts, enterprise=enterprise, authority=authority, documents=documents, signatures=signatures,
            hazards=hazards, transitions=transitions, audit=[],
        )
        records.audit = await _audit(session, records.ids)
    return records
