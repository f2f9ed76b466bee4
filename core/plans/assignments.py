"""检查任务 (assignments): one enterprise to inspect by one inspector within a dated window.

Made by an annual plan (``kind="plan"``) or a random draw (``kind="random_draw"``). Every change
appends a change row addressed to the inspector (``user_id``), so their tablet receives it by pull.
``slot_key`` identifies the slot (plan × enterprise × period, or draw × enterprise × inspector) so
generating twice never duplicates.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, ForeignKey, String
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime

ASSIGNMENT_STATUSES = ("pending", "done", "cancelled")


class Assignment(SQLModel, table=True):
    """One inspection to be made; ``due_from``..``due_until`` are inclusive local dates."""

    __tablename__ = "assignment"

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    slot_key: str = Field(sa_column=Column(String(160), nullable=False, unique=True))
    kind: str = Field(max_length=16)
    plan_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True, index=True))
    draw_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True, index=True))
    enterprise_id: str = Field(sa_column=Column(String(36), ForeignKey("enterprise.id"), nullable=False, index=True))
    inspector_id: str = Field(sa_column=Column(String(36), ForeignKey("app_user.id"), nullable=False, index=True))
    region_code: str = Field(max_length=9)
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    due_from: date = Field(index=True)
    due_until: date
    status: str = Field(default="pending", max_length=16, index=True)
    inspection_id: str | None = Field(default=None, max_length=36)
    completed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    version: int = 1
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
