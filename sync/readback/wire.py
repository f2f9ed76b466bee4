"""The body of ``GET /api/v1/inspections/{id}``: an inspection with its accepted submission.

Everything here is what was recorded, never recomputed: the answers and signatures as the tablet
sent them, the checklist as the version the submission pinned, the inspectors as named then (with
their current names and 执法证号). An inspection the office typed in (a paper visit) has no
submission: ``submission`` is null and ``inspectors`` holds only the one who recorded it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import msgspec


class InspectorOut(msgspec.Struct, kw_only=True):
    """One officer of the inspection: the one who recorded it (``lead``) or one named present (``co``)."""

    user_id: str
    display_name: str  # the user's display name, else their username; "" for a user no longer stored
    enforcement_card_no: str | None  # 执法证号
    part: Literal["lead", "co"]


class ChecklistRef(msgspec.Struct, kw_only=True):
    """The checklist version the submission pinned (``title`` null when that version is not stored)."""

    id: str
    version: str
    hash: str
    title: str | None


class AnswerOut(msgspec.Struct, kw_only=True):
    """One item's answer as sent: ``result`` pass/fail/na, or ``value`` for number and text items."""

    item_code: str
    item_text: str | None  # the item's text in the pinned version
    result: str | None
    value: Any
    note: str
    photos: list[str]
    failed: bool  # as the server judged it on accept (the submission's ``failed_items``)


class PhotoOut(msgspec.Struct, kw_only=True):
    """A photo the submission references: of the whole visit (``item_code`` null) or of one answer."""

    sha256: str
    item_code: str | None
    caption: str | None  # the tablet sends no captions yet: null


class SignatureOut(msgspec.Struct, kw_only=True):
    role: str  # as the tablet sent it: "inspector", "enterprise", …
    name: str
    sha256: str


class GpsOut(msgspec.Struct, kw_only=True):
    latitude: float
    longitude: float
    accuracy_m: float | None


class SubmissionOut(msgspec.Struct, kw_only=True):
    """The accepted submission; times as the tablet sent them but ``received_at`` (the server's)."""

    id: str
    checklist: ChecklistRef
    started_at: datetime
    finished_at: datetime
    received_at: datetime
    gps: GpsOut | None
    answers: list[AnswerOut]  # in the checklist's item order
    notes: str
    photos: list[PhotoOut]  # the visit's photos first, then each answer's, in item order
    signatures: list[SignatureOut]
    failed_items: list[str]
    co_inspectors: list[str]
    replaces: str | None
    replaced_by: list[str]  # corrections accepted later, naming this submission


class InspectionReadOut(msgspec.Struct, kw_only=True):
    """An inspection as recorded, with its submission (null for one typed in by the office)."""

    id: str
    enterprise_id: str
    enterprise_name: str
    inspector_id: str
    assignment_id: str | None
    inspected_at: datetime
    recorded_at: datetime
    region_code: str
    industries: list[str]
    inspectors: list[InspectorOut]  # the one who recorded it first, then the co-inspectors as named
    hazard_ids: list[str]  # the hazards its submission created
    submission: SubmissionOut | None
