"""Pages as lists of drawing operations, filled top-down by the layout code, painted afterwards.

Laying out before painting means the page count is known when the first page is drawn (the footer's
"第 n 页 共 m 页") and that layout is plain Python a test can inspect. The cursor ``y`` is the top of
the next line box, in PDF points from the page's bottom edge; :meth:`Sheet.need` starts a new page
when what comes next would cross the bottom margin (a table then repeats its header itself).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from plugins.documents.pdf import style
from plugins.documents.pdf.fonts import text_width
from plugins.documents.pdf.images import PreparedImage

Color = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float
    bold: bool = False
    color: Color = style.BLACK


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.6
    color: Color = style.RULE


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float  # bottom
    w: float
    h: float
    fill: Color | None = None
    stroke: Color | None = style.RULE
    width: float = 0.6


@dataclass(frozen=True, slots=True)
class Image:
    image: PreparedImage
    x: float
    y: float  # bottom
    w: float
    h: float


Op = Text | Line | Rect | Image


@dataclass
class Sheet:
    """The pages laid out so far and the cursor on the last one."""

    top: float = style.TOP
    bottom: float = style.BOTTOM
    pages: list[list[Op]] = field(default_factory=lambda: [[]])
    y: float = style.TOP

    @property
    def ops(self) -> list[Op]:
        return self.pages[-1]

    @property
    def room(self) -> float:
        """Height left above the bottom margin."""
        return self.y - self.bottom

    @property
    def full_room(self) -> float:
        """Height of an empty page's body."""
        return self.top - self.bottom

    @property
    def at_page_top(self) -> bool:
        return self.y >= self.top - 0.01

    def new_page(self) -> None:
        self.pages.append([])
        self.y = self.top

    def need(self, height: float) -> bool:
        """Make room for ``height``: a new page when it does not fit in what is left of this one
        (unless this one is still empty: then it goes here, split by the caller). True on a new page."""
        if height <= self.room + 0.01 or self.at_page_top:
            return False
        self.new_page()
        return True

    def skip(self, height: float) -> None:
        """Vertical space; at most to the bottom margin (space never starts a page)."""
        self.y = max(self.y - height, self.bottom)

    # --- drawing -----------------------------------------------------------------------------------

    def text(self, x: float, y: float, text: str, size: float, *, bold: bool = False, color: Color = style.BLACK) -> None:
        if text:
            self.ops.append(Text(x, y, text, size, bold, color))

    def text_right(self, right: float, y: float, text: str, size: float, **kw: object) -> None:
        self.text(right - text_width(text, size), y, text, size, **kw)  # type: ignore[arg-type]

    def text_centre(self, centre: float, y: float, text: str, size: float, **kw: object) -> None:
        self.text(centre - text_width(text, size) / 2, y, text, size, **kw)  # type: ignore[arg-type]

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.6, color: Color = style.RULE) -> None:
        self.ops.append(Line(x1, y1, x2, y2, width, color))

    def rect(self, x: float, y: float, w: float, h: float, *, fill: Color | None = None, stroke: Color | None = style.RULE,
             width: float = 0.6) -> None:
        self.ops.append(Rect(x, y, w, h, fill, stroke, width))

    def image(self, image: PreparedImage, x: float, y: float, w: float, h: float) -> None:
        self.ops.append(Image(image, x, y, w, h))


def fit(width: int, height: int, box_w: float, box_h: float) -> tuple[float, float]:
    """The size of a ``width``×``height`` picture scaled to fit the box, aspect kept."""
    scale = min(box_w / max(width, 1), box_h / max(height, 1))
    return width * scale, height * scale
