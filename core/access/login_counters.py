"""Failed and running logins per attempted username and client address (the lockout's state).

Keyed on the name as typed, not on a user: an unknown name is counted, slowed and locked exactly as
a real one, so the answers never tell which usernames exist. Keyed on the client too: five wrong
guesses from one address lock that name for that address only, so nobody can lock anyone else out.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime


class LoginCounter(SQLModel, table=True):
    """``failures`` counts checked wrong passwords since the last success or lock; ``pending``
    counts passwords being checked right now, so parallel guesses are bounded before any is checked."""

    __tablename__ = "login_counter"
    __table_args__ = (
        UniqueConstraint("username", "client", name="uq_login_counter_username_client"),
        Index("ix_login_counter_last_attempt_at", "last_attempt_at"),
    )

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    username: str = Field(sa_column=Column(String(64), nullable=False))
    client: str = Field(sa_column=Column(String(64), nullable=False))
    failures: int = 0
    pending: int = 0
    locked_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    last_attempt_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
