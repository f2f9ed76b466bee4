"""Painting laid-out pages with reportlab: the operations, then what every page carries (the footer
"第 n 页 共 m 页", the 作废 stamp of a voided document) and page 1's 待签 note.

reportlab's canvas is not documented as thread-safe and the server renders on worker threads, so
painting holds a lock; layout and image preparation (Pillow, which releases the GIL) run outside it.
The canvas starts with our font rather than reportlab's default Helvetica: no page refers to a font
that is not embedded. ``invariant`` makes the bytes a function of the content alone (no timestamp,
no random id), so the same document renders to the same PDF.
"""

from __future__ import annotations

import io
import math
import threading
from dataclasses import dataclass, field

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from plugins.documents.pdf import style
from plugins.documents.pdf.fonts import FONT, font, text_width
from plugins.documents.pdf.images import PreparedImage
from plugins.documents.pdf.layout import Image, Line, Op, Text
from plugins.documents.pdf.wrapping import wrap

_lock = threading.Lock()
BOLD_STROKE = 0.045  # stroke width / size of the bold-ish headings (the face has one weight)


@dataclass(frozen=True)
class Decoration:
    """What is drawn over the laid-out pages."""

    title: str = ""  # the PDF's metadata
    author: str = ""
    subject: str = ""
    voided_reason: str | None = None
    awaiting: list[str] = field(default_factory=list)


class _Jpeg(ImageReader):
    """A prepared JPEG handed to reportlab as is (DCTDecode), named by its digest: reportlab's own
    ImageReader would decode every image to raw pixels just to name it."""

    def __init__(self, image: PreparedImage) -> None:  # no ImageReader set-up: there is nothing to read
        self._image = image
        self._dataA = None
        self.fileName = "jpeg:" + image.key.hex()

    def getRGBData(self) -> bytes:  # reportlab's name; used only to name the image object
        return self._image.key

    def jpeg_fh(self) -> io.BytesIO:
        return io.BytesIO(self._image.data)

    def getSize(self) -> tuple[int, int]:
        return self._image.width, self._image.height


def paint(pages: list[list[Op]], decoration: Decoration) -> bytes:
    """The PDF of the laid-out ``pages`` with ``decoration`` drawn over them."""
    font()
    out = io.BytesIO()
    with _lock:
        canvas = Canvas(out, pagesize=(style.PAGE_W, style.PAGE_H), initialFontName=FONT, initialFontSize=style.BODY_SIZE,
                        invariant=1, pageCompression=1)
        canvas.setTitle(decoration.title)
        canvas.setAuthor(decoration.author)
        canvas.setSubject(decoration.subject)
        canvas.setCreator("anjian")
        total = len(pages)
        awaiting = _awaiting(decoration.awaiting)
        footers = [_footer(number, total) for number in range(1, total + 1)]
        stamp = _stamp_texts(decoration.voided_reason) if decoration.voided_reason is not None else []
        for number, ops in enumerate(pages, start=1):
            _graphics(canvas, [op for op in ops if not isinstance(op, Text)])
            texts = [op for op in ops if isinstance(op, Text)]
            _texts(canvas, [*texts, *(awaiting if number == 1 else []), footers[number - 1]])
            if stamp:
                _void_stamp(canvas, stamp)
            canvas.showPage()
        canvas.save()
    return out.getvalue()


def _rgb(color: tuple[float, float, float]) -> str:
    return fp_str(*color)


def _graphics(canvas: Canvas, ops: list[Op]) -> None:
    """Rules, boxes and images, before the page's text (which so always lies on top). Rules and boxes
    are written as one path stream, colour and width set when they change (a table page has hundreds)."""
    out: list[str] = ["q"]
    stroke: tuple[tuple[float, float, float], float] | None = None
    fill: tuple[float, float, float] | None = None
    for op in ops:
        if isinstance(op, Image):
            out.append("Q")
            canvas._code.append("\n".join(out))
            canvas.drawImage(_Jpeg(op.image), op.x, op.y, op.w, op.h)
            out, stroke, fill = ["q"], None, None
            continue
        if op.color if isinstance(op, Line) else op.stroke:  # a stroked rule or box
            pen = (op.color, op.width) if isinstance(op, Line) else (op.stroke, op.width)
            if pen != stroke:
                out.append(f"{_rgb(pen[0])} RG {fp_str(pen[1])} w")
                stroke = pen
        if isinstance(op, Line):
            out.append(f"{fp_str(op.x1, op.y1)} m {fp_str(op.x2, op.y2)} l S")
            continue
        if op.fill is not None and op.fill != fill:
            out.append(f"{_rgb(op.fill)} rg")
            fill = op.fill
        paint_op = "B" if op.fill is not None and op.stroke is not None else "f" if op.fill is not None else "S"
        out.append(f"{fp_str(op.x, op.y, op.w, op.h)} re {paint_op}")
    out.append("Q")
    canvas._code.append("\n".join(out))


def _texts(canvas: Canvas, texts: list[Text]) -> None:
    """Lines of text as one text object, written directly: font, colour and mode set only when they
    change, each string cut into the font's 256-character subsets by reportlab's ``splitString`` (its
    documented way for dynamic fonts). reportlab's text object would also measure and re-format every
    string: on a table page of several hundred lines, half the rendering time. Wrapped in q … Q so
    nothing leaks out."""
    if not texts:
        return
    ttf = font()
    doc = canvas._doc
    out = ["q BT"]
    size: float | None = None
    subset_now = -1
    color: tuple[float, float, float] | None = None
    bold = False
    for item in texts:
        if item.color != color:
            rgb = fp_str(*item.color)
            out.append(f"{rgb} rg {rgb} RG")
            color = item.color
        if item.bold != bold or (item.bold and item.size != size):
            out.append(f"{fp_str(item.size * BOLD_STROKE)} w 2 Tr" if item.bold else "0 Tr")  # fill and stroke: bold-ish
            bold = item.bold
        if item.size != size:
            size, subset_now = item.size, -1
        out.append(f"1 0 0 1 {fp_str(item.x, item.y)} Tm")
        for subset, chunk in ttf.splitString(item.text, doc):
            if subset != subset_now:
                out.append(f"{ttf.getSubsetInternalName(subset, doc)} {fp_str(size)} Tf")
                subset_now = subset
            out.append(f"({escapePDF(chunk)}) Tj")
    out.append("ET Q")
    canvas._code.append("\n".join(out))


def _footer(number: int, total: int) -> Text:
    label = f"第 {number} 页 共 {total} 页"
    return Text((style.PAGE_W - text_width(label, style.FOOTER_SIZE)) / 2, style.FOOTER_Y, label, style.FOOTER_SIZE, False, style.GREY)


def _clipped(lines: list[str], keep: int) -> list[str]:
    """At most ``keep`` lines, the last ending in … when some were left out (an overlay must not grow)."""
    return lines if len(lines) <= keep else [*lines[:keep - 1], lines[keep - 1][:-1] + "…"]


def _awaiting(awaiting: list[str]) -> list[Text]:
    """"待签：…" in red in the top margin of page 1: visible at a glance, the layout below untouched."""
    if not awaiting:
        return []
    size = style.SMALL_SIZE
    lines = _clipped(wrap("待签：" + "；".join(awaiting), style.CONTENT_W, size), 3)
    top = style.PAGE_H - 11 * mm - size
    return [Text(style.LEFT, top - k * size * 1.3, line, size, True, style.RED) for k, line in enumerate(lines)]


STAMP_SIZE = 130.0
STAMP_WORD = "作废"
REASON_SIZE = 16.0


def _stamp_texts(reason: str) -> list[Text]:
    """The stamp's word and reason, in the stamp's own (rotated, centred) coordinates."""
    width = text_width(STAMP_WORD, STAMP_SIZE)
    # Fill only: a stroke over a translucent fill shows twice.
    texts = [Text(-width / 2, -STAMP_SIZE * 0.12 + 4, STAMP_WORD, STAMP_SIZE, False, style.RED)]
    y = -STAMP_SIZE * 0.32 - REASON_SIZE * 1.9
    for line in _clipped(wrap(f"作废原因：{reason}", width + 120, REASON_SIZE), 6):
        texts.append(Text(-text_width(line, REASON_SIZE) / 2, y, line, REASON_SIZE, False, style.RED))
        y -= REASON_SIZE * 1.4
    return texts


def _void_stamp(canvas: Canvas, texts: list[Text]) -> None:
    """"作废" across the page, diagonal, red and translucent enough to read through; the reason below it."""
    canvas.saveState()
    canvas.setFillAlpha(0.5)
    canvas.setStrokeAlpha(0.5)
    canvas.translate(style.PAGE_W / 2, style.PAGE_H / 2)
    canvas.rotate(math.degrees(math.atan2(style.PAGE_H, style.PAGE_W)) * 0.75)
    width = text_width(STAMP_WORD, STAMP_SIZE)
    canvas.setStrokeColorRGB(*style.RED)
    canvas.setLineWidth(6)
    canvas.rect(-width / 2 - 22, -STAMP_SIZE * 0.32, width + 44, STAMP_SIZE * 1.18, stroke=1, fill=0)
    _texts(canvas, texts)
    canvas.restoreState()
