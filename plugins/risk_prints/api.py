"""HTTP API of the register's printables: 四色分布图 (SVG/PNG) and 岗位风险告知卡 (PDF)."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from litestar import Controller, Request, Response, get
from litestar.datastructures import State
from litestar.params import Parameter

from core.access.scope import Principal
from core.context import Context
from plugins.risk_prints.making import four_colour_map, notice_cards
from plugins.risk_prints.report_pdf import report_pdf


def _download(body: bytes | str, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type, headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(filename)}", "Cache-Control": "no-store"})


class RiskPrintsController(Controller):
    path = "/api/v1/enterprises/{enterprise_id:str}"
    tags = ["risk register"]

    @get("/four-colour-map.svg", operation_id="getFourColourMapSvg", media_type="image/svg+xml")
    async def four_colour_map_svg(self, ctx: Context, principal: Principal, enterprise_id: str) -> Response:
        """四色分布图 as SVG: the plant plan with each point or area in its risk colour, the four
        counts, and the points not placed yet."""
        title, svg = await four_colour_map(ctx, principal, enterprise_id, "svg")
        return _download(svg, "image/svg+xml", f"{title}.svg")

    @get("/four-colour-map.png", operation_id="getFourColourMapPng", media_type="image/png")
    async def four_colour_map_png(self, ctx: Context, principal: Principal, enterprise_id: str) -> Response:
        """四色分布图 as PNG (at most 4,000 px a side)."""
        title, png = await four_colour_map(ctx, principal, enterprise_id, "png")
        return _download(png, "image/png", f"{title}.png")

    @get("/risk-notice-cards.pdf", operation_id="getRiskNoticeCards", media_type="application/pdf")
    async def cards(
        self, request: Request, ctx: Context, principal: Principal, enterprise_id: str,
        post: Annotated[str | None, Parameter(max_length=64, description="只打印该岗位（默认全部岗位）")] = None,
        size: Literal["A4", "A5"] = "A4",
    ) -> Response:
        """岗位风险告知卡 per post (A4 or A5), each risk point with its 安全码 QR code."""
        filename, pdf = await notice_cards(ctx, principal, enterprise_id, post=post, size=size, request_base=str(request.base_url))
        return _download(pdf, "application/pdf", filename)


class EvaluationReportPdfController(Controller):
    path = "/api/v1/dual-prevention/reports"
    tags = ["dual prevention"]

    @get("/{report_id:str}/report.pdf", operation_id="getEvaluationReportPdf", media_type="application/pdf")
    async def pdf(self, ctx: Context, principal: Principal, state: State, report_id: str) -> Response:
        """The 评估报告 as a PDF: score, conclusion, every deduction and veto, the review status."""
        filename, pdf = await report_pdf(ctx, principal, state.plugins, report_id)
        return _download(pdf, "application/pdf", filename)


ROUTES = [RiskPrintsController, EvaluationReportPdfController]
