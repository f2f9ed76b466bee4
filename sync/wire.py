"""Wire types of the tablet protocol (JSON or MessagePack; see docs/sync.md).

Records a tablet pushes are a tagged union on ``kind``. Each record is decoded on its own, so one
malformed record is rejected with its field path while the rest of the batch is stored.

Decoding is where a record is made safe to store: every value must fit where it will be kept (times
within the calendar in UTC, numbers finite, versions within the column), so a value no database
could hold rejects its own record, never the batch it came in. And every id is canonical (lower
case) from here on, so the identity hash, the ledger and every lookup see one spelling of it.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from core.hazards.wire import HazardVersion
from core.ids import canonical_uuid
from core.wire import check_instants

Uuid = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
Sha256 = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$", description="小写十六进制 sha256")]
Text = Annotated[str, msgspec.Meta(max_length=4000)]
ItemCode = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
AnswerKey = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
AnswerResult = Literal["pass", "fail", "na"]
Instant = Annotated[datetime, msgspec.Meta(tz=True, description="带时区的时间（ISO 8601）")]
# Finite (NaN and infinities are refused): MessagePack carries them, and no stored answer should.
Number = Annotated[float, msgspec.Meta(ge=-sys.float_info.max, le=sys.float_info.max)]
MAX_CO_INSPECTORS = 5


def _canonical(value: str | None) -> str | None:
    """A UUID-shaped reference in its canonical lower-case form; anything else as it is (it then
    names nothing and is refused where it is looked up)."""
    return value if value is None else canonical_uuid(value) or value


class _Wire(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, omit_defaults=True, gc=False):
    """Unknown fields are refused: a misspelt field must not be silently dropped from a record.

    Not tracked by the cyclic garbage collector (``gc=False``): decoded from a request, these hold
    only strings, numbers and other such structs, so they can be part of no reference cycle. A
    50-submission push decodes 6,000 answers kept alive until it is answered; tracked, they set
    off a collection of the young generation about once per request (decoding 25 % slower)."""


class Gps(_Wire, kw_only=True):
    latitude: Annotated[float, msgspec.Meta(ge=-90, le=90)]
    longitude: Annotated[float, msgspec.Meta(ge=-180, le=180)]
    accuracy_m: Annotated[float, msgspec.Meta(ge=0, le=sys.float_info.max)] | None = None


class ItemAnswer(_Wire, kw_only=True):
    """One item's answer. ``result`` for pass/fail items; ``value`` for number/text items."""

    result: AnswerResult | None = None
    value: Number | str | None = None
    note: Text = ""
    photos: list[Sha256] = msgspec.field(default_factory=list)


class Signature(_Wire, kw_only=True):
    """A signature image (by sha256) and who signed: the inspector or the enterprise's person."""

    role: Annotated[str, msgspec.Meta(max_length=32)]
    name: Annotated[str, msgspec.Meta(max_length=64)] = ""
    sha256: Sha256


class TabletHazard(_Wire, kw_only=True):
    """A hazard the tablet created offline, usually for a failed item (``item_code``)."""

    id: Uuid
    description: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    item_code: ItemCode | None = None
    level: Literal["general", "major"] | None = None
    location: Annotated[str, msgspec.Meta(max_length=300)] = ""
    found_at: Instant | None = None
    responsible_person: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    rectification_plan: Annotated[str, msgspec.Meta(max_length=4000)] | None = None
    evidence: list[Sha256] = msgspec.field(default_factory=list)

    def __post_init__(self) -> None:
        self.id = self.id.lower()
        check_instants(self, "found_at")


class SubmissionRecord(_Wire, tag="submission", tag_field="kind", kw_only=True):
    """A completed checklist as the tablet made it (immutable once accepted)."""

    id: Uuid
    enterprise_id: Annotated[str, msgspec.Meta(min_length=1, max_length=36)]
    checklist_id: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
    checklist_version: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
    checklist_hash: Sha256
    started_at: Instant
    finished_at: Instant
    # Keys are only length-checked here: every key must name an item of the pinned version, which
    # the ingest checks (``unknown_item``, naming the key); a pattern per key cost ~1.5 µs × 120.
    answers: dict[AnswerKey, ItemAnswer]
    gps: Gps | None = None
    notes: Text = ""
    photos: list[Sha256] = msgspec.field(default_factory=list)
    signatures: list[Signature] = msgspec.field(default_factory=list)
    hazards: list[TabletHazard] = msgspec.field(default_factory=list)
    replaces: Uuid | None = None
    assignment_id: Annotated[str, msgspec.Meta(max_length=36)] | None = None
    # The other inspectors present (同行执法人员), by user id; checked on accept (sync/push/co_inspectors.py).
    co_inspectors: Annotated[list[Uuid], msgspec.Meta(max_length=MAX_CO_INSPECTORS)] = msgspec.field(default_factory=list)

    def __post_init__(self) -> None:
        self.id = self.id.lower()
        self.enterprise_id = _canonical(self.enterprise_id)  # type: ignore[assignment]
        self.replaces = _canonical(self.replaces)
        self.assignment_id = _canonical(self.assignment_id)
        if self.co_inspectors:
            self.co_inspectors = [user_id.lower() for user_id in self.co_inspectors]
        check_instants(self, "started_at", "finished_at")


class HazardUpdateRecord(_Wire, tag="hazard_update", tag_field="kind", kw_only=True):
    """A change to a hazard made offline, based on the hazard ``version`` the tablet had.

    ``transition`` is the hazard lifecycle's transition body (``core.hazards.service.TransitionIn``).
    """

    id: Uuid
    hazard_id: Annotated[str, msgspec.Meta(min_length=1, max_length=36)]
    base_version: HazardVersion
    transition: dict[str, Any]
    made_at: Instant | None = None

    def __post_init__(self) -> None:
        self.id = self.id.lower()
        self.hazard_id = _canonical(self.hazard_id)  # type: ignore[assignment]
        check_instants(self, "made_at")


PushRecord = SubmissionRecord | HazardUpdateRecord


class PushEnvelope(msgspec.Struct, kw_only=True):
    """The push body: records are kept raw here and decoded one by one."""

    records: Annotated[list[msgspec.Raw], msgspec.Meta(max_length=500)]


PushStatus = Literal["accepted", "duplicate", "conflict", "rejected"]


class Problem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One thing wrong with a rejected record: the field (dotted path) and why."""

    code: str
    field: str | None = None
    message: str
    message_zh: str | None = None


class PushResult(msgspec.Struct, kw_only=True, omit_defaults=True):
    """The outcome of one record; the tablet removes the record from its outbox on any result.

    A rejected record lists every problem found in ``problems``; ``code``/``field``/``message`` are
    the first of them (what clients read before ``problems`` existed)."""

    id: str
    status: PushStatus
    index: int = 0
    kind: str | None = None
    code: str | None = None
    field: str | None = None
    message: str | None = None
    message_zh: str | None = None
    first_status: str | None = None
    received_at: datetime | None = None
    missing_attachments: list[str] = msgspec.field(default_factory=list)
    hazard_ids: list[str] = msgspec.field(default_factory=list)
    # The inspection an accepted inspector's submission recorded: its documents are asked for by it.
    inspection_id: str | None = None
    conflict_id: str | None = None
    quarantine_id: str | None = None
    current: dict[str, Any] | None = None
    problems: list[Problem] = msgspec.field(default_factory=list)


class PushOut(msgspec.Struct, kw_only=True):
    results: list[PushResult]
    server_time: datetime


class PullItem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One record's current state (``op`` = ``upsert``) or a tombstone (``op`` = ``delete``)."""

    entity: str
    id: str
    op: Literal["upsert", "delete"]
    seq: int
    data: dict[str, Any] | None = None


class PullOut(msgspec.Struct, kw_only=True):
    items: list[PullItem]
    cursor: str
    has_more: bool
    reset: bool
    server_time: datetime


class QuarantineOut(msgspec.Struct, kw_only=True):
    id: str
    record_id: str | None
    kind: str | None
    user_id: str
    device_id: str | None
    payload: Any
    content_hash: str | None
    code: str
    field: str | None
    reason: str
    reason_zh: str | None
    received_at: datetime
    last_received_at: datetime
    attempts: int
    status: str
    resolved_at: datetime | None
    resolved_by: str | None
    resolution_note: str | None


class ReingestIn(_Wire, kw_only=True):
    """Re-ingest a quarantined record, usually with a corrected payload (default: as stored)."""

    payload: dict[str, Any] | None = None
    note: Annotated[str, msgspec.Meta(max_length=500)] = ""


class DismissIn(_Wire, kw_only=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class ConflictOut(msgspec.Struct, kw_only=True):
    id: str
    record_id: str
    hazard_id: str
    user_id: str
    device_id: str | None
    base_version: int
    server_version: int
    update: dict[str, Any]
    server_state: dict[str, Any]
    created_at: datetime
    status: str
    resolved_at: datetime | None
    resolved_by: str | None
    resolution_note: str | None


class ResolveConflictIn(_Wire, kw_only=True):
    """Close a conflict: ``reapply`` applies the tablet's update onto the current version."""

    note: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    reapply: bool = False


class AttachmentStatus(msgspec.Struct, kw_only=True):
    sha256: str
    complete: bool
    received: int
    max_bytes: int
