"""Photos and signatures go into the PDF downscaled, upright, as JPEG; a broken image never breaks a document."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from plugins.documents.content import Photo, SignatureBox
from plugins.documents.pdf import render_document
from plugins.documents.pdf.images import CACHE, PHOTO_LONG_SIDE, prepare_photo, prepare_signature
from tests.plugins.documents.pdf.samples import flat, page_texts, photo_jpeg, reader, record, signature_png


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    CACHE.clear()


def _size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        return image.size


def test_a_camera_photo_is_downscaled_to_1200_px() -> None:
    big = photo_jpeg(3, size=(4000, 3000), quality=90)
    prepared = prepare_photo(big)
    assert prepared is not None
    assert max(_size(prepared.data)) <= PHOTO_LONG_SIDE and (prepared.width, prepared.height) == _size(prepared.data)
    assert prepared.width / prepared.height == pytest.approx(4 / 3, rel=0.01)
    assert len(prepared.data) < len(big) / 3


def test_a_small_upright_jpeg_goes_in_as_it_is() -> None:
    small = photo_jpeg(4, size=(800, 600), quality=80)
    prepared = prepare_photo(small)
    assert prepared is not None and prepared.data == small


def test_a_field_app_photo_of_1600_px_goes_in_as_sent() -> None:
    sent = photo_jpeg(6, size=(1600, 1200), quality=80)  # what web/app/js/media/photos.js makes
    prepared = prepare_photo(sent)
    assert prepared is not None and prepared.data == sent and (prepared.width, prepared.height) == (1600, 1200)


def test_exif_orientation_is_applied() -> None:
    turned = photo_jpeg(5, size=(800, 600), exif_orientation=6)  # "rotate 90° clockwise to view"
    prepared = prepare_photo(turned)
    assert prepared is not None and (prepared.width, prepared.height) == (600, 800)


def test_a_transparent_signature_is_flattened_onto_white() -> None:
    prepared = prepare_signature(signature_png(7))
    assert prepared is not None
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.mode == "RGB"
        assert image.getpixel((2, 2)) >= (245, 245, 245)  # the background is paper, not black


def test_prepared_images_are_cached_by_content() -> None:
    data = photo_jpeg(8, size=(2000, 1500))
    first = prepare_photo(data)
    assert prepare_photo(bytes(data)) is first


def test_the_pdf_embeds_jpegs_at_most_1200_px() -> None:
    content = record(photos=[Photo(image=photo_jpeg(9, size=(4000, 3000), quality=90), caption="大图")])
    pdf = render_document(content)
    images = [image for page in reader(pdf).pages for image in page.images]
    assert len(images) == 3  # two signatures and the photo
    for image in images:
        assert image.name.endswith(".jpg")
        assert max(image.image.size) <= PHOTO_LONG_SIDE
    assert len(pdf) < 600_000


@pytest.mark.parametrize("broken", [b"", b"not an image", photo_jpeg(1)[:400], b"\x89PNG\r\n\x1a\n" + b"\x00" * 50])
def test_an_unreadable_image_leaves_a_note_and_the_rest_of_the_document(broken: bytes) -> None:
    content = record(photos=[Photo(image=broken, caption="坏照片")],
                     signatures=[SignatureBox(label="检查人员（签名）", name="张三", image=broken)], awaiting=[])
    text = flat("".join(page_texts(render_document(content))))
    assert "（照片无法显示）" in text and "照片1：坏照片" in text
    assert "（签名图片无法显示）" in text and "姓名：张三" in text


def test_an_oversized_png_is_not_decoded() -> None:
    image = Image.new("1", (9000, 9000))
    out = io.BytesIO()
    image.save(out, "PNG")
    assert prepare_photo(out.getvalue()) is None
