"""The attached photo pages (现场照片): two photos a page, each scaled into its half and captioned
``照片1：…``; an unreadable photo leaves a framed note in its place."""

from __future__ import annotations

from reportlab.lib.units import mm

from plugins.documents.content import Photo
from plugins.documents.pdf import style
from plugins.documents.pdf.blocks import centred_lines
from plugins.documents.pdf.images import PreparedImage
from plugins.documents.pdf.layout import Sheet, fit
from plugins.documents.pdf.wrapping import wrap

PER_PAGE = 2
HEADING = "现场照片"
CAPTION_SIZE = 10.5
CAPTION_LEADING = 1.45


def photo_pages(sheet: Sheet, photos: list[Photo], images: list[PreparedImage | None], *, title: str, number: str) -> None:
    for start in range(0, len(photos), PER_PAGE):
        sheet.new_page()
        centred_lines(sheet, HEADING, style.AUTHORITY_SIZE)
        centred_lines(sheet, f"（{title} {number} 附页）".replace("  ", " "), style.SMALL_SIZE, bold=False)
        sheet.skip(3 * mm)
        slot_h = (sheet.room - (PER_PAGE - 1) * 6 * mm) / PER_PAGE
        for offset, (photo, image) in enumerate(zip(photos[start:start + PER_PAGE], images[start:start + PER_PAGE], strict=True)):
            _slot(sheet, start + offset + 1, photo, image, slot_h)
            sheet.skip(6 * mm)


def _caption(text: str, height: float) -> tuple[float, list[str]]:
    """The caption's size and lines: 五号, smaller when long, cut (…) only beyond a third of the slot at 8 pt."""
    for size in (CAPTION_SIZE, 9.0, 8.0):
        lines = wrap(text, style.CONTENT_W, size)
        if len(lines) * size * CAPTION_LEADING <= height / 3:
            return size, lines
    keep = max(1, int(height / 3 // (size * CAPTION_LEADING)))
    return size, lines[:keep - 1] + [lines[keep - 1][:-1] + "…"]


def _slot(sheet: Sheet, index: int, photo: Photo, image: PreparedImage | None, height: float) -> None:
    size, lines = _caption(f"照片{index}：{photo.caption}" if photo.caption else f"照片{index}", height)
    caption_h = size * CAPTION_LEADING
    box_h = height - len(lines) * caption_h - 2 * mm
    top = sheet.y
    centre = style.LEFT + style.CONTENT_W / 2
    if image is not None:
        w, h = fit(image.width, image.height, style.CONTENT_W, box_h)
        sheet.image(image, centre - w / 2, top - h, w, h)
        sheet.rect(centre - w / 2, top - h, w, h, width=0.4)
        bottom = top - h
    else:
        sheet.rect(style.LEFT, top - box_h, style.CONTENT_W, box_h, width=0.4)
        sheet.text_centre(centre, top - box_h / 2, "（照片无法显示）", CAPTION_SIZE, color=style.GREY)
        bottom = top - box_h
    y = bottom - 2 * mm
    for line in lines:
        sheet.text_centre(centre, style.baseline(y, caption_h, size), line, size)
        y -= caption_h
    sheet.y = top - height
