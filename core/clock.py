"""Time, injectable: deadlines, token expiry and lockouts are tested with a controllable clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """The real UTC clock."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        return datetime.now(UTC)


class FrozenClock(Clock):
    """A clock that only moves when told to (tests, replays)."""

    def __init__(self, at: datetime | None = None) -> None:
        self._at = at or datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self._at

    def advance(self, **delta: float) -> datetime:
        """Move forward by ``timedelta(**delta)`` and return the new time."""
        self._at += timedelta(**delta)
        return self._at

    def set(self, at: datetime) -> None:
        """Jump to ``at`` (must be timezone-aware)."""
        self._at = at
