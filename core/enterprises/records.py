"""企业 / 一企一档: the enterprise file, the record every inspection, hazard and score hangs on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, String
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime


class Enterprise(SQLModel, table=True):
    """A regulated business (生产经营单位). ``version`` increments on every change."""

    __tablename__ = "enterprise"
    # A scope (core.access.scope.Principal.enterprise_conditions: region, grid) checked from the
    # index alone when a count builds its list of enterprises in scope (core.hazards.queries.hazards_in_scope).
    __table_args__ = (Index("ix_enterprise_scope", "id", "region_code", "grid_code"),)

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    name: str = Field(max_length=200, index=True)
    uscc: str = Field(sa_column=Column(String(18), unique=True, nullable=False))
    uscc_override_reason: str | None = Field(default=None, max_length=500)
    region_code: str = Field(foreign_key="region.code", index=True, max_length=9)  # a county or a township
    grid_code: str | None = Field(default=None, foreign_key="grid.code", max_length=32)
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    scale: str = Field(max_length=16)
    high_risk_flags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The facts the dual-prevention work (双重预防) reads: 工贸 sectors of 《工贸企业重大事故隐患判定标准》
    # (only with industry ``industrial_trade``), 生产类/仓储类, and who manages safety.
    production_kind: str | None = Field(default=None, max_length=16)
    sectors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    safety_office: bool | None = None  # 设置安全生产管理机构
    safety_staff_full_time: int | None = None  # 专职安全生产管理人员数
    safety_staff_part_time: int | None = None  # 兼职安全生产管理人员数
    # 联络员: an inspector whose scope covers this enterprise. No foreign key: app_user already
    # references enterprise (an enterprise user's own), and a cycle would need ALTER on SQLite.
    liaison_user_id: str | None = Field(default=None, max_length=36, index=True)
    risk_level: str | None = Field(default=None, max_length=16, index=True)
    legal_representative: str = Field(default="", max_length=64)
    safety_manager: str = Field(default="", max_length=64)
    safety_manager_phone: str = Field(default="", max_length=32)
    address: str = Field(default="", max_length=300)
    longitude: float | None = None
    latitude: float | None = None
    blacklisted: bool = False
    active: bool = True
    version: int = 1
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class EnterpriseIndustry(SQLModel, table=True):
    """One row per (enterprise, industry): lets scope filters use an index on both databases."""

    __tablename__ = "enterprise_industry"
    __table_args__ = (Index("ix_enterprise_industry_scope", "industry", "enterprise_id"),)  # an industry's enterprises, from the index alone

    enterprise_id: str = Field(
        sa_column=Column(String(36), ForeignKey("enterprise.id", ondelete="CASCADE"), primary_key=True)
    )
    industry: str = Field(sa_column=Column(String(32), primary_key=True, index=True))
