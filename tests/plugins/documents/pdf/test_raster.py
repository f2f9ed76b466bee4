"""The PDFs as a reader sees them: page 1 rasterised by poppler (pdftoppm) is not blank, has ink where
the header, body and signatures are, red where a stamp or a note should be.

Set ``ANJIAN_PDF_SAMPLES=<folder>`` to keep the PNGs (one per kind: header and fields, a long table,
signatures, a photo page, a voided document, the case cover) and look at them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from plugins.documents.content import Table
from plugins.documents.pdf import render_case_cover, render_document
from tests.plugins.documents.pdf.samples import COLUMNS, PDFTOPPM, dark_share, finding_rows, page_png, page_texts, record, red_share
from tests.plugins.documents.pdf.test_case_cover import cover

pytestmark = pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (Debian's poppler-utils, installed by .ci/run) is not on PATH")


def _keep(png: Path, name: str) -> None:
    folder = os.environ.get("ANJIAN_PDF_SAMPLES")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(folder) / f"{name}.png")


def test_page_one_of_a_record_has_ink_where_the_form_has_text(tmp_path: Path) -> None:
    png = page_png(render_document(record(awaiting=[])), tmp_path, dpi=50)
    _keep(png, "1-header-fields")
    assert dark_share(png) > 0.01  # not blank
    assert dark_share(png, (0.2, 0.07, 0.8, 0.16)) > 0.02  # the authority and title, centred at the top
    assert dark_share(png, (0.1, 0.2, 0.9, 0.6)) > 0.02  # the fields and paragraphs
    assert dark_share(png, (0.0, 0.0, 1.0, 0.05)) < 0.001  # the top margin is empty when nothing is awaited
    assert red_share(png) < 0.0005


def test_a_long_table_page_and_the_signature_page(tmp_path: Path) -> None:
    pdf = render_document(record(blocks=[Table(columns=COLUMNS, rows=finding_rows(40), widths=[0.6, 3, 3, 3])], photos=[]))
    total = len(page_texts(pdf))
    second = page_png(pdf, tmp_path, page=2, dpi=50)
    _keep(second, "2-table")
    assert dark_share(second, (0.1, 0.1, 0.9, 0.85)) > 0.03  # ruled cells with text all down the page
    last = page_png(pdf, tmp_path, page=total, dpi=50)
    _keep(last, "3-signatures")
    assert dark_share(last) > 0.005


def test_the_photo_page_shows_the_photos(tmp_path: Path) -> None:
    pdf = render_document(record())
    total = len(page_texts(pdf))
    png = page_png(pdf, tmp_path, page=total, dpi=50)
    _keep(png, "4-photos")
    assert dark_share(png, (0.15, 0.15, 0.85, 0.5)) > 0.1  # the first photo (a dark gradient) fills its half


def test_awaited_and_voided_documents_show_red(tmp_path: Path) -> None:
    awaited = page_png(render_document(record()), tmp_path, dpi=50)
    _keep(awaited, "5-awaiting")
    assert red_share(awaited) > 0.0005  # the 待签 note in the top margin
    voided = page_png(render_document(record(voided_reason="文书内容有误，已重新制作", awaiting=[])), tmp_path, dpi=50)
    _keep(voided, "6-voided")
    assert red_share(voided) > 0.02  # the diagonal 作废 stamp


def test_the_case_cover_pages(tmp_path: Path) -> None:
    pdf = render_case_cover(cover(30))
    first = page_png(pdf, tmp_path, dpi=50)
    _keep(first, "7-case-cover")
    assert dark_share(first, (0.1, 0.05, 0.9, 0.6)) > 0.01
    index = page_png(pdf, tmp_path, page=2, dpi=50)
    _keep(index, "8-case-index")
    assert dark_share(index, (0.1, 0.1, 0.9, 0.8)) > 0.02
