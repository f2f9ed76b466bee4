"""QR images of safety codes, drawn by segno (a maintained, dependency-free QR encoder: the
encoding, masking and error correction of ISO/IEC 18004 are not worth writing by hand)."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str, *, scale: int = 4, dark: str = "#000") -> str:
    """An SVG QR code of ``url`` (error correction M: survives a scratched sign)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", scale=scale, dark=dark, xmldecl=False, svgns=True, border=2)
    return buffer.getvalue().decode("utf-8")


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """A PNG QR code of ``url`` for PDFs and printing."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
