"""Request and response bodies of the hazard API, and a hazard's response form."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import msgspec

from core.hazards.deadlines import is_overdue, overdue_days
from core.hazards.records import Hazard, HazardTransition
from core.ids import canonical_uuid
from core.wire import check_instants

HazardLevel = Literal["general", "major"]
HazardStatus = Literal["reported", "rectifying", "awaiting_recheck", "closed"]
Sha256 = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$", description="附件（照片）的 SHA-256")]
AwareDateTime = Annotated[datetime, msgspec.Meta(tz=True)]
Evidence = Annotated[list[Sha256], msgspec.Meta(max_length=50)]
# ``hazard.version`` is a 32-bit INTEGER column: a larger version names none, and PostgreSQL would
# refuse to even compare with it (a tablet's update kept as a conflict stores it). A version below
# 1 is merely stale (409), as it always was through the API; a tablet's update names a real one.
MAX_VERSION = 2**31 - 1
HazardVersion = Annotated[int, msgspec.Meta(ge=1, le=MAX_VERSION, description="隐患版本号")]


class HazardIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A newly found hazard. Giving ``deadline`` (and ``responsible_person``; a major hazard also
    ``rectification_plan``) orders rectification at once: the hazard starts in ``rectifying``."""

    enterprise_id: str
    level: HazardLevel
    description: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    location: Annotated[str, msgspec.Meta(max_length=300)] = ""
    id: str | None = None
    item_code: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    checklist_id: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    checklist_version: Annotated[str, msgspec.Meta(max_length=32)] | None = None
    submission_id: Annotated[str, msgspec.Meta(max_length=36)] | None = None
    found_at: AwareDateTime | None = None
    deadline: AwareDateTime | None = None
    responsible_person: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    rectification_plan: Annotated[str, msgspec.Meta(max_length=4000)] | None = None
    evidence: Evidence = msgspec.field(default_factory=list)

    def __post_init__(self) -> None:
        # Ids in canonical lower case: the one spelling stored and looked up.
        self.enterprise_id = canonical_uuid(self.enterprise_id) or self.enterprise_id
        if self.id is not None:
            self.id = canonical_uuid(self.id) or self.id
        if self.submission_id is not None:
            self.submission_id = canonical_uuid(self.submission_id) or self.submission_id
        check_instants(self, "found_at", "deadline")


class TransitionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A requested step: the target status plus what that step needs.

    - ``reported → rectifying``: ``deadline`` (future), ``responsible_person``; a major hazard also
      ``rectification_plan`` (整改方案).
    - ``rectifying → awaiting_recheck``: ``evidence`` (photos of the fix), optional ``reason``.
    - ``awaiting_recheck → closed``: recheck passed; optional ``evidence``/``reason``.
    - ``awaiting_recheck → rectifying``: recheck failed; ``reason`` and a new future ``deadline``.
    - ``rectifying → rectifying``: deadline extension (department admin); ``reason`` and a
      ``deadline`` later than the current one.
    ``recheck_passed``, when given, must agree with the target status. ``base_version`` refuses a
    step based on a stale copy (409 ``stale_version``).
    """

    to_status: HazardStatus
    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    deadline: AwareDateTime | None = None
    responsible_person: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    rectification_plan: Annotated[str, msgspec.Meta(max_length=4000)] | None = None
    evidence: Evidence = msgspec.field(default_factory=list)
    recheck_passed: bool | None = None
    base_version: Annotated[int, msgspec.Meta(ge=-MAX_VERSION, le=MAX_VERSION)] | None = None

    def __post_init__(self) -> None:
        check_instants(self, "deadline")


class HazardOut(msgspec.Struct, kw_only=True):
    """A hazard as users and tablets see it; ``overdue``/``overdue_days`` are derived at read time."""

    id: str
    enterprise_id: str
    region_code: str
    industries: list[str]
    submission_id: str | None
    checklist_id: str | None
    checklist_version: str | None
    item_code: str | None
    level: str
    status: str
    description: str
    location: str
    found_at: datetime | None
    received_at: datetime
    reported_by: str | None
    deadline: datetime | None
    responsible_person: str
    rectification_plan: str
    listed_supervision: bool
    listed_at: datetime | None
    listed_reason: str | None
    evidence: list[str]
    rectification_evidence: list[str]
    rectified_at: datetime | None = None  # when the fix was reported: after the deadline, it stays overdue until the recheck
    closed_at: datetime | None
    overdue: bool
    overdue_days: int
    version: int
    created_at: datetime
    updated_at: datetime


class HazardStepOut(HazardOut, kw_only=True):
    """A hazard after a lifecycle step, with the step's evidence photos the server has not received
    yet (``missing_attachments``: upload them; a hazard closes only on evidence that arrived)."""

    missing_attachments: list[str] = msgspec.field(default_factory=list)


class TransitionOut(msgspec.Struct, kw_only=True):
    """One history entry."""

    id: str
    action: str
    from_status: str | None
    to_status: str
    actor_id: str | None
    actor_name: str
    at: datetime
    reason: str
    evidence: list[str]
    data: dict[str, Any]
    resulting_version: int


class AllowedStep(msgspec.Struct, kw_only=True):
    """A step the caller may take now."""

    action: str
    to_status: str
    label_zh: str


class HazardDetailOut(msgspec.Struct, kw_only=True):
    """A hazard with its history and what the caller may do next."""

    hazard: HazardOut
    history: list[TransitionOut]
    allowed: list[AllowedStep]


def hazard_out(h: Hazard, now: datetime | None = None) -> HazardOut:
    """The response form of a hazard; pass ``ctx.clock.now()`` as ``now`` (default: real time)."""
    now = now or datetime.now(UTC)
    data = h.model_dump()
    data["overdue"] = is_overdue(h, now)
    data["overdue_days"] = overdue_days(h, now)
    return msgspec.convert(data, HazardOut)


def transition_out(t: HazardTransition) -> TransitionOut:
    """The response form of a history entry."""
    return msgspec.convert(t.model_dump(), TransitionOut)
