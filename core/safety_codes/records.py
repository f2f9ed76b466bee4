"""Stored safety codes: the random token a QR code carries, per enterprise or risk point."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, String
from sqlmodel import Field, SQLModel

from core.storage.db_types import UTCDateTime


class SafetyCode(SQLModel, table=True):
    """One QR token. The public page is found by the token alone, never by an id, so a printed
    code reveals nothing else and can be replaced (``revoked_at``) if a sign is misused."""

    __tablename__ = "safety_code"
    __table_args__ = (Index("ix_safety_code_subject", "subject", "subject_id"),)

    token: str = Field(sa_column=Column(String(32), primary_key=True))
    subject: str = Field(sa_column=Column(String(16), nullable=False))  # enterprise / risk_point
    subject_id: str = Field(sa_column=Column(String(36), nullable=False))
    enterprise_id: str = Field(sa_column=Column(String(36), nullable=False, index=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
