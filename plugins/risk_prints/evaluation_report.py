"""The 评估报告 PDF: a stored self-assessment as the enterprise sends it to its 联络员.

Everything comes from the stored evaluation (its explained result) and the report's record, so the
PDF printed today and next year say the same; drawn like the 告知卡 in the embedded font.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from core.dual_prevention.reports import ReportOut
from core.local_time import localized
from plugins.documents.pdf.fonts import FONT, font
from plugins.risk_prints.notice_card import wrap

MARGIN = 20 * mm


class _Pages:
    def __init__(self, canvas: Canvas, title: str) -> None:
        self.c, self.title = canvas, title
        self.w, self.h = A4
        self.page = 0
        self.y = 0.0
        self._start()

    def _start(self) -> None:
        self.page += 1
        self.y = self.h - MARGIN

    def _end(self) -> None:
        self.c.setFont(FONT, 8)
        self.c.setFillColorRGB(0.35, 0.35, 0.35)
        self.c.drawCentredString(self.w / 2, 10 * mm, f"{self.title}　第 {self.page} 页")
        self.c.setFillColorRGB(0, 0, 0)

    def text(self, text: str, size: float = 10.5, *, indent: float = 0, gap: float = 1.5) -> None:
        for line in wrap(text, self.w - 2 * MARGIN - indent, size):
            if self.y - size * gap < 18 * mm:
                self._end()
                self.c.showPage()
                self._start()
            self.y -= size * gap
            self.c.setFont(FONT, size)
            self.c.drawString(MARGIN + indent, self.y, line)

    def heading(self, text: str) -> None:
        self.y -= 4
        self.text(text, 13)

    def close(self) -> None:
        self._end()
        self.c.showPage()


def render_report(report: ReportOut, standard_title: str, result: dict[str, Any]) -> bytes:
    """The report's PDF."""
    font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    title = f"{report.enterprise_name}双重预防机制建设运行自评估报告"
    canvas.setTitle(title)
    pages = _Pages(canvas, title)
    canvas.setFont(FONT, 18)
    pages.y -= 12
    canvas.drawCentredString(pages.w / 2, pages.y, "双重预防机制建设运行自评估报告")
    pages.y -= 10
    percent = f"{result['percent']:.2f} 分（百分制）" if result.get("percent") is not None else "—"
    for label, value in (
        ("企业名称", report.enterprise_name), ("评估标准", standard_title), ("自评得分", percent),
        ("评估结论", f"{result.get('grade_label') or '—'}{'（合格）' if result.get('passed') else '（不合格）' if result.get('passed') is False else ''}"),
        ("提交时间", localized(report.submitted_at).strftime("%Y-%m-%d %H:%M")), ("联络员", report.liaison_name),
        ("审核状态", report.status_label + (f"：{report.decision_reason}" if report.decision_reason else "")), ("说明", report.note or "—"),
    ):
        pages.text(f"{label}：{value}", 11)
    pages.heading("一、评分说明")
    for line in result.get("explanation", []):
        pages.text(line, indent=4 * mm)
    deductions = result.get("deductions", [])
    pages.heading(f"二、扣分项（{len(deductions)} 项）")
    for d in deductions:
        pages.text(f"{d['item']}　扣 {d['points']:g} 分：{d['reason']}", indent=4 * mm)
    if not deductions:
        pages.text("无", indent=4 * mm)
    vetoes = result.get("vetoes", [])
    pages.heading(f"三、否决项（{len(vetoes)} 项）")
    for v in vetoes:
        pages.text(f"{v['item']}：{v['reason']}", indent=4 * mm)
    if not vetoes:
        pages.text("无", indent=4 * mm)
    pages.y -= 20
    pages.text("企业主要负责人（签字）：＿＿＿＿＿＿　　　　日期：＿＿＿＿年＿＿月＿＿日", 11)
    pages.close()
    canvas.save()
    return buffer.getvalue()
