"""Devices (设备): field tablets enrolled to a user. A revoked device is cut off at once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from core.storage.db_types import UTCDateTime


class Device(SQLModel, table=True):
    """A tablet; its id is generated on the tablet (UUID) and sent at login."""

    __tablename__ = "device"

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    user_id: str = Field(foreign_key="app_user.id", index=True, max_length=36)
    name: str = Field(default="", max_length=100)
    enrolled_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    last_seen_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoked_by: str | None = Field(default=None, max_length=36)
    revoke_reason: str | None = Field(default=None, max_length=500)
