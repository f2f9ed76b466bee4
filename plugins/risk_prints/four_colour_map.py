"""The 四色分布图: the plant plan with each risk point (a dot) or area (a polygon) in its colour.

SVG for the screen and for printing at any size (the plan embedded, so the file stands alone); PNG
drawn by Pillow for documents and chat. Places are fractions of the plan, so the same register draws
on any scan of it. Points not yet placed are listed under the legend, so nothing is silently missing.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

from core.risk_register.grading import LEVEL_LABELS, LEVEL_ORDER
from core.risk_register.records import RiskPoint
from plugins.documents.pdf.fonts import FONT_FILE

FILL = {"major": "#d7263d", "high": "#f57c00", "moderate": "#fbc02d", "low": "#1976d2"}
BLANK = (1600, 1000)  # the canvas when no plan was uploaded
LEGEND_HEIGHT = 0.16  # of the plan's height, below it


@dataclass(frozen=True)
class Plan:
    data: bytes | None
    content_type: str
    width: int
    height: int


def _placed(points: list[RiskPoint]) -> tuple[list[RiskPoint], list[RiskPoint]]:
    placed = [p for p in points if p.plan_area or p.plan_x is not None]
    return placed, [p for p in points if p not in placed]


def _counts(points: list[RiskPoint]) -> dict[str, int]:
    return {level: sum(1 for p in points if p.risk_level == level) for level in LEVEL_ORDER}


def render_svg(title: str, points: list[RiskPoint], plan: Plan) -> str:
    """The map as SVG text."""
    w, h = plan.width, plan.height
    band = round(h * LEGEND_HEIGHT)
    unit = max(min(w, h) / 100, 4)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h + band}" width="{w}" height="{h + band}" font-family="Noto Serif CJK SC, Source Han Serif SC, SimSun, serif">']
    parts.append(f'<title>{escape(title)}</title><rect width="{w}" height="{h + band}" fill="#fff"/>')
    if plan.data:
        href = f"data:{plan.content_type};base64,{base64.b64encode(plan.data).decode()}"
        parts.append(f'<image href="{href}" x="0" y="0" width="{w}" height="{h}" preserveAspectRatio="none"/>')
    else:
        parts.append(f'<rect x="0" y="0" width="{w}" height="{h}" fill="#f7f7f7" stroke="#999"/><text x="{w / 2}" y="{h / 2}" text-anchor="middle" font-size="{unit * 3}" fill="#999">未上传厂区平面图</text>')
    placed, unplaced = _placed(points)
    dots = []  # drawn last, so no label ever hides a point
    for p in placed:
        colour = FILL[p.risk_level]
        if p.plan_area:
            coords = " ".join(f"{x * w:.1f},{y * h:.1f}" for x, y in p.plan_area)
            parts.append(f'<polygon points="{coords}" fill="{colour}" fill-opacity="0.38" stroke="{colour}" stroke-width="{unit / 3:.1f}" data-code="{escape(p.code)}"/>')
            cx = sum(x for x, _ in p.plan_area) / len(p.plan_area) * w
            cy = sum(y for _, y in p.plan_area) / len(p.plan_area) * h
        else:
            cx, cy = p.plan_x * w, p.plan_y * h  # type: ignore[operator]
            dots.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{unit * 1.4:.1f}" fill="{colour}" stroke="#fff" stroke-width="{unit / 3:.1f}" data-code="{escape(p.code)}"/>')
        # Labels right of their point, or left of it near the right edge (so none runs off the plan).
        right = cx > w * 0.72
        anchor = ' text-anchor="end"' if right else ""
        tx = cx - unit * 1.8 if right else cx + unit * 1.8
        parts.append(f'<text x="{tx:.1f}" y="{cy + unit * 0.8:.1f}"{anchor} font-size="{unit * 2.2:.1f}" fill="#111" stroke="#fff" stroke-width="{unit / 4:.1f}" paint-order="stroke">{escape(p.code)} {escape(p.name)}</text>')
    parts += dots
    y0 = h + unit * 4
    parts.append(f'<text x="{unit * 2}" y="{y0:.1f}" font-size="{unit * 3:.1f}" font-weight="bold">{escape(title)}</text>')
    x = unit * 2
    for level, count in _counts(points).items():
        parts.append(f'<rect x="{x:.1f}" y="{y0 + unit * 2:.1f}" width="{unit * 3:.1f}" height="{unit * 3:.1f}" fill="{FILL[level]}"/>')
        parts.append(f'<text x="{x + unit * 4:.1f}" y="{y0 + unit * 4.4:.1f}" font-size="{unit * 2.2:.1f}">{LEVEL_LABELS[level]} {count}</text>')
        x += unit * 22
    if unplaced:
        names = "、".join(f"{p.code} {p.name}" for p in unplaced[:20]) + (" 等" if len(unplaced) > 20 else "")
        parts.append(f'<text x="{unit * 2}" y="{y0 + unit * 9:.1f}" font-size="{unit * 1.8:.1f}" fill="#b00">未标注位置（{len(unplaced)}）：{escape(names)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_png(title: str, points: list[RiskPoint], plan: Plan, *, max_side: int = 4000) -> bytes:
    """The map as a PNG (the plan scaled down to ``max_side`` at most)."""
    base = Image.open(io.BytesIO(plan.data)).convert("RGB") if plan.data else Image.new("RGB", (plan.width, plan.height), (247, 247, 247))
    if max(base.size) > max_side:
        base.thumbnail((max_side, max_side))
    w, h = base.size
    band = round(h * LEGEND_HEIGHT)
    unit = max(min(w, h) / 100, 4)
    canvas = Image.new("RGB", (w, h + band), "white")
    canvas.paste(base, (0, 0))
    overlay = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    shade = ImageDraw.Draw(overlay)
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.truetype(str(FONT_FILE), max(int(unit * 2.2), 10))
    big = ImageFont.truetype(str(FONT_FILE), max(int(unit * 3), 12))
    placed, unplaced = _placed(points)
    labels, dots = [], []
    for p in placed:
        rgb = tuple(int(FILL[p.risk_level][i:i + 2], 16) for i in (1, 3, 5))
        if p.plan_area:
            polygon = [(x * w, y * h) for x, y in p.plan_area]
            shade.polygon(polygon, fill=(*rgb, 97), outline=(*rgb, 255), width=max(int(unit / 3), 1))
            cx, cy = sum(x for x, _ in polygon) / len(polygon), sum(y for _, y in polygon) / len(polygon)
        else:
            cx, cy = p.plan_x * w, p.plan_y * h  # type: ignore[operator]
            dots.append((cx, cy, rgb))
        labels.append((cx, cy - unit, f"{p.code} {p.name}"))
    canvas.paste(Image.alpha_composite(canvas.convert("RGBA"), overlay).convert("RGB"))
    for x, y, text in labels:
        width = draw.textlength(text, font=font)
        left = x - unit * 1.8 - width if x > w * 0.72 else x + unit * 1.8  # never off the right edge
        draw.text((left, y), text, font=font, fill=(17, 17, 17), stroke_width=max(int(unit / 4), 1), stroke_fill=(255, 255, 255))
    r = unit * 1.4
    for cx, cy, rgb in dots:  # last, so no label ever hides a point
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=rgb, outline=(255, 255, 255), width=max(int(unit / 3), 1))
    y0 = h + unit
    draw.text((unit * 2, y0), title, font=big, fill=(0, 0, 0))
    x = unit * 2
    for level, count in _counts(points).items():
        rgb = tuple(int(FILL[level][i:i + 2], 16) for i in (1, 3, 5))
        draw.rectangle((x, y0 + unit * 4, x + unit * 3, y0 + unit * 7), fill=rgb)
        draw.text((x + unit * 4, y0 + unit * 4.2), f"{LEVEL_LABELS[level]} {count}", font=font, fill=(0, 0, 0))
        x += unit * 22
    if unplaced:
        names = "、".join(f"{p.code} {p.name}" for p in unplaced[:20]) + (" 等" if len(unplaced) > 20 else "")
        draw.text((unit * 2, y0 + unit * 9), f"未标注位置（{len(unplaced)}）：{names}", font=font, fill=(176, 0, 0))
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=False)
    return out.getvalue()
