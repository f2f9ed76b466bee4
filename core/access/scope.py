"""Who is asking (``Principal``) and what they may see: region subtree × industries.

Nothing outside a user's scope is readable, writable or even countable by that user, so every
query over scoped records goes through ``enterprise_conditions``, and every single-record access
through ``sees_enterprise`` (answering 404, never 403, for an out-of-scope record).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import msgspec
from sqlalchemy import bindparam, literal
from sqlmodel import col, select

from core.enterprises.records import Enterprise, EnterpriseIndustry
from core.errors import not_found
from core.regions.codes import in_subtree, subtree_prefix
from core.storage.audit_log import Actor


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    """The authenticated caller of a request."""

    user_id: str
    username: str
    role: str
    region_code: str | None = None
    grid_code: str | None = None
    industries: tuple[str, ...] = ()
    enterprise_id: str | None = None
    session_id: str | None = None
    device_id: str | None = None

    @property
    def is_admin(self) -> bool:
        """Admins (安委办) see everything."""
        return self.role == "admin"

    @property
    def actor(self) -> Actor:
        """This caller as the actor of audit entries."""
        return Actor(id=self.user_id, name=self.username)

    def sees_region(self, region_code: str | None) -> bool:
        """Whether a region code lies within the caller's region subtree."""
        if self.is_admin or self.region_code is None:
            return True
        return region_code is not None and in_subtree(region_code, self.region_code)

    def sees_industries(self, industries: Iterable[str]) -> bool:
        """Whether any of ``industries`` is one of the caller's (no industries set = all)."""
        if self.is_admin or not self.industries:
            return True
        return bool(set(self.industries) & set(industries))

    def covers_industry(self, industry: str) -> bool:
        """Whether the caller's scope includes this one industry."""
        return self.is_admin or not self.industries or industry in self.industries

    def sees_enterprise(self, enterprise: Any) -> bool:
        """Whether an enterprise (anything with id, region_code, grid_code, industries) is in scope."""
        if self.is_admin:
            return True
        if self.role == "enterprise_user":
            return enterprise.id == self.enterprise_id
        if self.grid_code and enterprise.grid_code != self.grid_code:
            return False
        return self.sees_region(enterprise.region_code) and self.sees_industries(enterprise.industries)

    def enterprise_conditions(self) -> list[Any]:
        """SQL conditions on ``Enterprise`` that select exactly what ``sees_enterprise`` allows.

        The scope's values are written into the SQL text (``literal_execute``), not sent as
        parameters: PostgreSQL plans a prepared statement for generic parameters after five runs,
        and a generic ``region_code LIKE $1 || '%'`` with ``industry IN ($2)`` made a department's
        overdue list three times slower at 1M hazards (bench/console.py). The values are the
        caller's own scope, checked when the user was saved, and SQLAlchemy quotes them."""
        if self.is_admin:
            return []
        if self.role == "enterprise_user":
            return [col(Enterprise.id) == (self.enterprise_id or "")]
        conditions: list[Any] = []
        if self.region_code:
            conditions.append(col(Enterprise.region_code).startswith(literal(subtree_prefix(self.region_code), literal_execute=True)))
        if self.grid_code:
            conditions.append(col(Enterprise.grid_code) == literal(self.grid_code, literal_execute=True))
        if self.industries:
            conditions.append(col(Enterprise.id).in_(industry_subquery(self.industries, inline=True)))
        return conditions


async def enterprise_in_scope(session: Any, principal: Principal, enterprise_id: str) -> Enterprise:
    """The enterprise if the caller may see it; the one 404 for absent and out of scope alike."""
    enterprise = await session.get(Enterprise, enterprise_id)
    if enterprise is None or not principal.sees_enterprise(enterprise):
        raise not_found("enterprise", "企业")
    return enterprise


def industry_subquery(industries: Iterable[str], *, inline: bool = False) -> Any:
    """Ids of enterprises in any of ``industries``; ``inline`` writes them into the SQL text."""
    values: Any = list(industries)
    if inline:
        values = bindparam("scope_industries", values, expanding=True, literal_execute=True, unique=True)
    return select(EnterpriseIndustry.enterprise_id).where(col(EnterpriseIndustry.industry).in_(values))
