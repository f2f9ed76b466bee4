"""The identity ledger: every record id a tablet ever pushed, with the hash of its content.

The id is the tablet's; the hash is what makes a replay recognisable (same id, same hash:
``duplicate``) and a reused id refusable (same id, other hash: ``id_in_use``). A row is written in
the same transaction as the record's effects, so a ledger row exists exactly when the record
was stored (accepted, or kept as a conflict).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel

from core.storage.db_types import UTCDateTime


class SyncRecord(SQLModel, table=True):
    """One pushed record: ``status`` is the first answer (``accepted`` or ``conflict``)."""

    __tablename__ = "sync_record"

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    kind: str = Field(max_length=32)
    content_hash: str = Field(sa_column=Column(String(64), nullable=False))
    status: str = Field(max_length=16)
    user_id: str = Field(max_length=36, index=True)
    device_id: str | None = Field(default=None, max_length=36)
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # What the first answer said beyond the status (created hazard ids, conflict id), for replays.
    outcome: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


def ledger_row(*, record_id: str, kind: str, content_hash: str, status: str, user_id: str, device_id: str | None, received_at: datetime, outcome: dict) -> dict:
    """The column values of one ledger row."""
    return {
        "id": record_id, "kind": kind, "content_hash": content_hash, "status": status, "user_id": user_id,
        "device_id": device_id, "received_at": received_at, "outcome": outcome,
    }
