"""岗位风险告知卡: one card per post, A4 or A5, with each risk point's QR code.

A card tells the people of one post what can hurt them there and what they and their supervisors do
about it: per risk point its colour, hazard factors, possible accidents, the controls by level and
the emergency measures, and a QR code opening the point's public page (the 安全码). Drawn with
reportlab in the documents plugin's embedded font, so it prints the same everywhere.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from core.risk_register.grading import LEVEL_LABELS, LEVEL_ORDER
from core.risk_register.records import RiskPoint
from core.risk_register.vocabulary import ACCIDENT_TYPE_LABELS, CONTROL_KIND_LABELS, CONTROL_LEVEL_LABELS, HAZARD_FACTOR_CATEGORIES
from core.safety_codes.qr import qr_png
from plugins.documents.pdf.fonts import FONT, font, text_width

SIZES = {"A4": A4, "A5": A5}
RGB = {"major": (0.843, 0.149, 0.239), "high": (0.961, 0.486, 0), "moderate": (0.984, 0.753, 0.176), "low": (0.098, 0.463, 0.824)}
INK = {"major": (1, 1, 1), "high": (1, 1, 1), "moderate": (0.23, 0.18, 0), "low": (1, 1, 1)}
COLOUR_WORD = {"major": "红", "high": "橙", "moderate": "黄", "low": "蓝"}


@dataclass(frozen=True)
class CardPoint:
    point: RiskPoint
    url: str  # the point's public 安全码 page


def wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` cut into lines no wider than ``width`` (CJK text breaks between any two characters)."""
    lines, line = [], ""
    for char in text:
        if text_width(line + char, size) > width and line:
            lines.append(line)
            line = char
        else:
            line += char
    return [*lines, line] if line else lines or [""]


class _Card:
    def __init__(self, canvas: Canvas, page: tuple[float, float], enterprise: str, post: str, level: str, printed: date) -> None:
        self.c, (self.w, self.h) = canvas, page
        self.scale = self.w / A4[0]
        self.margin = 14 * mm * self.scale
        self.enterprise, self.post, self.level, self.printed = enterprise, post, level, printed
        self.y = 0.0
        self.page_no = 0
        self._new_page()

    def size(self, pt: float) -> float:
        return pt * max(self.scale, 0.78)

    def _new_page(self) -> None:
        if self.page_no:
            self._footer()
            self.c.showPage()
        self.page_no += 1
        band = 34 * mm * self.scale
        self.c.setFillColorRGB(*RGB[self.level])
        self.c.rect(0, self.h - band, self.w, band, stroke=0, fill=1)
        self.c.setFillColorRGB(*INK[self.level])
        self.c.setFont(FONT, self.size(24))
        self.c.drawCentredString(self.w / 2, self.h - 14 * mm * self.scale, "岗位风险告知卡")
        self.c.setFont(FONT, self.size(12))
        self.c.drawCentredString(self.w / 2, self.h - 23 * mm * self.scale, f"{self.enterprise}　岗位：{self.post}")
        self.c.drawCentredString(self.w / 2, self.h - 30 * mm * self.scale, f"岗位最高风险等级：{LEVEL_LABELS[self.level]}（{COLOUR_WORD[self.level]}）")
        self.y = self.h - band - 6 * mm * self.scale

    def _footer(self) -> None:
        self.c.setFillColorRGB(0.3, 0.3, 0.3)
        self.c.setFont(FONT, self.size(8))
        self.c.drawString(self.margin, 8 * mm * self.scale, f"打印日期 {self.printed.isoformat()}　扫描二维码查看风险点实时信息　第 {self.page_no} 页")

    def need(self, height: float) -> None:
        if self.y - height < 16 * mm * self.scale:
            self._new_page()

    def lines(self, label: str, text: str, width: float, size: float = 10) -> None:
        pt = self.size(size)
        rows = wrap(f"{label}{text}", width, pt)
        self.need(len(rows) * pt * 1.45)
        self.c.setFillColorRGB(0, 0, 0)
        self.c.setFont(FONT, pt)
        for row in rows:
            self.y -= pt * 1.45
            self.c.drawString(self.margin, self.y, row)

    def point(self, item: CardPoint) -> None:
        p = item.point
        qr = 26 * mm * self.scale
        text_w = self.w - 2 * self.margin - qr - 4 * mm
        head = self.size(12)
        self.need(head * 1.6 + qr)
        top = self.y
        self.c.setFillColorRGB(*RGB[p.risk_level])
        self.c.rect(self.margin, self.y - head * 1.5, self.w - 2 * self.margin, head * 1.5, stroke=0, fill=1)
        self.c.setFillColorRGB(*INK[p.risk_level])
        self.c.setFont(FONT, head)
        self.c.drawString(self.margin + 2 * mm, self.y - head * 1.1, f"{p.code} {p.name}　{LEVEL_LABELS[p.risk_level]}（{COLOUR_WORD[p.risk_level]}）")
        self.y -= head * 1.5
        self.c.drawImage(ImageReader(io.BytesIO(qr_png(item.url, scale=6))), self.w - self.margin - qr, self.y - qr - 1 * mm, qr, qr)
        if p.location:
            self.lines("位置：", p.location, text_w)
        factors = "、".join(HAZARD_FACTOR_CATEGORIES.get(f, HAZARD_FACTOR_CATEGORIES.get(f[:2], f)) for f in p.hazard_factors)
        self.lines("危险有害因素：", factors, text_w)
        self.lines("可能导致的事故：", "、".join(ACCIDENT_TYPE_LABELS[a] for a in p.accident_types), text_w)
        emergency = [c for c in p.controls if c["kind"] == "emergency"]
        ordinary = [c for c in p.controls if c["kind"] != "emergency"]
        ordinary.sort(key=lambda c: ("post", "team", "workshop", "company").index(c["level"]))
        for c in ordinary:
            self.lines("", f"● [{CONTROL_LEVEL_LABELS[c['level']]}·{CONTROL_KIND_LABELS[c['kind']]}] {c['text']}（{c['responsible_post']}）", text_w if self.y > top - qr - 4 * mm else self.w - 2 * self.margin)
        for c in emergency:
            self.lines("应急处置：", c["text"], self.w - 2 * self.margin)
        if p.emergency_contact:
            self.lines("应急联系：", p.emergency_contact, self.w - 2 * self.margin)
        self.y = min(self.y, top - head * 1.5 - qr - 2 * mm) - 4 * mm * self.scale

    def finish(self, contacts: list[str]) -> None:
        self.lines("", "应急电话：火警 119　急救 120　报警 110" + ("　" + "；".join(contacts) if contacts else ""), self.w - 2 * self.margin, 11)
        self._footer()
        self.c.showPage()


def render_cards(enterprise: str, cards: dict[str, list[CardPoint]], *, size: str = "A4", printed: date) -> bytes:
    """One card (one or more pages) per post, in the order given."""
    font()
    buffer = io.BytesIO()
    page = SIZES[size]
    canvas = Canvas(buffer, pagesize=page, pageCompression=1)
    canvas.setTitle(f"{enterprise} 岗位风险告知卡")
    for post, items in cards.items():
        level = next(level for level in LEVEL_ORDER if any(i.point.risk_level == level for i in items))
        card = _Card(canvas, page, enterprise, post, level, printed)
        for item in items:
            card.point(item)
        card.finish(list(dict.fromkeys(i.point.emergency_contact for i in items if i.point.emergency_contact)))
    canvas.save()
    return buffer.getvalue()
