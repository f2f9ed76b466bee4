"""Stored self-assessment reports (评估报告) and their review by the 联络员."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime

REPORT_STATUSES = ("submitted", "accepted", "returned")
REPORT_STATUS_LABELS = {"submitted": "已提交待审核", "accepted": "联络员已接收", "returned": "已退回"}


class EvaluationReport(SQLModel, table=True):
    """One self-assessment an enterprise sent to its 联络员, and what the 联络员 decided."""

    __tablename__ = "evaluation_report"
    __table_args__ = (Index("ix_evaluation_report_enterprise", "enterprise_id", "submitted_at"), Index("ix_evaluation_report_liaison", "liaison_user_id", "status"))

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    enterprise_id: str = Field(sa_column=Column(String(36), ForeignKey("enterprise.id", ondelete="CASCADE"), nullable=False))
    evaluation_id: str = Field(sa_column=Column(String(36), ForeignKey("evaluation.id", ondelete="CASCADE"), nullable=False))
    liaison_user_id: str = Field(sa_column=Column(String(36), nullable=False))
    status: str = Field(default="submitted", sa_column=Column(String(16), nullable=False))
    note: str = Field(default="", sa_column=Column(String(500), nullable=False))
    submitted_by: str = Field(sa_column=Column(String(36), nullable=False))
    submitted_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    decided_by: str | None = Field(default=None, sa_column=Column(String(36), nullable=True))
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    decision_reason: str = Field(default="", sa_column=Column(String(500), nullable=False))
    version: int = 1
