"""Regions (GB/T 2260 tree: province → city → county, and townships below) and grids (网格) below them.

Every province, city and county ships as CSV files in ``core/data`` (source and licence in its
README); townships and streets (nine-digit codes) are imported with ``anjian regions import``.
"""

from __future__ import annotations

import csv
from importlib import resources
from typing import Any

from sqlalchemy import Column, String, insert
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.regions.codes import is_region_code


class Region(SQLModel, table=True):
    """A GB/T 2260 administrative division."""

    __tablename__ = "region"

    code: str = Field(sa_column=Column(String(9), primary_key=True))
    name: str = Field(max_length=64)
    parent_code: str | None = Field(default=None, foreign_key="region.code", index=True, max_length=9)
    level: str = Field(max_length=16)


class Grid(SQLModel, table=True):
    """网格: the smallest supervision area, inside a county, with a named responsible person."""

    __tablename__ = "grid"

    code: str = Field(sa_column=Column(String(32), primary_key=True))
    region_code: str = Field(foreign_key="region.code", index=True, max_length=9)  # a county or a township
    township: str = Field(default="", max_length=64)
    name: str = Field(max_length=64)
    responsible_person: str = Field(default="", max_length=64)
    responsible_phone: str = Field(default="", max_length=32)


def shipped_region_files() -> list[str]:
    """Names of the region CSV files shipped with anjian."""
    data = resources.files("core") / "data"
    return sorted(p.name for p in data.iterdir() if p.name.startswith("regions_") and p.name.endswith(".csv"))


def read_shipped_csv(name: str) -> list[dict[str, str]]:
    """Rows of a CSV file shipped in ``core/data``."""
    text = (resources.files("core") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


LEVEL_ORDER = {"province": 0, "city": 1, "county": 2, "township": 3}


async def load_regions(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    """Insert regions that are not there yet (parents first); returns how many were added.

    One multi-row insert rather than an ORM object per row: every start loads the ~3,300 shipped
    divisions (finding them all there, after the first), and a fresh database gets them at once.
    """
    existing = set((await session.exec(select(Region.code))).all())
    new: list[dict[str, Any]] = []
    for row in sorted(rows, key=lambda r: LEVEL_ORDER.get(r["level"], 4)):
        code = row["code"].strip()
        if code in existing or not is_region_code(code):
            continue
        new.append({"code": code, "name": row["name"].strip(), "parent_code": (row.get("parent_code") or None), "level": row["level"]})
        existing.add(code)
    if new:
        await session.execute(insert(Region), new)
    return len(new)


async def load_shipped_regions(session: AsyncSession) -> int:
    """Load every shipped region file (every province, city and county); idempotent."""
    return await load_regions(session, [row for name in shipped_region_files() for row in read_shipped_csv(name)])
