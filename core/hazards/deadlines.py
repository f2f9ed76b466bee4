"""Rectification deadlines (整改期限): when a hazard counts as overdue (逾期), and by how many days.

``overdue`` is never stored as truth: it is derived from the deadline and the current time
everywhere a hazard is shown or filtered.
"""

from __future__ import annotations

from datetime import datetime

from core.hazards.records import Hazard


def is_overdue(hazard: Hazard, now: datetime) -> bool:
    """Deadline passed without a passed recheck (逾期)."""
    return hazard.status != "closed" and hazard.deadline is not None and hazard.deadline < now


def overdue_days(hazard: Hazard, now: datetime) -> int:
    """Whole days past the deadline (0 when not overdue)."""
    if not is_overdue(hazard, now):
        return 0
    assert hazard.deadline is not None
    return (now - hazard.deadline).days
