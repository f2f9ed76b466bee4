"""What the plan and draw pages share: the names their rows show (enterprises, users) by id.

The ids come from what a service already answered the caller (its scope applied), so naming them
reveals nothing further; an id without a row keeps its id as its name.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import col, select

from core.access.users import User
from core.context import Context
from core.enterprises.records import Enterprise


async def enterprise_names(ctx: Context, ids: Iterable[str]) -> dict[str, str]:
    """Enterprise id → name."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    async with ctx.db.read() as session:
        rows = (await session.exec(select(Enterprise.id, Enterprise.name).where(col(Enterprise.id).in_(wanted)))).all()
    return dict(rows)


async def user_names(ctx: Context, ids: Iterable[str | None]) -> dict[str, str]:
    """User id → display name (the username when it has none)."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    async with ctx.db.read() as session:
        rows = (await session.exec(select(User.id, User.display_name, User.username).where(col(User.id).in_(wanted)))).all()
    return {user_id: display or username for user_id, display, username in rows}
