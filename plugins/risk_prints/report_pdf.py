"""The 评估报告 PDF of one report: read in the caller's scope, titled by the standard it was scored by.

The API (``GET /api/v1/dual-prevention/reports/{id}/report.pdf``) and the console's report page both
answer these bytes, so a printed report reads the same whoever asked for it.
"""

from __future__ import annotations

import asyncio

from core.access.scope import Principal
from core.context import Context
from core.dual_prevention.reports import get_report
from plugins.registry import PluginRegistry
from plugins.risk_prints.evaluation_report import render_report


async def report_pdf(ctx: Context, principal: Principal, registry: PluginRegistry, report_id: str) -> tuple[str, bytes]:
    """(file name, PDF) of the report ``report_id``; 404 out of scope, as ``get_report``."""
    report, evaluation = await get_report(ctx, principal, report_id)
    evaluator = registry.evaluator(evaluation.evaluator_id)
    title = getattr(evaluator, "title", evaluation.evaluator_id)
    pdf = await asyncio.to_thread(render_report, report, title, evaluation.result)
    return f"{report.enterprise_name}自评估报告.pdf", pdf
