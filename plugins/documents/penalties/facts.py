"""What a 行政处罚决定书 says, from its case: the ``penalty.*`` facts of the ``penalty`` source.

Only a decided (or fulfilled) case has a decision to print; before that the facts are absent and
issuing is refused naming them.
"""

from __future__ import annotations

from typing import Any

from plugins.documents.dates import date_text
from plugins.documents.penalties.records import PenaltyCase
from plugins.documents.penalties.wire import HEARING_LABELS


def penalty_values(row: PenaltyCase) -> dict[str, Any] | None:
    """The ``penalty`` facts, or None while the case has no decision."""
    if row.status not in ("decided", "fulfilled"):
        return None
    return {
        "id": row.id, "cause": row.cause, "facts": row.facts, "violated": row.violated, "basis": row.basis,
        "decision": row.decision, "fine": f"{row.fine_yuan}元" if row.fine_yuan else "", "payee": row.payee, "account": row.account,
        "notified_on": date_text(row.notified_on), "decided_on": date_text(row.decided_on), "statement_text": _statement_text(row),
    }


def _statement_text(row: PenaltyCase) -> str:
    said = f"你单位提出的陈述、申辩意见：{row.statement}" if row.statement else "你单位未提出陈述、申辩意见"
    return f"{said}；{HEARING_LABELS.get(row.hearing, '')}。"
