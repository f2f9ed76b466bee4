"""Inspections (执法检查) recorded outside the tablet protocol, e.g. a paper inspection typed in later."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.params import Parameter
from sqlmodel import col, select

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.enterprises.records import Enterprise
from core.inspections.records import Inspection, record_inspection_in_session
from core.local_time import year_bounds


class InspectionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    enterprise_id: str
    inspected_at: Annotated[datetime, msgspec.Meta(tz=True)]
    assignment_id: str | None = None


class InspectionOut(msgspec.Struct, kw_only=True):
    id: str
    enterprise_id: str
    inspector_id: str
    assignment_id: str | None
    submission_id: str | None
    inspected_at: datetime
    region_code: str
    industries: list[str]


class InspectionController(Controller):
    path = "/api/v1/inspections"
    tags = ["inspections"]

    @post("/", operation_id="recordInspection")
    async def create(self, ctx: Context, principal: Principal, data: InspectionIn) -> InspectionOut:
        """Record an inspection by the caller; naming an assignment completes it."""
        async with ctx.db.write() as session:
            inspection = await record_inspection_in_session(session, ctx, principal, enterprise_id=data.enterprise_id, inspected_at=data.inspected_at, assignment_id=data.assignment_id)
        return msgspec.convert(inspection.model_dump(), InspectionOut)

    @get("/", operation_id="listInspections")
    async def list(self, ctx: Context, principal: Principal, year: Annotated[int, Parameter(ge=2000, le=2100)], enterprise_id: Annotated[str | None, Parameter(max_length=36)] = None) -> list[InspectionOut]:
        """Inspections of a year in the caller's scope, newest first."""
        require(principal.role, "inspection.read")
        start, end = year_bounds(year)
        query = (
            select(Inspection).join(Enterprise, col(Enterprise.id) == col(Inspection.enterprise_id))
            .where(*principal.enterprise_conditions(), col(Inspection.inspected_at) >= start, col(Inspection.inspected_at) < end)
        )
        if enterprise_id:
            query = query.where(col(Inspection.enterprise_id) == enterprise_id)
        async with ctx.db.read() as session:
            rows = (await session.exec(query.order_by(col(Inspection.inspected_at).desc()))).all()
        return [msgspec.convert(r.model_dump(), InspectionOut) for r in rows]


ROUTES = [InspectionController]
