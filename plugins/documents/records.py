"""执法文书 as stored: one immutable row per numbered document, and the signatures on it.

A document is never edited: its content is a JSON snapshot of the filled blocks (images by
sha256) with the sha256 of that snapshot, so what was issued can always be shown and checked.
Voiding sets the void fields, nothing else; a correction is a new row naming the one it
``supersedes`` (voided in the same transaction). Signatures are rows of their own because the
enterprise's representative may sign after the number is drawn; the boxes to sign are in the
snapshot (``signature_boxes``), so what is still awaited is always known.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime

DOCUMENT_STATUSES = ("issued", "voided")


class EnforcementDocument(SQLModel, table=True):
    """One numbered enforcement document; ``region_code``/``industries`` copied for scoped counts."""

    __tablename__ = "enforcement_document"
    __table_args__ = (UniqueConstraint("authority_id", "type_code", "year", "seq", name="uq_enforcement_document_seq"),)

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    type_code: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    title: str = Field(max_length=100)
    authority_id: str = Field(sa_column=Column(String(36), ForeignKey("document_authority.id"), nullable=False))
    year: int = Field(sa_column=Column(Integer, nullable=False))
    seq: int = Field(sa_column=Column(Integer, nullable=False))
    number: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    inspection_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True, index=True))
    enterprise_id: str = Field(sa_column=Column(String(36), ForeignKey("enterprise.id"), nullable=False, index=True))
    region_code: str = Field(sa_column=Column(String(9), nullable=False, index=True))
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    hazard_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    content_hash: str = Field(sa_column=Column(String(64), nullable=False))
    status: str = Field(max_length=16)
    voided_reason: str | None = Field(default=None, max_length=300)
    voided_by: str | None = Field(default=None, max_length=36)
    voided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    supersedes: str | None = Field(default=None, sa_column=Column(String(36), nullable=True, index=True))
    issued_by: str | None = Field(default=None, max_length=36)
    issued_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class DocumentSignature(SQLModel, table=True):
    """One signature on one document: the box (``role``) it fills, who signed, the image's sha256.

    ``source`` is ``tablet`` (captured at the inspection, attached at issue) or ``api`` (added
    later); ``signed_by`` is the user who recorded it."""

    __tablename__ = "document_signature"
    __table_args__ = (UniqueConstraint("document_id", "role", name="uq_document_signature_role"),)

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    # Looked up by document: the unique (document_id, role) constraint's index serves it.
    document_id: str = Field(sa_column=Column(String(36), ForeignKey("enforcement_document.id"), nullable=False))
    role: str = Field(max_length=32)
    name: str = Field(default="", max_length=64)
    sha256: str = Field(max_length=64)
    source: str = Field(max_length=16)
    signed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    signed_by: str | None = Field(default=None, max_length=36)
