"""Storage of published checklist versions. A row is written once and never changes its content.

``content`` holds the canonical JSON text exactly as hashed (``checklists.canonical``), so the
stored hash can always be re-checked against it. Retiring a version only sets ``retired_at``.

``owner_enterprise_id`` is set on the versions generated from one enterprise's risk register
(``checklists.generated``, source ``register``): such a version is that enterprise's own, seen only by
those who see the enterprise. Null for every department's and plugin's checklist.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime


class ChecklistVersion(SQLModel, table=True):
    """One published version of one checklist."""

    __tablename__ = "checklist_version"
    __table_args__ = (UniqueConstraint("checklist_id", "version", name="uq_checklist_version"),)

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    checklist_id: str = Field(sa_column=Column(String(128), nullable=False, index=True))
    version: str = Field(max_length=32)
    # The version's numbers, so "greatest version" is an ORDER BY (1.10.0 > 1.9.0).
    major: int = Field(sa_column=Column(Integer, nullable=False))
    minor: int = Field(sa_column=Column(Integer, nullable=False))
    patch: int = Field(sa_column=Column(Integer, nullable=False))
    title: str = Field(max_length=300)
    industry: str = Field(sa_column=Column(String(32), nullable=False, index=True))
    content: str = Field(sa_column=Column(Text, nullable=False))
    content_hash: str = Field(sa_column=Column(String(64), nullable=False))
    # "plugin" (shipped by the plugin named in ``plugin``), "api" (published by a user) or "register"
    # (generated from the risk register of ``owner_enterprise_id``).
    source: str = Field(max_length=16)
    plugin: str | None = Field(default=None, max_length=128)
    published_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    published_by: str | None = Field(default=None, max_length=36)
    retired_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    retired_by: str | None = Field(default=None, max_length=36)
    owner_enterprise_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True, index=True))
