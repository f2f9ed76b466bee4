"""Calendar dates as users mean them: the deployment's time zone (``ANJIAN_TIME_ZONE``, by default
Asia/Shanghai), whatever the server machine's zone.

Plan windows, "this year", monthly and quarterly periods, report times and cron schedules are all
local; timestamps stay UTC. One deployment has one zone, so ``LOCAL_TZ`` is one object that every
module imports once and that follows the zone the settings name (``use_time_zone``, called when the
services' context is built): a module never holds a stale zone, and no call needs a zone passed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

DEFAULT_TIME_ZONE = "Asia/Shanghai"


class DeploymentZone(tzinfo):
    """A tzinfo standing for the deployment's zone: every question is answered by the IANA zone
    currently in use, so ``astimezone(LOCAL_TZ)``, ``datetime.combine(…, tzinfo=LOCAL_TZ)`` and
    APScheduler's triggers all follow ``use_time_zone``."""

    def __init__(self, name: str = DEFAULT_TIME_ZONE) -> None:
        # Not named ``zone``: APScheduler takes a tzinfo with a ``zone`` attribute for pytz's and rebuilds it.
        self._zone = ZoneInfo(name)

    def use(self, name: str) -> None:
        """Answer for the IANA zone ``name`` from now on."""
        self._zone = ZoneInfo(name)

    def _naive(self, dt: datetime | None) -> datetime | None:
        return None if dt is None else dt.replace(tzinfo=None)

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return self._zone.utcoffset(self._naive(dt))

    def dst(self, dt: datetime | None) -> timedelta | None:
        return self._zone.dst(self._naive(dt))

    def tzname(self, dt: datetime | None) -> str | None:
        return self._zone.tzname(self._naive(dt))

    def fromutc(self, dt: datetime) -> datetime:
        # ZoneInfo.fromutc needs its own tzinfo on ``dt``; the answer (fold included) is handed back as ours.
        return self._zone.fromutc(dt.replace(tzinfo=self._zone)).replace(tzinfo=self)

    @property
    def key(self) -> str:
        """The IANA name of the zone in use, e.g. ``Asia/Shanghai``."""
        return str(self._zone.key)

    def __str__(self) -> str:
        return self.key

    def __repr__(self) -> str:
        return f"DeploymentZone({self.key!r})"


LOCAL_TZ = DeploymentZone()


def use_time_zone(name: str) -> None:
    """Make ``name`` (an IANA zone, e.g. ``Asia/Urumqi``) the deployment's zone. An unknown name
    raises ``ZoneInfoNotFoundError``; the settings refuse one before it gets here."""
    LOCAL_TZ.use(name)


def local_date(at: datetime) -> date:
    """The local calendar date of an aware timestamp."""
    return at.astimezone(LOCAL_TZ).date()


def start_of_day(day: date) -> datetime:
    """Local midnight at the start of ``day``, as an aware timestamp."""
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ)


def localized(at: datetime) -> datetime:
    """An aware timestamp shown in the deployment's zone (same instant, local offset)."""
    return at.astimezone(LOCAL_TZ)


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
