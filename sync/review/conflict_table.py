"""Hazard-update conflicts: an offline edit based on a version the server has moved past.

The tablet's update is kept here with the server's state at that moment, listed for review and
resolved by a person (re-applied onto the current version, or closed with a note). Never lost.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime


class SyncConflict(SQLModel, table=True):
    """One kept conflicting update; ``status`` is ``open`` or ``resolved``."""

    __tablename__ = "sync_conflict"

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    record_id: str = Field(sa_column=Column(String(36), nullable=False, unique=True))
    hazard_id: str = Field(max_length=36, index=True)
    enterprise_id: str | None = Field(default=None, max_length=36, index=True)
    user_id: str = Field(max_length=36, index=True)
    device_id: str | None = Field(default=None, max_length=36)
    base_version: int
    server_version: int
    update: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    server_state: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    status: str = Field(default="open", max_length=16, index=True)
    resolved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    resolved_by: str | None = Field(default=None, max_length=36)
    resolution_note: str | None = Field(default=None, max_length=500)
