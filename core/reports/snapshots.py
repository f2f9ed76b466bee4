"""Stored reports: the monthly dispatch summary (月调度) and the quarterly bulletin (季通报).

A snapshot freezes the figures of a closed period as they were computed then. Its ``cells`` are
counts by (region, industry set, level), so a reader sees exactly the cells inside their scope.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime

SNAPSHOT_KINDS = {"monthly_dispatch": "月调度", "quarterly_bulletin": "季通报"}


class ReportSnapshot(SQLModel, table=True):
    """One period's report; unique per (kind, period)."""

    __tablename__ = "report_snapshot"
    __table_args__ = (UniqueConstraint("kind", "period", name="uq_report_snapshot_kind_period"),)

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    kind: str = Field(max_length=32, index=True)
    period: str = Field(max_length=16)
    period_start: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    period_end: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    cells: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
