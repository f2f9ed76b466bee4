"""隐患 (hazards) and their history: the records 闭环管理 (follow every hazard to closure) runs on.

A hazard copies its enterprise's region and industries so scope filters and reports need no join.
``version`` starts at 1 and grows by one on every change, so a tablet's update based on an older
version is detected as a conflict instead of silently overwriting. Every change, status move or
not (deadline extension, marked overdue, escalation), appends a ``HazardTransition``: the history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, String
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime

HAZARD_STATUSES = ("reported", "rectifying", "awaiting_recheck", "closed")
HAZARD_LEVELS = ("general", "major")
OPEN_STATUSES = ("reported", "rectifying", "awaiting_recheck")

HAZARD_STATUS_LABELS = {"reported": "已登记", "rectifying": "整改中", "awaiting_recheck": "待复查", "closed": "已销号"}
HAZARD_LEVEL_LABELS = {"general": "一般隐患", "major": "重大隐患"}


class Hazard(SQLModel, table=True):
    """One found defect of one enterprise, from registration (登记) to closure (销号)."""

    __tablename__ = "hazard"
    __table_args__ = (
        Index("ix_hazard_status_deadline", "status", "deadline"),
        # Counts and lists over a scope (core.hazards.queries.hazards_in_scope): every filter a
        # supervisor's list or the workbench uses, then the enterprise, so the index alone answers them.
        Index("ix_hazard_open", "status", "enterprise_id", "level", "listed_supervision", "deadline", "rectified_at", "region_code"),
        Index("ix_hazard_received", "received_at", "enterprise_id"),
        Index("ix_hazard_closed", "closed_at", "enterprise_id"),
    )

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    enterprise_id: str = Field(sa_column=Column(String(36), ForeignKey("enterprise.id"), nullable=False, index=True))
    region_code: str = Field(sa_column=Column(String(9), nullable=False, index=True))
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    submission_id: str | None = Field(default=None, max_length=36, index=True)
    checklist_id: str | None = Field(default=None, max_length=64)
    checklist_version: str | None = Field(default=None, max_length=32)
    item_code: str | None = Field(default=None, max_length=64)
    level: str = Field(max_length=16, index=True)
    status: str = Field(max_length=24, index=True)
    description: str = Field(max_length=2000)
    location: str = Field(default="", max_length=300)
    found_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    reported_by: str | None = Field(default=None, max_length=36, index=True)
    deadline: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    responsible_person: str = Field(default="", max_length=64)
    rectification_plan: str = Field(default="", max_length=4000)
    listed_supervision: bool = Field(default=False, index=True)
    listed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    listed_reason: str | None = Field(default=None, max_length=300)
    evidence: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    rectification_evidence: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # When the enterprise reported the fix for the current deadline (报告整改完成); None while it has
    # not (a failed recheck clears it). Whether it came before the deadline decides overdue.
    rectified_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    overdue_marked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    version: int = 1
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class HazardTransition(SQLModel, table=True):
    """One entry of a hazard's history: who moved it, when, why, with what evidence.

    ``action`` names the step (``created``, ``order_rectification``, ``report_rectified``,
    ``recheck_passed``, ``recheck_failed``, ``extend_deadline``, ``marked_overdue``,
    ``listed_supervision``); ``from_status`` is None only for ``created``. ``actor_id`` is None
    for the scheduler.
    """

    __tablename__ = "hazard_transition"

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    hazard_id: str = Field(sa_column=Column(String(36), ForeignKey("hazard.id", ondelete="CASCADE"), nullable=False, index=True))
    action: str = Field(max_length=32)
    from_status: str | None = Field(default=None, max_length=24)
    to_status: str = Field(max_length=24)
    actor_id: str | None = Field(default=None, max_length=36)
    actor_name: str = Field(default="", max_length=64)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    reason: str = Field(default="", max_length=2000)
    evidence: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    resulting_version: int
