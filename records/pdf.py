"""PDFs and watermarks of records: HTML → PDF (WeasyPrint, as documents does), visible watermarks.

WeasyPrint may fetch nothing but `data:` URLs, so no record content can make the server fetch a
file or a URL. Watermarks (issue 5 §3) carry the viewer's name and the time: on images through
Pillow, on PDFs by merging a WeasyPrint-rendered overlay page onto every page (pypdf).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from functools import lru_cache
from typing import IO, Any

from django.template.loader import render_to_string
from django.utils import translation

PDF_LANGUAGE = "zh-hans"


def html_to_pdf(html: str) -> bytes:
    """Through documents (one shared font configuration per thread: a new one per render costs
    the font scan again and is freed late — the archive's +263 MB)."""
    from documents.services import pdf_from_html

    return pdf_from_html(html)


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a records/pdf template to PDF, in Chinese (the language of the case file)."""
    with translation.override(PDF_LANGUAGE):
        return html_to_pdf(render_to_string(template, context))


# ----------------------------------------------------------------------------- watermarks


def watermark_text(viewer: str, when: str) -> str:
    return f"{viewer} {when}"


@lru_cache(maxsize=4)
def _overlay_pdf(text: str) -> bytes:
    with translation.override(PDF_LANGUAGE):
        html = render_to_string("records/pdf/watermark.html", {"text": text, "rows": range(9)})
    return html_to_pdf(html)


def watermark_pdf(src: IO[bytes], out: IO[bytes], text: str) -> None:
    """Write `src` with the watermark `text` over every page to `out`."""
    from pypdf import PdfReader, PdfWriter, Transformation

    overlay = PdfReader(io.BytesIO(_overlay_pdf(text))).pages[0]
    writer = PdfWriter(clone_from=PdfReader(src))
    ow, oh = float(overlay.mediabox.width), float(overlay.mediabox.height)
    for page in writer.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        scale = min(w / ow, h / oh) if ow and oh else 1.0
        page.merge_transformed_page(
            overlay,
            Transformation()
            .scale(scale, scale)
            .translate(float(page.mediabox.left), float(page.mediabox.bottom)),
        )
    writer.write(out)


@lru_cache(maxsize=1)
def _font_path() -> str | None:
    for family in ("Noto Sans CJK SC", "WenQuanYi Micro Hei"):
        if shutil.which("fc-match"):
            try:
                found = subprocess.run(
                    ["fc-match", "-f", "%{file}", family], capture_output=True, text=True, timeout=5
                ).stdout.strip()
            except (OSError, subprocess.SubprocessError):
                found = ""
            if found:
                return found
    return None


def watermark_image(src: IO[bytes], out: IO[bytes], text: str) -> str | None:
    """Write `src` (an image Pillow reads) with `text` tiled over it to `out`; the content type
    written, or None (nothing written) when Pillow cannot read it."""
    from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

    try:
        image = Image.open(src)
        image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    fmt = (image.format or "PNG").upper()
    base = image.convert("RGBA")
    size = max(14, min(base.size) // 18)
    font_file = _font_path()
    try:
        font: Any = ImageFont.truetype(font_file, size) if font_file else ImageFont.load_default(size)
    except OSError:
        font = ImageFont.load_default(size)
    layer = Image.new("RGBA", base.size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(layer)
    box = draw.textbbox((0, 0), text, font=font)
    tw, th = int(box[2] - box[0]), int(box[3] - box[1])
    step_y = max(th * 4, 1)
    step_x = max(tw + size * 3, 1)
    for row, y in enumerate(range(-th, base.size[1] + th, step_y)):
        offset = (row % 2) * step_x // 2
        for x in range(-step_x + offset, base.size[0] + step_x, step_x):
            draw.text((x, y), text, font=font, fill=(200, 0, 0, 90))
    marked = Image.alpha_composite(base, layer)
    if fmt in ("PNG", "WEBP"):
        marked.save(out, fmt)
        return f"image/{fmt.lower()}"
    marked.convert("RGB").save(out, "JPEG", quality=90)
    return "image/jpeg"


def spooled() -> IO[bytes]:
    """A temporary file kept in memory up to 8 MB (a watermarked download), on disk beyond."""
    return tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
