"""Users: a role and a scope (region subtree × industries; an enterprise user is tied to one enterprise)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime


class User(SQLModel, table=True):
    """A person who logs in. ``industries`` empty means every industry; ``region_code`` None means everywhere."""

    __tablename__ = "app_user"

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    username: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    display_name: str = Field(default="", max_length=64)
    role: str = Field(max_length=32)
    region_code: str | None = Field(default=None, foreign_key="region.code", max_length=9)
    grid_code: str | None = Field(default=None, foreign_key="grid.code", max_length=32)
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    enterprise_id: str | None = Field(default=None, foreign_key="enterprise.id", max_length=36)
    # 执法证号: printed beside the name on enforcement documents; None for users without one.
    enforcement_card_no: str | None = Field(default=None, max_length=32)
    password_hash: str = Field(max_length=255)
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
