"""Stored self-check lists, tasks and the self-checks that fulfil them.

Core may not read the checklist tables or the submissions (they are ``checklists/``'s and
``sync/``'s), so each side hands core what the task planner needs, in its own transaction:

* ``SelfCheckList``: the enterprise's generated check lists (``checklists.generated`` sets them on
  every generation), with their frequency; a list whose level/frequency has no controls left is
  inactive.
* ``SelfCheckRecord``: one accepted self-check on one of those lists, staged by the push in the
  submission's own write set (``sync.push.submission_ingest``), so it exists exactly when the
  submission does.
* ``SelfCheckTask``: a list × period (a day, ISO week, month or quarter) with the number of
  self-checks it needs. System records: made and marked by ``core.self_checks.service``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.storage.db_types import UTCDateTime

TASK_STATUSES = ("due", "done", "missed", "cancelled")
TASK_STATUS_LABELS = {"due": "待完成", "done": "已完成", "missed": "未按期完成", "cancelled": "已取消"}


class SelfCheckList(SQLModel, table=True):
    """One generated check list of one enterprise, as the task planner knows it."""

    __tablename__ = "self_check_list"

    checklist_id: str = Field(sa_column=Column(String(128), primary_key=True))
    enterprise_id: str = Field(sa_column=Column(String(36), ForeignKey("enterprise.id", ondelete="CASCADE"), nullable=False, index=True))
    title: str = Field(sa_column=Column(String(300), nullable=False))
    level: str = Field(sa_column=Column(String(16), nullable=False))
    frequency: str = Field(sa_column=Column(String(16), nullable=False))
    active: bool = True
    # Tasks start with the period this falls in (set again when an inactive list comes back).
    active_since: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class SelfCheckTask(SQLModel, table=True):
    """One list's checks due in one period. ``id`` is derived from (list, period), so planning the
    same period twice finds the same task."""

    __tablename__ = "self_check_task"
    __table_args__ = (
        UniqueConstraint("checklist_id", "period", name="uq_self_check_task"),
        Index("ix_self_check_task_enterprise", "enterprise_id", "starts_at"),
        Index("ix_self_check_task_status", "status", "ends_at"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    enterprise_id: str = Field(sa_column=Column(String(36), ForeignKey("enterprise.id", ondelete="CASCADE"), nullable=False))
    checklist_id: str = Field(sa_column=Column(String(128), nullable=False))
    title: str = Field(sa_column=Column(String(300), nullable=False))
    level: str = Field(sa_column=Column(String(16), nullable=False))
    frequency: str = Field(sa_column=Column(String(16), nullable=False))
    period: str = Field(sa_column=Column(String(16), nullable=False))  # 2026-03-02, 2026-W10, 2026-03, 2026-Q1
    starts_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    ends_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    required: int = Field(sa_column=Column(Integer, nullable=False))
    done_count: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    status: str = Field(default="due", sa_column=Column(String(16), nullable=False))
    done_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class SelfCheckRecord(SQLModel, table=True):
    """One accepted self-check (an enterprise user's submission on a generated list)."""

    __tablename__ = "self_check_record"
    __table_args__ = (Index("ix_self_check_record_list", "checklist_id", "finished_at"),)

    submission_id: str = Field(sa_column=Column(String(36), primary_key=True))
    enterprise_id: str = Field(sa_column=Column(String(36), ForeignKey("enterprise.id", ondelete="CASCADE"), nullable=False, index=True))
    checklist_id: str = Field(sa_column=Column(String(128), nullable=False))
    checklist_version: str = Field(sa_column=Column(String(32), nullable=False))
    finished_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    failed_items: int = Field(default=0, sa_column=Column(Integer, nullable=False))
