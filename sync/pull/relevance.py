"""Who may receive a change row: cheap tests on the row alone, before any record is read.

A row carries the scope its record had after the change and, when it moved, before it; a user
who saw either may need it (the state, or a tombstone).
"""

from __future__ import annotations

from core.access.scope import Principal
from core.storage.changes import Change


def sees_scope(principal: Principal, region_code: str | None, industries: list[str] | None, enterprise_id: str | None) -> bool:
    """Whether ``principal`` sees a record of this region, industries and enterprise."""
    if principal.is_admin:
        return True
    if principal.role == "enterprise_user":
        return enterprise_id is not None and enterprise_id == principal.enterprise_id
    return principal.sees_region(region_code) and principal.sees_industries(industries or [])


def enterprise_scoped(principal: Principal, row: Change) -> bool:
    """Records that belong to an enterprise (the enterprise, its hazards, its inspections)."""
    if sees_scope(principal, row.region_code, row.industries, row.enterprise_id):
        return True
    if row.prev_region_code is not None or row.prev_industries is not None:
        return sees_scope(principal, row.prev_region_code or row.region_code, row.prev_industries if row.prev_industries is not None else row.industries, row.enterprise_id)
    return False


def own_assignment(principal: Principal, row: Change) -> bool:
    """Assignments reach their inspector only."""
    return row.user_id is not None and row.user_id == principal.user_id
