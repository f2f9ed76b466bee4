"""The 行政处罚 case a 行政处罚决定书 is issued from, checked against the document's inspection.

The document is issued for an inspection like every other (its case file, its enterprise); the
case must be of the same enterprise and, when it arose from an inspection, of that inspection.
"""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.scope import Principal
from core.errors import InvalidInput, NotFound
from plugins.documents.penalties.facts import penalty_values
from plugins.documents.penalties.views import load_visible


async def penalty_facts(session: AsyncSession, principal: Principal, penalty_id: str | None, enterprise_id: str, inspection_id: str) -> dict[str, Any] | None:
    """The ``penalty`` facts (None while undecided: reported as missing); 400/404 naming ``penalty_id``."""
    if penalty_id is None:
        raise InvalidInput("penalty_id is required for this document type", "行政处罚决定书须指明行政处罚案件（penalty_id）", field="penalty_id")
    try:
        row, _ = await load_visible(session, principal, penalty_id)
    except NotFound as exc:
        exc.field = "penalty_id"
        raise
    if row.enterprise_id != enterprise_id or (row.inspection_id is not None and row.inspection_id != inspection_id):
        raise InvalidInput(
            "the penalty case is not one of this inspection's enterprise and inspection", "行政处罚案件与该检查记录的企业或检查不一致", field="penalty_id",
        )
    return penalty_values(row)
