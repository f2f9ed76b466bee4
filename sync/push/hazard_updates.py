"""Applying one offline hazard update through the hazard lifecycle service (never re-implemented).

The update names the hazard version it was based on; the service refuses a stale one with
``stale_version``, which the push turns into a kept conflict.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.scope import Principal
from core.context import Context
from core.errors import AppError, InvalidInput, NotFound
from core.hazards.service import transition_in_session
from core.hazards.wire import TransitionIn
from sync.push.problems import error_path
from sync.wire import HazardUpdateRecord

_TRANSITION_FIELDS = frozenset(TransitionIn.__struct_fields__)


def transition_of(record: HazardUpdateRecord) -> TransitionIn:
    """The update's transition body, validated; errors name ``transition.<field>``."""
    try:
        return msgspec.convert(record.transition, TransitionIn)
    except msgspec.ValidationError as exc:
        path = error_path(str(exc))
        raise InvalidInput(str(exc), f"隐患变更内容不合法：{exc}", field=f"transition.{path}" if path else "transition", code="validation_error") from exc


def evidence_refs(record: HazardUpdateRecord) -> list[str]:
    """The evidence photos a (validated) update references, each once."""
    evidence = record.transition.get("evidence")
    return list(dict.fromkeys(e for e in evidence if isinstance(e, str))) if isinstance(evidence, list) else []


async def apply_hazard_update(session: AsyncSession, ctx: Context, principal: Principal, record: HazardUpdateRecord, now: datetime) -> dict[str, Any]:
    """Take the update's lifecycle step; returns the outcome kept in the ledger."""
    data = transition_of(record)
    try:
        hazard = await transition_in_session(session, ctx, principal, record.hazard_id, data, base_version=record.base_version)
    except NotFound as exc:
        exc.field = exc.field or "hazard_id"
        raise
    except AppError as exc:
        if exc.field in _TRANSITION_FIELDS and exc.code != "stale_version":
            exc.field = f"transition.{exc.field}"
        raise
    return {"hazard_id": hazard.id, "version": hazard.version}
