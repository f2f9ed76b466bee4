"""The server's own records about an enterprise, handed to evaluators that ask for them.

An evaluator asks by giving its input type a field ``enterprise_facts`` (``plugins.evaluator.
EnterpriseFacts``). The facts are read here, at evaluation time, and put into the input (replacing
anything a client sent there), so an open listed major hazard (挂牌督办) vetoes a dual-prevention
evaluation even when the assessor's findings say nothing of it, and re-scoring in bulk reads them
afresh. Only facts that say something are stored: an enterprise without them keeps its input
exactly as sent.
"""

from __future__ import annotations

from typing import Any

import msgspec
from sqlmodel import col, select

from core.context import Context
from core.dual_prevention.system_counts import system_counts
from core.hazards.records import Hazard
from plugins.evaluator import EnterpriseFacts

FACTS_FIELD = "enterprise_facts"


def wants_facts(evaluator: Any) -> bool:
    """Whether the evaluator's input declares the host-filled ``enterprise_facts`` field."""
    return FACTS_FIELD in getattr(evaluator.input_type, "__struct_fields__", ())


async def enterprise_facts(ctx: Context, enterprise_id: str) -> EnterpriseFacts:
    """The enterprise's open major hazards under listed supervision (挂牌督办), ids sorted, and the
    counts of its register, check lists, self-checks and hazards (``SystemFact``)."""
    async with ctx.db.read() as session:
        counts = await system_counts(session, enterprise_id, ctx.clock.now())
        ids = (
            await session.exec(
                select(Hazard.id).where(
                    col(Hazard.enterprise_id) == enterprise_id,
                    col(Hazard.level) == "major",
                    col(Hazard.listed_supervision).is_(True),
                    col(Hazard.status) != "closed",
                )
            )
        ).all()
    return EnterpriseFacts(open_listed_major_hazards=sorted(ids), system_counts=counts)  # type: ignore[arg-type]


def with_facts(data: dict[str, Any], facts: EnterpriseFacts) -> dict[str, Any]:
    """``data`` with ``enterprise_facts`` set to ``facts`` (left out when they state nothing)."""
    out = {key: value for key, value in data.items() if key != FACTS_FIELD}
    if facts.open_listed_major_hazards or facts.system_counts is not None:
        out[FACTS_FIELD] = msgspec.to_builtins(facts, order="sorted")
    return out
