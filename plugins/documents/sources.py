"""The recorded facts a document is made from, read through sync (which plugins may not import).

Submissions are stored by sync (``sync/push/submissions.py``); ``sync/document_source.py`` implements
:data:`InspectionReader` and ``server.py`` wires it with :func:`provide_inspections`, as it does for
evaluations (``plugins/evaluations/submissions.py``). Without a reader, issuing from an inspection is
refused, never guessed at.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import msgspec

from core.access.scope import Principal
from core.context import Context


class SignatureFact(msgspec.Struct, kw_only=True, frozen=True):
    role: str  # as the tablet sent it: "inspector", "enterprise", …
    name: str
    sha256: str


class InspectorFact(msgspec.Struct, kw_only=True, frozen=True):
    user_id: str
    display_name: str
    enforcement_card_no: str  # 执法证号; "" when the user has none


class AnswerFact(msgspec.Struct, kw_only=True, frozen=True):
    item_code: str
    result: str | None  # pass / fail / na
    value: Any = None
    note: str = ""
    photos: list[str] = msgspec.field(default_factory=list)


class InspectionFacts(msgspec.Struct, kw_only=True, frozen=True):
    """An inspection with its accepted submission, as read back in the caller's scope."""

    inspection_id: str
    submission_id: str | None
    enterprise_id: str
    inspected_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    inspectors: list[InspectorFact]  # the pushing inspector first, then the co-inspectors
    checklist_id: str | None
    checklist_version: str | None
    checklist_hash: str | None
    answers: list[AnswerFact]  # in the checklist's item order
    notes: str
    latitude: float | None
    longitude: float | None
    photos: list[str]  # sha256 of the submission's photos
    signatures: list[SignatureFact]
    hazard_ids: list[str]


# Returns None when the inspection does not exist or is outside the principal's scope (→ 404).
InspectionReader = Callable[[Context, Principal, str], Awaitable[InspectionFacts | None]]


class _Source:
    reader: InspectionReader | None = None


def provide_inspections(reader: InspectionReader) -> None:
    """Wire the reader of inspections with their submissions (``server.py`` hands sync's in)."""
    _Source.reader = reader


def inspection_reader() -> InspectionReader | None:
    return _Source.reader
