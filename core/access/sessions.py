"""Login sessions and their rotating refresh tokens.

A session is one refresh-token family. Every refresh uses up the presented token and issues the
next; presenting a used token again means it was stolen, so the whole family is revoked.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime


class AuthSession(SQLModel, table=True):
    """One login; access tokens name it (``sid``) and stop working once it is revoked."""

    __tablename__ = "auth_session"

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    user_id: str = Field(foreign_key="app_user.id", index=True, max_length=36)
    device_id: str | None = Field(default=None, foreign_key="device.id", index=True, max_length=36)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoke_reason: str | None = Field(default=None, max_length=100)


class RefreshToken(SQLModel, table=True):
    """A refresh token, stored only as its sha256."""

    __tablename__ = "refresh_token"

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    session_id: str = Field(
        sa_column=Column(String(36), ForeignKey("auth_session.id", ondelete="CASCADE"), index=True, nullable=False)
    )
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    issued_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
