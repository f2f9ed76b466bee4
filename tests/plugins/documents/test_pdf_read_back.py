"""The PDFs say what the documents say: their text, read back with pypdf, holds every field, table
cell, signer and closing line of the stored content; signed boxes carry their images, unsigned ones
print 待签, a voided document is stamped 作废; page 1 is not blank."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.plugins.documents.conftest import DocWorld

_SPACE = re.compile(r"\s+")


def flat(text: str) -> str:
    """Text without any white space: wrapped lines and cells compare as written."""
    return _SPACE.sub("", text)


def expected_texts(content: dict[str, Any]) -> list[str]:
    """Every piece of text the stored content says the document prints."""
    found = [content["authority"], content["title"], content["number"]]
    for block in content["blocks"]:
        if block["type"] == "paragraph":
            found.append(block["text"])
        elif block["type"] == "fields":
            found += [f"{f['label']}：{f['value']}" for f in block["fields"]]
        else:
            found += block["columns"] + [cell for row in block["rows"] for cell in row if cell]
    for box in content["signature_boxes"]:
        found += [box["label"], box["name"], box["extra"]]
    found += [content["closing"], content["copies_note"]]
    return [text for text in found if text]


async def _pdf(world: DocWorld, document: dict[str, Any]) -> tuple[bytes, str]:
    response = await world.client.get(f"/api/v1/documents/{document['id']}/pdf", headers=world.zhang.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"{document['number']}.pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return response.content, "\n".join(page.extract_text() for page in reader.pages)


async def test_each_document_reads_back_field_by_field(inspected: DocWorld, tmp_path: Path) -> None:
    world = inspected
    documents = [await world.issue(world.zhang.headers, "inspection_record")]
    await world.order_major()
    documents.append(await world.issue(world.zhang.headers, "rectification_order"))
    documents.append(await world.issue(world.zhang.headers, "on_site_measures", measures=["stop_production"], period_start="2026-03-02", period_end="2026-03-16"))
    await world.recheck_both()
    documents.append(await world.issue(world.zhang.headers, "recheck_opinion"))
    for document in documents:
        data, text = await _pdf(world, document)
        page_text = flat(text)
        for piece in expected_texts(document["content"]):
            assert flat(piece) in page_text, (document["type"], piece)
        if document["awaiting"]:
            assert "待签" in text, document["type"]
        if document["type"] == "inspection_record":
            assert "现场照片" in text  # the attached photo page
            images = sum(len(page.images) for page in PdfReader(io.BytesIO(data)).pages)
            assert images >= 5  # three signatures, two photos
        assert_page_one_is_not_blank(data, tmp_path / document["type"])


async def test_a_voided_document_is_stamped_with_its_reason(inspected: DocWorld) -> None:
    world = inspected
    document = await world.issue(world.zhang.headers, "inspection_record")
    await world.client.post(f"/api/v1/documents/{document['id']}/void", json={"reason": "被检查单位名称有误"}, headers=world.zhang.headers)
    _, text = await _pdf(world, document)
    assert "作废" in text and "被检查单位名称有误" in text
    assert flat(document["content"]["number"]) in flat(text)


def assert_page_one_is_not_blank(data: bytes, stem: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: page 1 cannot be turned into an image")
    pdf = stem.with_suffix(".pdf")
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)], check=True)
    image = Image.open(stem.with_suffix(".png")).convert("L")
    dark = sum(1 for value in image.getdata() if value < 128)
    assert dark > 0.01 * image.width * image.height, f"page 1 of {stem.name} is (nearly) blank"
