"""The periods self-check tasks are due in, local to the deployment's zone (``core.local_time``).

每班 and 每日 lists are due each local day (每班: as many self-checks as the deployment has shifts,
``ANJIAN_SELF_CHECK_SHIFTS``), 每周 each ISO week (Monday to Monday), 每月 each month, 每季度 each
quarter. A period is ``[starts_at, ends_at)`` in UTC instants with a readable key
(``2026-03-02``, ``2026-W10``, ``2026-03``, ``2026-Q1``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.local_time import local_date, month_bounds, quarter_bounds, start_of_day


@dataclass(frozen=True)
class Period:
    """One period of one frequency."""

    key: str
    starts_at: datetime
    ends_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "starts_at", self.starts_at.astimezone(UTC))
        object.__setattr__(self, "ends_at", self.ends_at.astimezone(UTC))


def period_of(frequency: str, at: datetime) -> Period:
    """The period of ``frequency`` that ``at`` falls in."""
    day = local_date(at)
    if frequency in ("per_shift", "daily"):
        return Period(day.isoformat(), start_of_day(day), start_of_day(day + timedelta(days=1)))
    if frequency == "weekly":
        monday = day - timedelta(days=day.weekday())
        year, week, _ = day.isocalendar()
        return Period(f"{year}-W{week:02d}", start_of_day(monday), start_of_day(monday + timedelta(days=7)))
    if frequency == "monthly":
        return Period(f"{day.year}-{day.month:02d}", *month_bounds(day.year, day.month))
    if frequency == "quarterly":
        quarter = (day.month - 1) // 3 + 1
        return Period(f"{day.year}-Q{quarter}", *quarter_bounds(day.year, quarter))
    raise ValueError(f"unknown check frequency {frequency!r}")


def following(frequency: str, period: Period) -> Period:
    """The period right after ``period``."""
    return period_of(frequency, period.ends_at)


def required_checks(frequency: str, shifts: int) -> int:
    """Self-checks a period needs: one per shift for 每班, otherwise one."""
    return shifts if frequency == "per_shift" else 1
