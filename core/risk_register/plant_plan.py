"""The enterprise's plant plan (厂区平面图): the image its risk points are placed on for the 四色分布图."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String
from sqlmodel import Field, SQLModel

from core.storage.db_types import UTCDateTime


class PlantPlan(SQLModel, table=True):
    """The current plan image of one enterprise (content-addressed file under ``data_dir/attachments``).

    Points keep their place as fractions of the width and height (``RiskPoint.plan_x/plan_y``), so a
    new scan of the same plan at another resolution keeps them where they were."""

    __tablename__ = "plant_plan"

    enterprise_id: str = Field(sa_column=Column(String(36), ForeignKey("enterprise.id", ondelete="CASCADE"), primary_key=True))
    sha256: str = Field(sa_column=Column(String(64), nullable=False))
    content_type: str = Field(sa_column=Column(String(32), nullable=False))
    width: int
    height: int
    version: int = 1
    uploaded_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    uploaded_by: str = Field(sa_column=Column(String(36), nullable=False))
