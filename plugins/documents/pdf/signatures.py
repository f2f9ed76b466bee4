"""Signature boxes, two to a line: the label, the signature image scaled into its place, the printed
name (and e.g. 执法证号), the date it was signed.

A box still awaited (listed in ``awaiting``) and without an image prints "待签" where the signature
goes; any other unsigned box is left blank with a line to sign on paper. A row of boxes is kept on
one page.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from plugins.documents.content import SignatureBox
from plugins.documents.pdf import style
from plugins.documents.pdf.blocks import day
from plugins.documents.pdf.images import PreparedImage
from plugins.documents.pdf.layout import Sheet, fit
from plugins.documents.pdf.wrapping import wrap

GAP = 8.0
IMAGE_H = 15 * mm  # 15 mm for the handwriting
LABEL_SIZE = 11.0
TEXT_SIZE = 10.5
PENDING = "待签"
BLANK_DATE = "　　　　年　　月　　日"


def awaited(box: SignatureBox, awaiting: list[str]) -> bool:
    """Whether ``awaiting`` (the issuing side's titles: ``label`` or ``label：name``, maybe with a note) names this box."""
    titles = {box.label, f"{box.label}：{box.name}"} if box.name else {box.label}
    return any(entry == title or entry.startswith(title + "（") for entry in awaiting for title in titles)


def _box_lines(box: SignatureBox, width: float) -> tuple[list[str], list[str]]:
    """The label's lines and the lines under the image (name and extra, date)."""
    label = wrap(box.label, width, LABEL_SIZE)
    details = " ".join(part for part in (f"姓名：{box.name}" if box.name else "", box.extra) if part)
    under = wrap(details, width, TEXT_SIZE) if details else []
    under += [day(box.signed_at) or BLANK_DATE]
    return label, under


def signatures(sheet: Sheet, boxes: list[SignatureBox], images: list[PreparedImage | None], awaiting: list[str]) -> None:
    if not boxes:
        return
    width = (style.CONTENT_W - GAP) / 2
    sheet.skip(style.BODY_SIZE * 0.6)
    for start in range(0, len(boxes), 2):
        pair = list(zip(boxes[start:start + 2], images[start:start + 2], strict=True))
        laid = [_box_lines(box, width) for box, _ in pair]
        label_h = LABEL_SIZE * 1.5
        text_h = TEXT_SIZE * 1.5
        height = max(len(label) * label_h + IMAGE_H + len(under) * text_h for label, under in laid) + 6
        sheet.need(height)
        top = sheet.y
        for column, ((box, image), (label, under)) in enumerate(zip(pair, laid, strict=True)):
            x = style.LEFT + column * (width + GAP)
            y = top
            for line in label:
                sheet.text(x, style.baseline(y, label_h, LABEL_SIZE), line, LABEL_SIZE)
                y -= label_h
            _signature_area(sheet, box, image, x, y, width, awaited(box, awaiting))
            y -= IMAGE_H
            for line in under:
                sheet.text(x, style.baseline(y, text_h, TEXT_SIZE), line, TEXT_SIZE)
                y -= text_h
        sheet.y = top - height


def _signature_area(sheet: Sheet, box: SignatureBox, image: PreparedImage | None, x: float, top: float, width: float,
                    pending: bool) -> None:
    area_w = width * 0.75
    sheet.line(x, top - IMAGE_H + 2, x + area_w, top - IMAGE_H + 2, width=0.5)
    if image is not None:
        w, h = fit(image.width, image.height, area_w, IMAGE_H - 4)
        sheet.image(image, x + 4, top - IMAGE_H + 3, w, h)
    elif box.image is not None:  # an image that could not be read
        sheet.text(x + 4, top - IMAGE_H * 0.6, "（签名图片无法显示）", TEXT_SIZE, color=style.GREY)
    elif pending:
        sheet.text(x + 4, top - IMAGE_H * 0.62, PENDING, 14.0, bold=True, color=style.RED)
