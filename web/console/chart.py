"""The 12-month trend as an SVG drawn on the server: two bars a month (registered, closed), an axis
with round ticks, each bar titled with its figure. No chart library and no script: the page reads
the same without JavaScript, prints, and scales with the width of its card (``viewBox``).
Colours are the design system's blue (registered) and green (closed); the figures are in the
table beside it as well, for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from web.console.figures import MonthCount, Workbench

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


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: a label and one value per series (a link makes the row clickable)."""

    label: str
    values: tuple[float, ...]
    href: str | None = None


SERIES_COLOURS = ("#0b5394", "#2e7d32", "#f57c00", "#d7263d")
ROW, LABEL_W, VALUE_W = 26, 150, 56


def _fit(label: str, limit: int = 11) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bars_svg(
    bars: Sequence[Bar], *, chart_id: str, title: str, series: Sequence[str] = ("数量",), percent: bool = False, width: int = WIDTH, label_w: int = LABEL_W,
) -> Markup:
    """Horizontal bars, one row per ``bars`` item and one bar per series in it, as inline SVG.

    Horizontal because Chinese region and industry names read better on their own line than under
    a slanted axis; the height grows with the rows, the width follows the card (``viewBox``).
    ``percent``: values are rates 0..1, the axis runs to 100 %. A narrower ``width`` (a card of
    half the page) keeps the text as large as the page's own.
    """
    count = max(len(series), 1)
    row_h = ROW if count == 1 else 14 * count + 10
    height = TOP + row_h * max(len(bars), 1) + 24
    top: float = 1.0 if percent else nice_ceiling(int(max([v for b in bars for v in b.values] + [0]) + 0.999))
    plot_w = width - label_w - VALUE_W - RIGHT
    bar_h = (row_h - 8) / count

    def x(value: float) -> float:
        return label_w + plot_w * min(value, top) / top

    def shown(value: float) -> str:
        return f"{value * 100:.1f}%" if percent else f"{value:g}"

    parts = [
        f'<svg class="aj-chart bars" id="{chart_id}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    bottom = height - 24
    for tick in range(5):
        value = top * tick / 4 if percent else int(top) * tick // 4
        parts.append(f'<line x1="{x(value):.1f}" x2="{x(value):.1f}" y1="{TOP - 4}" y2="{bottom}" stroke="#d7dde5" stroke-width="1"/>')
        parts.append(f'<text x="{x(value):.1f}" y="{bottom + 16}" text-anchor="middle" font-size="11" fill="#5f6b7a">{escape(shown(value))}</text>')
    for index, item in enumerate(bars):
        y0 = TOP + row_h * index
        row = [f'<text x="{label_w - 8}" y="{y0 + row_h / 2 + 4:.1f}" text-anchor="end" font-size="12" fill="#34414f">{escape(_fit(item.label, (label_w - 8) // 12))}</text>']
        for s, value in enumerate(item.values):
            y = y0 + 4 + bar_h * s
            bar_w = max(x(value) - label_w, 0.0)
            label = escape(f"{item.label} {series[s] if s < len(series) else ''} {shown(value)}")
            row.append(
                f'<rect x="{label_w}" y="{y:.1f}" width="{bar_w:.1f}" height="{bar_h - 2:.1f}" fill="{SERIES_COLOURS[s % len(SERIES_COLOURS)]}" rx="2"><title>{label}</title></rect>'
            )
            row.append(f'<text x="{label_w + bar_w + 4:.1f}" y="{y + bar_h / 2 + 2:.1f}" font-size="11" fill="#34414f">{escape(shown(value))}</text>')
        body = "".join(row)
        parts.append(f'<a href="{escape(item.href)}">{body}</a>' if item.href else body)
    parts.append(f'<line x1="{label_w}" x2="{label_w}" y1="{TOP - 4}" y2="{bottom}" stroke="#9aa5b1" stroke-width="1"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


BREAKDOWNS = (
    ("by_status", "全部隐患按状态"),
    ("by_level", "未销号隐患按等级"),
    ("by_region", "未销号隐患按区划"),
    ("by_industry", "未销号隐患按行业"),
)
MAX_BARS = 15


def breakdown_charts(figures: Workbench) -> dict[str, Markup]:
    """The workbench's four breakdowns as bar charts (at most ``MAX_BARS`` rows each; the tables
    beside them list every slice)."""
    charts = {}
    for name, title in BREAKDOWNS:
        slices = getattr(figures, name)[:MAX_BARS]
        bars = [Bar(s.label, (s.count,), s.href or None) for s in slices]
        charts[name] = bars_svg(bars, chart_id=f"chart-{name.replace('_', '-')}", title=title, series=("隐患",), width=480, label_w=112)
    return charts
