"""Accepted submissions (提交): a completed checklist exactly as the tablet sent it. Never changed.

A correction is a new submission naming the one it ``replaces``. The pinned checklist version
(id, version, content hash) is stored so scoring always uses exactly the version it was made on.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel

from core.storage.db_types import UTCDateTime


class Submission(SQLModel, table=True):
    """One accepted submission; ``received_at`` is the server's clock, the rest the tablet's."""

    __tablename__ = "submission"

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    enterprise_id: str = Field(foreign_key="enterprise.id", index=True, max_length=36)
    region_code: str = Field(max_length=9, index=True)
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    checklist_id: str = Field(sa_column=Column(String(128), nullable=False, index=True))
    checklist_version: str = Field(max_length=32)
    checklist_hash: str = Field(max_length=64)
    inspector_id: str = Field(max_length=36, index=True)
    device_id: str | None = Field(default=None, max_length=36)
    started_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    finished_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    latitude: float | None = None
    longitude: float | None = None
    gps_accuracy_m: float | None = None
    answers: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    notes: str = Field(default="", max_length=4000)
    photos: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    signatures: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # User ids of the other inspectors present (同行执法人员), as the tablet named them; checked on accept.
    co_inspectors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    replaces_id: str | None = Field(default=None, max_length=36, index=True)
    assignment_id: str | None = Field(default=None, max_length=36)
    failed_items: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    hazard_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    content_hash: str = Field(max_length=64)
