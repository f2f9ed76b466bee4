"""``render_document``: one enforcement document as an A4 PDF after the national 式样.

Order on paper, as in the 式样: the authority's name, the title, the number (right); the body blocks
(fields, paragraphs, tables) in the type's order; the closing text (how to appeal); the signature
boxes; the seal line (the authority's name and the date of issue, right-aligned, where the seal is
pressed); the copies note at the foot of that page. Photos follow on attached pages. Over it: "待签：…"
on page 1 while signatures are awaited, "作废" and the reason on every page of a voided document.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from plugins.documents.content import DocumentContent, Fields, Paragraph, Table
from plugins.documents.pdf import style
from plugins.documents.pdf.blocks import day, fields, header, paragraph
from plugins.documents.pdf.fonts import text_width
from plugins.documents.pdf.images import prepare_photos, prepare_signature
from plugins.documents.pdf.layout import Sheet
from plugins.documents.pdf.paint import Decoration, paint
from plugins.documents.pdf.photos import photo_pages
from plugins.documents.pdf.signatures import signatures
from plugins.documents.pdf.tables import table
from plugins.documents.pdf.wrapping import wrap

SEAL_SIZE = style.BODY_SIZE
SEAL_INDENT = 4 * style.BODY_SIZE  # the seal line ends this far from the right margin, as on the form
NOTE_SIZE = style.SMALL_SIZE


def render_document(content: DocumentContent) -> bytes:
    """The PDF of ``content`` (nothing is looked up; images are downscaled, see ``images``)."""
    photo_images = prepare_photos([photo.image for photo in content.photos])
    signature_images = [prepare_signature(box.image) if box.image is not None else None for box in content.signatures]
    sheet = Sheet()
    header(sheet, content.authority, content.title, content.number)
    for block in content.blocks:
        if isinstance(block, Fields):
            fields(sheet, block.fields)
        elif isinstance(block, Paragraph):
            paragraph(sheet, block.text)
        elif isinstance(block, Table):
            sheet.skip(2)
            table(sheet, block.columns, block.rows, widths=block.widths, caption=block.caption)
            sheet.skip(style.BODY_SIZE * 0.5)
    if content.closing:
        paragraph(sheet, content.closing)
    signatures(sheet, content.signatures, signature_images, content.awaiting)
    _seal_line(sheet, content)
    _copies_note(sheet, content.copies_note)
    photo_pages(sheet, content.photos, photo_images, title=content.title, number=content.number)
    decoration = Decoration(
        title=f"{content.title} {content.number}".strip(), author=content.authority, subject=content.title,
        voided_reason=content.voided_reason, awaiting=list(content.awaiting),
    )
    return paint(sheet.pages, decoration)


def _seal_line(sheet: Sheet, content: DocumentContent) -> None:
    """The authority's name over the date of issue, both centred on one axis near the right margin."""
    height = SEAL_SIZE * style.BODY_LEADING
    names = wrap(content.authority, style.CONTENT_W / 2, SEAL_SIZE)
    date = day(content.issued_at) or "　　　　年　　月　　日"
    lines = [*names, date]
    sheet.skip(height * 0.8)
    sheet.need(len(lines) * height + _note_height(content.copies_note))
    axis = style.RIGHT - SEAL_INDENT - max(text_width(line, SEAL_SIZE) for line in lines) / 2
    for line in lines:
        sheet.text_centre(axis, style.baseline(sheet.y, height, SEAL_SIZE), line, SEAL_SIZE)
        sheet.y -= height


def _note_height(note: str) -> float:
    return len(wrap(note, style.CONTENT_W, NOTE_SIZE)) * NOTE_SIZE * 1.5 + 3 * mm if note else 0.0


def _copies_note(sheet: Sheet, note: str) -> None:
    """At the foot of the page, under a rule (a new page only when the body reaches down there)."""
    if not note:
        return
    height = _note_height(note)
    sheet.need(height)
    y = sheet.bottom + height
    sheet.line(style.LEFT, y - 1 * mm, style.RIGHT, y - 1 * mm, width=0.5)
    y -= 3 * mm
    for line in wrap(note, style.CONTENT_W, NOTE_SIZE):
        sheet.text(style.LEFT, style.baseline(y, NOTE_SIZE * 1.5, NOTE_SIZE), line, NOTE_SIZE)
        y -= NOTE_SIZE * 1.5
    sheet.y = sheet.bottom
