"""The font travels inside every PDF (embedded subsets of the shipped file); no page names a font the
reader would have to find on its machine."""

from __future__ import annotations

import tomllib
from pathlib import Path

from plugins.documents.pdf import render_case_cover, render_document
from plugins.documents.pdf.fonts import FONT_FILE, LICENCE_FILE, has_glyph, missing
from tests.plugins.documents.pdf.samples import fonts_of, record
from tests.plugins.documents.pdf.test_case_cover import cover

ROOT = Path(__file__).resolve().parents[4]


def _check_embedded(pdf: bytes) -> None:
    fonts = fonts_of(pdf)
    assert fonts, "no font resources at all"
    for font in fonts:
        assert font["files"] == ["/FontFile2"], font  # TrueType program embedded
        assert font["subtype"] == "/TrueType", font
        prefix, _, name = font["base"].lstrip("/").partition("+")
        assert len(prefix) == 6 and prefix.isupper(), font  # a subset, tagged as PDF requires
        assert name == "AnjianSerifSC-Regular", font
    assert b"Helvetica" not in pdf and b"Times-Roman" not in pdf and b"SimSun" not in pdf


def test_documents_embed_only_the_shipped_font() -> None:
    _check_embedded(render_document(record()))
    _check_embedded(render_document(record(voided_reason="重复制作", awaiting=[])))


def test_the_case_cover_embeds_only_the_shipped_font() -> None:
    _check_embedded(render_case_cover(cover(3)))


def test_the_font_ships_in_the_package_with_its_licence() -> None:
    assert FONT_FILE.is_file() and FONT_FILE.stat().st_size < 4_000_000
    assert FONT_FILE.parent == ROOT / "plugins" / "documents" / "pdf" / "fontdata"
    licence = LICENCE_FILE.read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Adobe" in licence
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    patterns = package_data.get("plugins.documents.pdf", [])
    assert "fontdata/*.ttf" in patterns and "fontdata/OFL.txt" in patterns


def test_the_font_covers_what_documents_print() -> None:
    wording = "德阳市广汉市应急管理局现场检查记录责令限期整改指令书整改复查意见书〔2026〕12号：；，。、（）《》“”①②℃㎡×—…·√□"
    assert missing(wording) == set()
    assert all(has_glyph(c) for c in "堃喆赟镕珺")  # name hanzi outside GB 2312
    assert missing("𠀀") == {"𠀀"}  # an extension-B character is not in the subset: reported, not hidden
