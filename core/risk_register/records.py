"""Stored risk points (风险点) and their revisions (every change: who, when, why, what)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Float, ForeignKey, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime


class RiskPoint(SQLModel, table=True):
    """One risk point of one enterprise with its assessment, colour and controls.

    The controls live in the point (a JSON list): they are written, versioned and read together, and
    each keeps a code (``C01`` …) that is never given to another control of the point
    (``control_seq``), so the check item made from a control keeps its code across versions.
    """

    __tablename__ = "risk_point"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "code", name="uq_risk_point_code"),
        Index("ix_risk_point_enterprise", "enterprise_id", "active", "risk_level"),
    )

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    enterprise_id: str = Field(sa_column=Column(String(36), ForeignKey("enterprise.id", ondelete="CASCADE"), nullable=False))
    code: str = Field(sa_column=Column(String(32), nullable=False))
    name: str = Field(sa_column=Column(String(200), nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    location: str = Field(default="", sa_column=Column(String(200), nullable=False))
    posts: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    hazard_factors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    accident_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    assessment: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    direct_judgements: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    risk_level: str = Field(sa_column=Column(String(16), nullable=False))
    controls: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    control_seq: int = 0
    plan_x: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    plan_y: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    plan_area: list[list[float]] | None = Field(default=None, sa_column=Column(JSON, nullable=True))  # polygon, fractions of the plan
    emergency_contact: str = Field(default="", sa_column=Column(String(100), nullable=False))
    active: bool = True
    version: int = 1
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class RiskPointRevision(SQLModel, table=True):
    """The content of a risk point as one change left it, with who made the change, when and why."""

    __tablename__ = "risk_point_revision"
    __table_args__ = (
        UniqueConstraint("risk_point_id", "version", name="uq_risk_point_revision"),
        Index("ix_risk_point_revision_enterprise", "enterprise_id", "at"),
    )

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    risk_point_id: str = Field(sa_column=Column(String(36), ForeignKey("risk_point.id", ondelete="CASCADE"), nullable=False))
    enterprise_id: str = Field(sa_column=Column(String(36), nullable=False))
    version: int
    action: str = Field(sa_column=Column(String(16), nullable=False))  # created / updated / retired
    reason: str = Field(sa_column=Column(String(300), nullable=False))
    actor_id: str = Field(sa_column=Column(String(36), nullable=False))
    actor_name: str = Field(sa_column=Column(String(64), nullable=False))
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
