"""Calendar dates as users mean them: China Standard Time (UTC+8), whatever the server's zone.

Plan windows, "this year", monthly and quarterly periods are all local dates; timestamps stay UTC.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def local_date(at: datetime) -> date:
    """The local calendar date of an aware timestamp."""
    return at.astimezone(LOCAL_TZ).date()


def start_of_day(day: date) -> datetime:
    """Local midnight at the start of ``day``, as an aware timestamp."""
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """[1 January, next 1 January) of a local year."""
    return start_of_day(date(year, 1, 1)), start_of_day(date(year + 1, 1, 1))


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """[first day, first day of next month) of a local month."""
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return start_of_day(date(year, month, 1)), start_of_day(nxt)


def quarter_bounds(year: int, quarter: int) -> tuple[datetime, datetime]:
    """[first day, first day of next quarter) of a local quarter (1..4)."""
    first = 3 * (quarter - 1) + 1
    nxt = date(year + 1, 1, 1) if quarter == 4 else date(year, first + 3, 1)
    return start_of_day(date(year, first, 1)), start_of_day(nxt)
