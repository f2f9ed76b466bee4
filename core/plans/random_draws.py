"""双随机 (random draws): random enterprises × random inspectors for spot checks, reproducible.

A draw records its seed and the exact candidate lists it drew from (enterprises, and for each the
eligible inspectors after removing tied ones), so anyone can re-run ``draw`` and get the same
result: the draw is verifiable, not just claimed random.
"""

from __future__ import annotations

import random
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime


class RandomDraw(SQLModel, table=True):
    """One recorded draw: its parameters, seed, candidates and result (``[{enterprise_id, inspector_ids}]``)."""

    __tablename__ = "random_draw"

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    title: str = Field(max_length=200)
    seed: str = Field(max_length=64)
    region_code: str = Field(max_length=9)
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    enterprise_count: int
    inspectors_per_enterprise: int
    due_from: date
    due_until: date
    candidates: dict[str, list[str]] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    result: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_by: str | None = Field(default=None, max_length=36)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


def draw(seed: str, candidates: dict[str, list[str]], enterprise_count: int, inspectors_per_enterprise: int) -> list[dict[str, Any]]:
    """Pick enterprises, then inspectors for each, from ``candidates`` (enterprise id → eligible inspector ids).

    Deterministic for a given seed and candidates: inputs are sorted first and Python's
    ``random.Random`` seeded with a string is stable across runs and platforms.
    """
    rng = random.Random(f"anjian-random-draw:{seed}")
    enterprises = sorted(candidates)
    picked = rng.sample(enterprises, min(enterprise_count, len(enterprises)))
    result = []
    for enterprise_id in picked:
        pool = sorted(set(candidates[enterprise_id]))
        inspectors = rng.sample(pool, min(inspectors_per_enterprise, len(pool)))
        result.append({"enterprise_id": enterprise_id, "inspector_ids": inspectors, "short": len(inspectors) < inspectors_per_enterprise})
    return result
