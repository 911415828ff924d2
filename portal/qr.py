"""QR codes (qrcode library) as inline SVG or PNG bytes, for web pages and PDFs."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_svg(data: str, box_size: int = 10) -> str:
    """An SVG document (string) encoding ``data``; safe to inline with |safe."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size, border=2)
    return image.to_string(encoding="unicode")


def qr_png(data: str, box_size: int = 8) -> bytes:
    """PNG bytes encoding ``data``."""
    buffer = io.BytesIO()
    qrcode.make(data, box_size=box_size, border=2).save(buffer, format="PNG")
    return buffer.getvalue()
