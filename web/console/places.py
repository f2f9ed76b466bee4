"""Names of places for display: regions (GB/T 2260, public reference data) and grids (网格)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import col, select

from core.context import Context
from core.regions.records import Grid, Region


async def region_names(ctx: Context, codes: Iterable[str | None]) -> dict[str, str]:
    """Code → name for the given region codes (unknown codes are left out)."""
    wanted = sorted({code for code in codes if code})
    if not wanted:
        return {}
    async with ctx.db.read() as session:
        rows = (await session.exec(select(Region.code, Region.name).where(col(Region.code).in_(wanted)))).all()
    return dict(rows)


async def grid_of(ctx: Context, code: str | None) -> Grid | None:
    """The grid with this code, if any."""
    if not code:
        return None
    async with ctx.db.read() as session:
        return await session.get(Grid, code)
