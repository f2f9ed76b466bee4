"""工作台: what needs the user now.

Office roles (admin, department admin, inspector, evaluator, viewer): overdue hazards, 挂牌督办 still
open, hazards awaiting recheck, open hazards by level, charts of hazards by status, level, region
and industry (``web.console.chart``), the 12-month trend and this year's plan coverage, each figure
a link to the list it counts (``web.console.figures``). An enterprise user: their enterprise's open
hazards, nearest deadline first.
"""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from core.access.scope import Principal
from core.context import Context
from core.enterprises.service import get_enterprise
from core.hazards.queries import HazardFilter
from web.console.chart import breakdown_charts, trend_svg
from web.console.figures import workbench
from web.console.hazard_lists import hazard_rows
from web.console.views import render


@get("/", name="console_workbench")
async def workbench_page(request: Request, ctx: Context, principal: Principal) -> Template:
    """The workbench for the signed-in user's role."""
    if principal.role == "enterprise_user":
        enterprise = await get_enterprise(ctx, principal, principal.enterprise_id or "")
        open_rows = await hazard_rows(ctx, principal, HazardFilter(), open_only=True, order="deadline", page=1, page_size=50)
        return render(request, principal, "workbench_enterprise.html", section="workbench", enterprise=enterprise, rows=open_rows)
    figures = await workbench(ctx, principal)
    return render(request, principal, "workbench.html", section="workbench", figures=figures, chart=trend_svg(figures.trend),
                  breakdowns=breakdown_charts(figures))


ROUTES = [workbench_page]
