"""Report periods in the deployment's time zone: a month (``2026-11``), a quarter (``2026-Q4``) or
any span of local dates (``from`` … ``to``, both days included).

A period is [start, end) between local midnights, so a hazard found at 23:30 on 30 November in
Beijing belongs to November, as its finder would say, not to 1 December as UTC would.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import msgspec

from core.errors import InvalidInput
from core.local_time import month_bounds, quarter_bounds, start_of_day

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_SPAN_DAYS = 3660  # ten years: longer spans are no report anyone reads, and cost a full scan

KIND_OF = {"month": "monthly_dispatch", "quarter": "quarterly_bulletin"}


class Period(msgspec.Struct, frozen=True, kw_only=True):
    """A named span of local time: ``shape`` is ``month``, ``quarter`` or ``range``."""

    name: str
    shape: str
    start: datetime
    end: datetime

    @property
    def last_day(self) -> date:
        """The last local day inside the period."""
        return (self.end - timedelta(days=1)).date()


def _year(value: str, field: str) -> int:
    year = int(value)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(f"year must be {FIRST_YEAR}..{LAST_YEAR}", f"年份必须在{FIRST_YEAR}到{LAST_YEAR}之间", field=field, code="invalid_period")
    return year


def parse_period(text: str, field: str = "period") -> Period:
    """``2026-11`` (a month) or ``2026-Q4`` (a quarter); 400 naming ``field`` otherwise."""
    if month := _MONTH.match(text):
        year, number = _year(month[1], field), int(month[2])
        start, end = month_bounds(year, number)
        return Period(name=text, shape="month", start=start, end=end)
    if quarter := _QUARTER.match(text):
        year, number = _year(quarter[1], field), int(quarter[2])
        start, end = quarter_bounds(year, number)
        return Period(name=text, shape="quarter", start=start, end=end)
    raise InvalidInput(
        f"{text!r} is no period: give a month as YYYY-MM (2026-11) or a quarter as YYYY-Qn (2026-Q4)",
        f"“{text}”不是有效的统计周期：月份写作 YYYY-MM（如 2026-11），季度写作 YYYY-Qn（如 2026-Q4）",
        field=field,
        code="invalid_period",
    )


def _day(text: str, field: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or len(text) != 10:
        raise InvalidInput(
            f"{text!r} is no date: give YYYY-MM-DD", f"“{text}”不是有效日期，应写作 YYYY-MM-DD", field=field, code="invalid_period"
        )
    _year(str(day.year), field)
    return day


def date_span(first: str, last: str) -> Period:
    """Local days ``first`` to ``last`` (both included), each YYYY-MM-DD; 400 naming ``from``/``to``."""
    start_day, last_day = _day(first, "from"), _day(last, "to")
    if last_day < start_day:
        raise InvalidInput("to must not be before from", "结束日期（to）不能早于开始日期（from）", field="to", code="invalid_period")
    if (last_day - start_day).days >= MAX_SPAN_DAYS:
        raise InvalidInput(
            f"a span may cover at most {MAX_SPAN_DAYS} days", f"统计区间最长 {MAX_SPAN_DAYS} 天", field="to", code="invalid_period"
        )
    return Period(
        name=f"{start_day.isoformat()}~{last_day.isoformat()}", shape="range",
        start=start_of_day(start_day), end=start_of_day(last_day + timedelta(days=1)),
    )


def requested_period(period: str | None, first: str | None, last: str | None) -> Period:
    """Exactly one of ``period`` or ``from`` + ``to``, as the on-demand report's query gives them."""
    if period is not None:
        if first is not None or last is not None:
            raise InvalidInput(
                "give either period or from and to, not both", "请只给出 period，或只给出 from 和 to", field="period", code="invalid_period"
            )
        return parse_period(period)
    if first is None or last is None:
        missing = "from" if first is None else "to"
        raise InvalidInput(
            f"give period (2026-11, 2026-Q4) or both from and to (YYYY-MM-DD); {missing} is missing",
            f"请给出统计周期 period（如 2026-11、2026-Q4），或同时给出 from 和 to（YYYY-MM-DD），缺少 {missing}",
            field=missing,
            code="invalid_period",
        )
    return date_span(first, last)
