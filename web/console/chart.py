"""The 12-month trend as an SVG drawn on the server: two bars a month (registered, closed), an axis
with round ticks, each bar titled with its figure. No chart library and no script: the page reads
the same without JavaScript, prints, and scales with the width of its card (``viewBox``).
Colours are the design system's blue (registered) and green (closed); the figures are in the
table beside it as well, for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from web.console.figures import MonthCount

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 40
OPENED, CLOSED = "#0b5394", "#2e7d32"


def nice_ceiling(value: int) -> int:
    """A round axis maximum at or above ``value`` (1, 2, 5 × 10ⁿ; at least 4)."""
    if value <= 4:
        return 4
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def trend_svg(months: Sequence[MonthCount]) -> Markup:
    """The chart of ``months`` (oldest first) as inline SVG markup."""
    top = nice_ceiling(max([m.opened for m in months] + [m.closed for m in months] + [0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(months), 1)
    bar = min(18.0, slot * 0.32)

    def y(value: int) -> float:
        return TOP + plot_h - plot_h * value / top

    parts = [
        f'<svg class="aj-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="trend-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="trend-title">近12个月隐患登记与销号数量</title>',
    ]
    for tick in range(5):
        value = top * tick // 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#d7dde5" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11" fill="#5f6b7a">{value}</text>')
    for index, month in enumerate(months):
        x0 = LEFT + slot * index + slot / 2
        for offset, count, colour, what in ((-bar - 1, month.opened, OPENED, "登记"), (1, month.closed, CLOSED, "销号")):
            height = max(y(0) - y(count), 0.0)
            label = escape(f"{month.month} {what} {count} 条")
            parts.append(
                f'<rect x="{x0 + offset:.1f}" y="{y(count):.1f}" width="{bar:.1f}" height="{height:.1f}" fill="{colour}" rx="2"><title>{label}</title></rect>'
            )
        parts.append(f'<text x="{x0:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" fill="#34414f">{escape(month.month[5:])}月</text>')
        if month.month.endswith("-01") or index == 0:
            parts.append(f'<text x="{x0:.1f}" y="{HEIGHT - BOTTOM + 31}" text-anchor="middle" font-size="10" fill="#5f6b7a">{escape(month.month[:4])}</text>')
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#9aa5b1" stroke-width="1"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
