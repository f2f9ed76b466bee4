"""Photos and signature images made ready for embedding: JPEG, downscaled, cached.

A camera photo (4000×3000, 1–2 MB) would make every document several megabytes; the printed photo is
~17 cm wide, so 1200 px on the long side (~180 dpi) at JPEG quality 80 is plenty. Decoding a large
JPEG dominates the cost of a PDF, so (1) the decoder is asked for a reduced scale first (``draft``:
libjpeg decodes at 1/2, 1/4, 1/8 for a fraction of the work), (2) a JPEG that is already small enough
(the field app sends 1600 px) and upright goes in as it is (≤ 1600 px: ~240 dpi on the page), (3) the result is kept in a
bounded in-process cache keyed by the image's content: the same photos come back in the document, its
re-renders (viewing, signing, the case file) and the inspection's other documents; (4) a document's
photos are prepared side by side on a small thread pool.

Everything becomes a baseline JPEG, which PDF embeds as is (DCTDecode): no raw pixels in the file.
An image that cannot be read gives ``None`` and the page prints a note in its place: one broken
attachment never costs the document.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PIL import Image, ImageOps

PHOTO_LONG_SIDE = 1200
PHOTO_PASS_SIDE = 1600  # the field app's MAX_SIDE (web/app/js/media/photos.js): its photos go in as sent
PHOTO_QUALITY = 80
PHOTO_PASS_BYTES = 600_000  # a small upright JPEG above this is re-encoded all the same
SIGNATURE_LONG_SIDE = 800
SIGNATURE_QUALITY = 90
MAX_PIXELS = 60_000_000  # a non-JPEG beyond this is not decoded (no reduced decoding for PNG)
CACHE_BYTES = 48 * 2**20


@dataclass(frozen=True, slots=True)
class PreparedImage:
    data: bytes  # JPEG
    width: int
    height: int
    key: bytes  # digest of ``data``: names the image object in the PDF (the same bytes in every process)


class _Cache:
    """Least recently used, bounded by the bytes it keeps; safe across threads."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.used = 0
        self.items: OrderedDict[bytes, PreparedImage | None] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: bytes) -> tuple[bool, PreparedImage | None]:
        with self.lock:
            if key not in self.items:
                return False, None
            self.items.move_to_end(key)
            return True, self.items[key]

    def put(self, key: bytes, value: PreparedImage | None) -> None:
        size = len(value.data) if value is not None else 0
        if size > self.budget:
            return
        with self.lock:
            if key in self.items:
                return
            self.items[key] = value
            self.used += size
            while self.used > self.budget:
                _, old = self.items.popitem(last=False)
                self.used -= len(old.data) if old is not None else 0

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.used = 0


CACHE = _Cache(CACHE_BYTES)


def prepare_photo(data: bytes) -> PreparedImage | None:
    return _prepared(data, PHOTO_LONG_SIDE, PHOTO_QUALITY, b"photo", pass_side=PHOTO_PASS_SIDE)


def prepare_photos(photos: list[bytes]) -> list[PreparedImage | None]:
    """Several photos, those not cached decoded side by side on a small thread pool (Pillow releases
    the GIL while decoding and encoding): a document's 4 camera photos in about half the time on 2 cores."""
    if len(photos) < 2:
        return [prepare_photo(data) for data in photos]
    return list(_pool().map(prepare_photo, photos))


_executor: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        with CACHE.lock:
            if _executor is None:
                _executor = ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="pdf-images")
    return _executor


def prepare_signature(data: bytes) -> PreparedImage | None:
    return _prepared(data, SIGNATURE_LONG_SIDE, SIGNATURE_QUALITY, b"signature")


def _key(data: bytes, purpose: bytes) -> bytes:
    """The cache key: length, Python's keyed hash of the whole content (SipHash, ~0.35 ms/MB, its key
    random per process), SHA-256 of the first and last 64 KiB. Two different images agreeing on all
    three by accident is beyond any practical chance; SHA-256 of the whole photo would cost ~1.5 ms/MB
    on every render of every photo."""
    head_tail = hashlib.sha256(data[:65536] + data[-65536:]).digest()
    return hashlib.sha256(b"%s:%d:%d:%s" % (purpose, len(data), hash(data), head_tail)).digest()[:20]


def _prepared(data: bytes, long_side: int, quality: int, purpose: bytes, *, pass_side: int | None = None) -> PreparedImage | None:
    key = _key(data, purpose)
    hit, value = CACHE.get(key)
    if hit:
        return value
    try:
        value = _convert(data, long_side, quality, pass_side or long_side)
    except Exception:  # noqa: BLE001 - any undecodable, truncated or hostile image: a note instead
        value = None
    CACHE.put(key, value)
    return value


def _jpeg(data: bytes, width: int, height: int) -> PreparedImage:
    return PreparedImage(data, width, height, hashlib.sha256(data).digest()[:20])


def _convert(data: bytes, long_side: int, quality: int, pass_side: int) -> PreparedImage | None:
    with Image.open(io.BytesIO(data)) as opened:
        width, height = opened.size
        if width < 1 or height < 1:
            return None
        orientation = opened.getexif().get(0x0112, 1)
        if opened.format == "JPEG":
            if (opened.mode in ("RGB", "L") and orientation == 1 and max(width, height) <= pass_side
                    and len(data) <= PHOTO_PASS_BYTES and not opened.info.get("progression")):
                return _jpeg(data, width, height)
            # libjpeg's reduced decoding: the smallest 1/n scale keeping at least 2/3 of the target size.
            floor = long_side * 2 // 3
            biggest = max(width, height)
            opened.draft("RGB", (max(1, width * floor // biggest), max(1, height * floor // biggest)))
        elif width * height > MAX_PIXELS:
            return None
        image = ImageOps.exif_transpose(opened) if orientation != 1 else opened
        image = _flatten(image)
        if max(image.size) > long_side:
            image.thumbnail((long_side, long_side), Image.Resampling.BICUBIC)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality)
        return _jpeg(out.getvalue(), image.size[0], image.size[1])


def _flatten(image: Image.Image) -> Image.Image:
    """RGB (or grey) on white: a signature's transparent background prints as paper."""
    if image.mode in ("RGB", "L"):
        image.load()
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGB", rgba.size, (255, 255, 255))
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    return image.convert("RGB")
