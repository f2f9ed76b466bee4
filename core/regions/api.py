"""Regions (GB/T 2260) and grids."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Parameter
from sqlmodel import col, select

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import Conflict, InvalidInput, not_found
from core.regions.codes import REGION_CODE_PATTERN
from core.regions.records import Grid, Region
from core.regions.wire import GridIn, GridOut, RegionOut
from core.storage.audit_log import append_audit, snapshot
from core.wire import to_out

GRID_LEVELS = ("county", "township")  # a grid is the smallest area: below a county, or below one of its townships


class RegionController(Controller):
    path = "/api/v1/regions"
    tags = ["regions"]

    @get("/", operation_id="listRegions")
    async def list(
        self, ctx: Context, principal: Principal, parent_code: Annotated[str | None, Parameter(pattern=REGION_CODE_PATTERN, description="上级区划：县级代码列出其乡镇、街道")] = None
    ) -> list[RegionOut]:
        """Top-level regions, or the children of ``parent_code``."""
        require(principal.role, "region.read")
        async with ctx.db.read() as session:
            query = select(Region).where(Region.parent_code == parent_code) if parent_code else select(Region).where(col(Region.parent_code).is_(None))
            rows = (await session.exec(query.order_by(col(Region.code)))).all()
        return [to_out(r, RegionOut) for r in rows]

    @get("/{code:str}/grids", operation_id="listGrids")
    async def grids(self, ctx: Context, principal: Principal, code: str) -> list[GridOut]:
        """Grids of a county or a township."""
        require(principal.role, "region.read")
        async with ctx.db.read() as session:
            if await session.get(Region, code) is None:
                raise not_found("region", "行政区划")
            rows = (await session.exec(select(Grid).where(Grid.region_code == code).order_by(col(Grid.code)))).all()
        return [to_out(g, GridOut) for g in rows]

    @post("/grids", operation_id="createGrid")
    async def create_grid(self, ctx: Context, principal: Principal, data: GridIn) -> GridOut:
        """Add a grid below a county or a township (admin)."""
        require(principal.role, "grid.write")
        now = ctx.clock.now()
        async with ctx.db.write() as session:
            region = await session.get(Region, data.region_code)
            if region is None or region.level not in GRID_LEVELS:
                raise InvalidInput(
                    "grids belong to a county-level region or a township", "网格只能设在县级行政区划或乡镇（街道）下", field="region_code",
                )
            if await session.get(Grid, data.code) is not None:
                raise Conflict(f"grid {data.code} exists", f"网格编码 {data.code} 已存在", field="code")
            grid = Grid(**{f: getattr(data, f) for f in data.__struct_fields__})
            session.add(grid)
            await session.flush()
            await append_audit(session, actor=principal.actor, action="grid_created", entity="grid", entity_id=grid.code, at=now, after=snapshot(grid))
        return to_out(grid, GridOut)


ROUTES = [RegionController]
