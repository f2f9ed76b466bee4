"""Dates and times as documents print them: in the deployment's zone, ``2026年3月2日8时05分``."""

from __future__ import annotations

from datetime import date, datetime

from core.local_time import localized


def date_text(day: date | datetime | None) -> str:
    """``2026年3月2日`` (a timestamp by its local date); "" for None."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = localized(day).date()
    return f"{day.year}年{day.month}月{day.day}日"


def time_text(at: datetime | None) -> str:
    """``2026年3月2日8时05分`` in local time; "" for None."""
    if at is None:
        return ""
    local = localized(at)
    return f"{date_text(local)}{local.hour}时{local.minute:02d}分"


def period_text(start: datetime | None, end: datetime | None) -> str:
    """``2026年3月2日8时00分至8时40分`` (the date once when both lie on one local day)."""
    if start is None or end is None:
        return time_text(start or end)
    local_end = localized(end)
    if localized(start).date() == local_end.date():
        return f"{time_text(start)}至{local_end.hour}时{local_end.minute:02d}分"
    return f"{time_text(start)}至{time_text(end)}"


def parse_instant(value: object) -> datetime | None:
    """A timestamp kept in a JSON column (ISO text) or as a datetime; None when it is neither."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None
