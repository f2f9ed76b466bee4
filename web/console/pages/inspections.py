"""检查记录: an inspection read back with its submission (answers, photos, signatures, inspectors),
through ``sync.readback.read_inspection`` — the reader of ``GET /api/v1/inspections/{id}`` — so the
page shows exactly what the API would, to whoever sees the enterprise, and 404 to anyone else.
"""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from core.access.scope import Principal
from core.context import Context
from core.errors import not_found
from sync.readback.reading import read_inspection
from web.console.places import region_names
from web.console.views import render


@get("/inspections/{inspection_id:str}", name="console_inspection")
async def inspection_page(request: Request, ctx: Context, principal: Principal, inspection_id: str) -> Template:
    """One inspection in scope as recorded."""
    found = await read_inspection(ctx, principal, inspection_id[:64])
    if found is None:
        raise not_found("inspection", "检查记录")
    names = await region_names(ctx, [found.region_code])
    return render(request, principal, "inspection.html", section="enterprises", inspection=found, region_name=names.get(found.region_code, ""))


ROUTES = [inspection_page]
