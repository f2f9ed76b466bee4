"""Runs of scheduled jobs, one row per (job, period): the claim that makes each run happen once.

Whoever inserts the row for a period runs the job for it; a second instance (or a second start
of the same command) finds the row and does nothing. A failed run can be claimed again; a run
that stayed ``running`` past ``STALE_AFTER`` (its instance died) too.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.ids import new_id
from core.storage.db_types import UTCDateTime

STALE_AFTER = timedelta(hours=1)


class JobRun(SQLModel, table=True):
    """One job's run for one period (``2026-03-02T09`` hourly, ``2026-03-02`` daily, ``2026-03``, ``2026-Q1``)."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "period", name="uq_job_run_job_period"),)

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    job: str = Field(max_length=64, index=True)
    period: str = Field(max_length=32)
    status: str = Field(max_length=16)
    instance: str = Field(default="", max_length=128)
    attempts: int = 1
    started_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    result: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    error: str | None = Field(default=None, max_length=2000)
