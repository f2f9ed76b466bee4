"""A 行政处罚 case as stored: one row that moves through its stages, never back.

The stages follow 《中华人民共和国行政处罚法》(2021): 立案 (``filed``) by at least two 执法人员
(第四十二条); 告知 (``notified``) of the proposed penalty with its facts, reasons and basis before
any decision (第四十四条); 决定 (``decided``), never heavier than what was proposed because the party
spoke up (第四十五条); 履行 (``fulfilled``) when the fine is paid. Each stage's fields are written
once, by the step that enters it; ``region_code``/``industries`` are copied from the enterprise for
scoped lists.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, String, Text
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime

PENALTY_STAGES = ("filed", "notified", "decided", "fulfilled")
STAGE_LABELS = {"filed": "已立案", "notified": "已告知", "decided": "已决定", "fulfilled": "已履行"}


class PenaltyCase(SQLModel, table=True):
    """One administrative penalty case against an enterprise."""

    __tablename__ = "penalty_case"

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    enterprise_id: str = Field(sa_column=Column(String(36), ForeignKey("enterprise.id"), nullable=False, index=True))
    region_code: str = Field(sa_column=Column(String(9), nullable=False, index=True))
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    inspection_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True, index=True))
    hazard_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(sa_column=Column(String(16), nullable=False, index=True))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    # 立案
    cause: str = Field(sa_column=Column(String(200), nullable=False))
    handlers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    filed_by: str | None = Field(default=None, sa_column=Column(String(36), nullable=True))
    filed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # 告知
    facts: str = Field(default="", sa_column=Column(Text, nullable=False))
    violated: str = Field(default="", sa_column=Column(String(500), nullable=False))
    basis: str = Field(default="", sa_column=Column(String(500), nullable=False))
    proposed: str = Field(default="", sa_column=Column(String(500), nullable=False))
    proposed_fine_yuan: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    notified_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    notified_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # 决定
    statement: str = Field(default="", sa_column=Column(Text, nullable=False))
    hearing: str = Field(default="", sa_column=Column(String(16), nullable=False))
    decision: str = Field(default="", sa_column=Column(String(500), nullable=False))
    fine_yuan: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    payee: str = Field(default="", sa_column=Column(String(200), nullable=False))
    account: str = Field(default="", sa_column=Column(String(64), nullable=False))
    decided_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # 履行
    paid_yuan: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    paid_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    receipt_no: str = Field(default="", sa_column=Column(String(64), nullable=False))
    fulfilment_note: str = Field(default="", sa_column=Column(String(500), nullable=False))
    fulfilled_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
