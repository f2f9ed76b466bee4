"""Quarantine (隔离区): rejected records kept with the reason, so no inspector's work is lost.

Written in its own transaction, after the rejected record's transaction rolled back. A tablet that
sends the same rejected record again bumps ``attempts`` instead of adding rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime


class QuarantinedRecord(SQLModel, table=True):
    """One rejected record; ``status`` is ``open``, ``reingested`` or ``dismissed``."""

    __tablename__ = "sync_quarantine"

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    record_id: str | None = Field(default=None, max_length=128, index=True)
    kind: str | None = Field(default=None, max_length=32)
    content_hash: str | None = Field(default=None, max_length=64, index=True)
    user_id: str = Field(max_length=36, index=True)
    device_id: str | None = Field(default=None, max_length=36)
    payload: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    code: str = Field(max_length=64)
    field: str | None = Field(default=None, max_length=300)
    reason: str = Field(default="", max_length=2000)
    reason_zh: str | None = Field(default=None, max_length=2000)
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    last_received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    attempts: int = 1
    status: str = Field(default="open", max_length=16, index=True)
    resolved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    resolved_by: str | None = Field(default=None, max_length=36)
    resolution_note: str | None = Field(default=None, max_length=500)
