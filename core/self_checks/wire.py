"""Response bodies of the self-check task API."""

from __future__ import annotations

from datetime import datetime

import msgspec


class SelfCheckTaskOut(msgspec.Struct, kw_only=True):
    """One check list's self-checks due in one period, and how many were done."""

    id: str
    enterprise_id: str
    enterprise_name: str
    checklist_id: str
    title: str
    level: str
    level_label: str
    frequency: str
    frequency_label: str
    period: str
    starts_at: datetime
    ends_at: datetime
    required: int
    done_count: int
    status: str
    status_label: str
    done_at: datetime | None


class ListTally(msgspec.Struct, kw_only=True):
    """One check list's tasks of the month."""

    checklist_id: str
    title: str
    frequency: str
    due: int
    done: int
    missed: int


class SelfCheckSummaryOut(msgspec.Struct, kw_only=True):
    """An enterprise's self-checks in one month (tasks whose period starts in it).

    ``on_time_rate``: done ÷ (done + missed), null while no task of the month has ended or been
    done. ``hazards_*``: hazards raised by failed items of its self-checks — raised in the month,
    and of all of them how many are open and overdue now."""

    enterprise_id: str
    enterprise_name: str
    month: str
    lists: int
    due: int
    done: int
    missed: int
    on_time_rate: float | None
    self_checks: int
    failed_items: int
    hazards_raised: int
    hazards_open: int
    hazards_overdue: int
    by_list: list[ListTally]
