"""Rectification deadlines (整改期限): when a hazard counts as overdue (逾期), and by how many days.

Overdue means the enterprise missed its deadline, never that the inspector has yet to recheck:

- ``reported`` or ``rectifying`` with a deadline: overdue once the deadline has passed, by the
  time from the deadline to now;
- ``awaiting_recheck``: overdue only if the fix was reported (``rectified_at``) after the
  deadline, by the time from the deadline to that report; the wait for the recheck never counts,
  so a fix reported in time stays not overdue however long the recheck takes;
- ``closed``, or no deadline (a major hazard before its 治理方案 sets one): never overdue.

A failed recheck sets a new deadline and clears ``rectified_at``, so the hazard is judged afresh.
Overdue beyond ``overdue_escalation_days`` is what escalates a hazard to 挂牌督办.

``overdue`` is never stored as truth: it is derived from these columns and the current time
everywhere a hazard is shown, filtered (``overdue_condition``, the same rule in SQL), counted or
escalated. ``overdue_marked_at`` only records that the overdue job has told people.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import col

from core.hazards.records import OPEN_STATUSES, Hazard


def overdue_by(hazard: Hazard, now: datetime) -> timedelta | None:
    """How long past its deadline the enterprise was at ``now`` (until it reported the fix), or
    None when the hazard is not overdue then.

    Judged from the hazard's current row, so ``now`` may also be the end of a past period for a
    hazard whose later steps are known (a report after ``now`` did not exist yet; a hazard closed
    after ``now`` was still open then)."""
    if hazard.deadline is None:
        return None
    if (hazard.closed_at is not None and hazard.closed_at <= now) or (hazard.closed_at is None and hazard.status == "closed"):
        return None
    reported = hazard.rectified_at if hazard.rectified_at is not None and hazard.rectified_at <= now else None
    late = (reported or now) - hazard.deadline
    return late if late > timedelta(0) else None


def is_overdue(hazard: Hazard, now: datetime) -> bool:
    """The enterprise has missed the deadline (逾期), see the module's docstring."""
    return overdue_by(hazard, now) is not None


def overdue_days(hazard: Hazard, now: datetime) -> int:
    """Whole days past the deadline, counted until the fix was reported (0 when not overdue)."""
    late = overdue_by(hazard, now)
    return late.days if late is not None else 0


def overdue_condition(now: datetime) -> Any:
    """SQL for ``is_overdue`` at ``now``: open, a deadline, and either no fix reported with the
    deadline passed or a fix reported after the deadline. Never NULL, so ``not_()`` of it is the
    exact complement."""
    rectified_at, deadline = col(Hazard.rectified_at), col(Hazard.deadline)
    return and_(
        col(Hazard.status).in_(OPEN_STATUSES),
        deadline.is_not(None),
        or_(and_(rectified_at.is_(None), deadline < now), and_(rectified_at.is_not(None), rectified_at > deadline)),
    )


def escalation_candidates(now: datetime, beyond: timedelta) -> Any:
    """SQL: hazards that may be overdue by more than ``beyond`` at ``now``. Exact for those not yet
    reported fixed; a fix reported late is a candidate however late (column arithmetic differs
    between SQLite and PostgreSQL), so check each with ``overdue_by``."""
    rectified_at, deadline = col(Hazard.rectified_at), col(Hazard.deadline)
    return and_(
        col(Hazard.status).in_(OPEN_STATUSES),
        deadline.is_not(None),
        or_(and_(rectified_at.is_(None), deadline < now - beyond), and_(rectified_at.is_not(None), rectified_at > deadline)),
    )
