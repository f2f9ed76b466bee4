"""Page geometry and type sizes: A4 after the 式样 (binding margin on the left, 宋体-like body).

One place for the numbers, so the document, the case cover and the photo pages line up. Sizes are in
points (1/72 inch); the 式样's 二号 is 22 pt, 小二 18 pt, 小四 12 pt, 五号 10.5 pt.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

PAGE_W, PAGE_H = A4
LEFT = 28 * mm  # binding side
RIGHT_MARGIN = 26 * mm
TOP_MARGIN = 28 * mm
BOTTOM_MARGIN = 24 * mm
RIGHT = PAGE_W - RIGHT_MARGIN
CONTENT_W = RIGHT - LEFT
TOP = PAGE_H - TOP_MARGIN  # where the first line box of a page starts
BOTTOM = BOTTOM_MARGIN  # nothing of the body below this line
FOOTER_Y = 12 * mm  # baseline of "第 n 页 共 m 页"

AUTHORITY_SIZE = 18.0  # 小二, bold-ish
TITLE_SIZE = 22.0  # 二号, bold-ish
NUMBER_SIZE = 12.0
BODY_SIZE = 12.0  # 小四
TABLE_SIZE = 10.5  # 五号
SMALL_SIZE = 10.5
FOOTER_SIZE = 9.0

FIELD_LEADING = 1.9  # line box height / font size: forms are airy, values are written on lines
BODY_LEADING = 1.65
TABLE_LEADING = 1.35
CELL_PAD_X = 1.6 * mm
CELL_PAD_Y = 1.2 * mm
ASCENT = 0.88  # of the font, in em: baseline = top of line box - gap - ASCENT * size

BLACK = (0.0, 0.0, 0.0)
GREY = (0.45, 0.45, 0.45)
RULE = (0.15, 0.15, 0.15)
HEADER_FILL = (0.9, 0.9, 0.9)
RED = (0.8, 0.05, 0.05)


def baseline(top: float, line_height: float, size: float) -> float:
    """The baseline of text of ``size`` centred in a line box whose top is at ``top``."""
    return top - (line_height - size) / 2 - ASCENT * size
