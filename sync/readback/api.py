"""``GET /api/v1/inspections/{id}``: an inspection read back with its submission (docs/sync.md, "Reading back").

The inspection table is core's; the submission is sync's, so the read-back lives here and
``server.py`` registers ``ROUTES`` beside core's inspection routes (same path, other methods).
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import Parameter

from core.access.scope import Principal
from core.context import Context
from core.errors import not_found
from sync.readback.reading import read_inspection
from sync.readback.wire import InspectionReadOut


class InspectionReadController(Controller):
    path = "/api/v1/inspections"
    tags = ["inspections"]

    @get("/{inspection_id:str}", operation_id="getInspection")
    async def get(self, ctx: Context, principal: Principal, inspection_id: Annotated[str, Parameter(max_length=64)]) -> InspectionReadOut:
        """An inspection with its accepted submission (answers in checklist order, photos,
        signatures, GPS, inspectors with their 执法证号, hazards created); ``submission`` null for
        one typed in by the office. 404 when absent or its enterprise is outside the caller's scope."""
        found = await read_inspection(ctx, principal, inspection_id)
        if found is None:
            raise not_found("inspection", "检查记录")
        return found


ROUTES = [InspectionReadController]
