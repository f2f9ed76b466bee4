"""The one font every PDF embeds: "Anjian Serif SC", shipped in ``fontdata/`` with its licence (OFL).

Why this font: a PDF must look the same on any machine, so the font travels inside it (embedded,
subset to the characters used) and inside the wheel (``pip install -e '.[test]'`` brings it; no system
font — fonts-wqy-zenhei on a developer's machine is not on CI's — and no download at run time). The
式样 sets its body in 宋体, so a Song/Ming serif: Noto Serif CJK SC (Adobe's Source Han Serif design,
SIL Open Font License 1.1, which allows subsetting and redistribution with the licence beside it).
reportlab embeds only TrueType (``glyf``) outlines, and the original is CFF, 26 MB for five languages:
``fontdata/build_font.py`` keeps GB 2312 and what documents print beside it (~7,900 glyphs), converts
the outlines and renames the family as the OFL asks of a Modified Version — 2.8 MB. Headings are the
same face drawn with a thin stroke (bold-ish, like the 式样's 小标宋) rather than a second 3 MB file.

reportlab's own subsetter cuts a per-document subset from the parsed font in milliseconds (parsed
once per process, lazily); fontTools subsetting of a CJK font per PDF would cost ~100 ms each.
A character outside the font prints as the font's empty box (and is missing from the PDF's text):
:func:`missing` lists such characters, for a caller that wants to warn before issuing.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "AnjianSerifSC"
FONT_FILE = Path(__file__).resolve().parent / "fontdata" / "AnjianSerifSC-Regular.ttf"
LICENCE_FILE = FONT_FILE.with_name("OFL.txt")

_lock = threading.Lock()
_font: TTFont | None = None


def font() -> TTFont:
    """The registered font (parsed on first use, once per process)."""
    global _font
    if _font is None:
        with _lock:
            if _font is None:
                # JPEGs and font streams as binary, not ASCII85 (a quarter smaller, and faster); subsets
                # packed densely. reportlab reads these when a document is created; nothing else here uses it.
                rl_config.useA85 = 0
                rl_config.ttfAsciiReadable = 0
                loaded = TTFont(FONT, str(FONT_FILE))
                pdfmetrics.registerFont(loaded)
                _font = loaded
    return _font


_widths: dict[str, float] = {}


def widths() -> dict[str, float]:
    """Every character the font has → its advance width at 1 pt (filled once; the wrapping's hot path)."""
    if not _widths:
        face = font().face
        table = {chr(code): width / 1000.0 for code, width in face.charWidths.items()}
        _widths.update(table)
    return _widths


def char_width(char: str) -> float:
    """Advance width of ``char`` at 1 pt (a CJK character is 1.0, a Latin letter about 0.5)."""
    width = widths().get(char)
    if width is None:
        width = font().face.defaultWidth / 1000.0
    return width


def text_width(text: str, size: float) -> float:
    known = widths()
    default = font().face.defaultWidth / 1000.0
    return sum(known.get(c, default) for c in text) * size


def has_glyph(char: str) -> bool:
    return ord(char) in font().face.charToGlyph


def missing(text: str) -> set[str]:
    """Printable characters of ``text`` the font has no glyph for."""
    return {c for c in text if not c.isspace() and not has_glyph(c)}
