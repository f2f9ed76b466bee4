"""Stored evaluations (评估记录): one row per run of an evaluator for one enterprise.

Plain storage: core does not know evaluators (they live in plugins). A row keeps the input as
given, its hash, and the explained result, so history can be shown and any input re-scored later
(a standard or evaluator version changes; the old rows stay as they were).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Float, ForeignKey, Index, String
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime


class Evaluation(SQLModel, table=True):
    """One evaluation result. ``score``/``grade``/``risk_level`` repeat result fields for queries."""

    __tablename__ = "evaluation"
    # History of one enterprise (optionally one evaluator), newest first, and the batch's "latest
    # input"; its leading column also serves lookups by enterprise alone.
    __table_args__ = (Index("ix_evaluation_enterprise_evaluator_created", "enterprise_id", "evaluator_id", "created_at"),)

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    enterprise_id: str = Field(
        sa_column=Column(String(36), ForeignKey("enterprise.id", ondelete="CASCADE"), nullable=False)
    )
    evaluator_id: str = Field(sa_column=Column(String(128), nullable=False, index=True))
    evaluator_version: str = Field(sa_column=Column(String(32), nullable=False))
    input: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    input_hash: str = Field(sa_column=Column(String(64), nullable=False))
    result: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    score: float = Field(sa_column=Column(Float, nullable=False))
    maximum: float = Field(sa_column=Column(Float, nullable=False))
    grade: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    risk_level: str | None = Field(default=None, sa_column=Column(String(16), nullable=True))
    # None when the system ran it (the batch re-scoring).
    created_by: str | None = Field(default=None, sa_column=Column(String(36), nullable=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
