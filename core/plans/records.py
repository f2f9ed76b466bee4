"""年度执法检查计划 (inspection plans): a department's year plan over a region and its industries.

A plan must cover every active enterprise in its scope (全覆盖). How often an enterprise is
inspected depends on its risk level (``frequencies``: months between inspections), e.g. major risk
monthly, high quarterly, moderate half-yearly, low yearly; unrated enterprises use ``unrated``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime

FREQUENCY_MONTHS = {"monthly": 1, "bimonthly": 2, "quarterly": 3, "half_yearly": 6, "yearly": 12}
FREQUENCY_LABELS = {"monthly": "每月", "bimonthly": "每两月", "quarterly": "每季度", "half_yearly": "每半年", "yearly": "每年"}
DEFAULT_FREQUENCIES = {"major": "monthly", "high": "quarterly", "moderate": "half_yearly", "low": "yearly", "unrated": "yearly"}


class InspectionPlan(SQLModel, table=True):
    """One year's plan; ``frequencies`` maps a risk level (or ``unrated``) to a frequency name."""

    __tablename__ = "inspection_plan"

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    year: int = Field(index=True)
    title: str = Field(max_length=200)
    region_code: str = Field(max_length=9, index=True)  # a county or a township (nine digits)
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    frequencies: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    active: bool = True
    created_by: str | None = Field(default=None, max_length=36)
    version: int = 1
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
