"""Rendering: template body → HTML → PDF (WeasyPrint), text back out of the PDF (pypdf), DOCX (docxtpl).

No database writes here; documents.services calls these inside its acts.

Template bodies are edited by administrators, so they run on their own template engine: no
loaders (no {% include %} / {% extends %}), only the built-in tags listed in ALLOWED_TAGS and the
filters of `documents.templatetags.document_filters`, autoescape on. WeasyPrint may fetch nothing
but `data:` URLs, so a template (or a party name) cannot make the server fetch a file or a URL.
"""

from __future__ import annotations

import base64
import datetime
import io
import re
import secrets
import threading
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from documents.kinds import SERVICE_KEYS, Element, KindSpec
from documents.templatetags.document_filters import chinese_date

ALLOWED_TAGS = frozenset(
    {
        "if",
        "elif",
        "else",
        "endif",
        "for",
        "empty",
        "endfor",
        "with",
        "endwith",
        "comment",
        "endcomment",
        "firstof",
        "cycle",
        "spaceless",
        "endspaceless",
        "filter",
        "endfilter",
        "verbatim",
        "endverbatim",
        "templatetag",
        "widthratio",
        "now",
    }
)
FORBIDDEN_FILTERS = frozenset({"safe", "safeseq"})
MAX_BODY_CHARS = 100_000
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 12  # 31**12 ≈ 2**59 codes

_TAG_RE = re.compile(r"{%-?\s*(\w+)")
_FILTER_RE = re.compile(r"\|\s*(\w+)")
_WS_RE = re.compile(r"\s+")
_PAGE_NUMBER_RE = re.compile(r"^\s*—\s*\d+\s*—\s*$", re.M)


class TemplateInvalid(ValidationFailed):
    code = "document_template_invalid"


class RenderFailed(ValidationFailed):
    code = "document_render_failed"


@lru_cache(maxsize=1)
def engine() -> Engine:
    return Engine(
        dirs=[],
        app_dirs=False,
        autoescape=True,
        debug=False,
        libraries={},
        builtins=["documents.templatetags.document_filters"],
        string_if_invalid="",
    )


def template_check(body: str) -> None:
    """Refuse a body that does not compile or uses a tag or filter outside the allowed set."""
    if not body.strip() or len(body) > MAX_BODY_CHARS:
        raise TemplateInvalid(
            _("A template body needs 1 to %(max)d characters.") % {"max": MAX_BODY_CHARS},
            field_errors={"body": [_("Enter the template body.")]},
        )
    for name in _TAG_RE.findall(body):
        if name not in ALLOWED_TAGS:
            message = _(
                "The template uses the tag {%% %(tag)s %%}, which document templates may not use; "
                "allowed are if, for, with, comment, firstof and cycle."
            ) % {"tag": name}
            raise TemplateInvalid(message, field_errors={"body": [message]})
    for block in re.findall(r"{{.*?}}|{%.*?%}", body, flags=re.S):
        for name in _FILTER_RE.findall(block):
            if name in FORBIDDEN_FILTERS:
                message = _(
                    "The template uses the filter |%(filter)s, which would put the data into the "
                    "document unescaped; remove it."
                ) % {"filter": name}
                raise TemplateInvalid(message, field_errors={"body": [message]})
    try:
        engine().from_string(body)
    except TemplateSyntaxError as exc:
        message = _("The template has a syntax error: %(error)s. Correct it before saving.") % {"error": exc}
        raise TemplateInvalid(message, field_errors={"body": [message]}) from exc


# ------------------------------------------------------------------ context


def display(value: Any) -> str:
    """How a value is written in a document (dates as 2026年3月5日)."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return chinese_date(value)
    if value is None:
        return ""
    return str(value)


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return not any(not is_empty(v) for v in value)
    return False


def normalise_context(spec: KindSpec, context: Mapping[str, Any]) -> dict[str, Any]:
    """Coerce the declared keys (dates from ISO strings, lists of strings, flags) and keep the rest."""
    out: dict[str, Any] = dict(context)
    for key in (*spec.keys, *SERVICE_KEYS):
        if key.name not in out:
            continue
        value = out[key.name]
        if key.date and isinstance(value, str) and value:
            try:
                out[key.name] = datetime.date.fromisoformat(value)
            except ValueError as exc:
                raise ValidationFailed(
                    _("%(label)s must be a date (YYYY-MM-DD).") % {"label": key.label},
                    code="document_context_invalid",
                    field_errors={key.name: [_("Enter a date.")]},
                ) from exc
        elif key.many:
            if value is None or value == "":
                out[key.name] = []
            elif isinstance(value, str):
                out[key.name] = [value]
            else:
                out[key.name] = [display(v) for v in value]
        elif key.flag:
            out[key.name] = bool(value)
    return out


def missing_keys(spec: KindSpec, context: Mapping[str, Any]) -> list[Any]:
    return [key for key in spec.keys if key.required and is_empty(context.get(key.name))]


def json_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """The context as stored on the document (JSON: dates as ISO strings, decimals as strings)."""

    def conv(value: Any) -> Any:
        if isinstance(value, (datetime.date, datetime.datetime)):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, (list, tuple)):
            return [conv(v) for v in value]
        if isinstance(value, dict):
            return {str(k): conv(v) for k, v in value.items()}
        return value

    return {str(k): conv(v) for k, v in context.items()}


def new_verification_code() -> str:
    """Random, unguessable, never derived from the number: 12 characters of an unambiguous alphabet."""
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def code_display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


# ------------------------------------------------------------------ HTML and PDF


def qr_data_uri(text: str) -> str:
    import qrcode
    from qrcode.image.pil import PilImage

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=2)
    qr.add_data(text)
    qr.make(fit=True)
    image = qr.make_image(image_factory=PilImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


SEAL_TEXT = "（印章）"
# The stamp placeholder of the templates: an element with class "stamp" whose text is （印章）.
# Party data cannot forge it (autoescaped: no markup of its own).
_STAMP_RE = re.compile(r'(<(\w+)[^>]*\bclass="[^"]*\bstamp\b[^"]*"[^>]*>)\s*（印章）\s*(</\2>)')


def place_seal(inner_html: str, seal_uri: str) -> tuple[str, int]:
    """Put the agency's seal image in place of each （印章） stamp placeholder; (html, how many)."""
    if not seal_uri:
        return inner_html, 0
    image = f'<img class="seal-image" src="{seal_uri}" alt="{SEAL_TEXT}">'
    return _STAMP_RE.subn(lambda m: f"{m.group(1)}{image}{m.group(3)}", inner_html)


def image_data_uri(data: bytes, content_type: str = "image/png") -> str:
    return f"data:{content_type};base64," + base64.b64encode(data).decode("ascii")


def render_html(
    *,
    spec: KindSpec,
    body: str,
    context: Mapping[str, Any],
    preview: bool = False,
    seal_uri: str = "",
    placed: list[int] | None = None,
) -> str:
    """The full HTML page: the fixed frame (page, title, number line, verification) around the body.

    With `seal_uri` (a data: URL of the agency's seal image) the seal replaces the （印章）
    placeholder; the number of seals placed is appended to `placed` when given."""
    try:
        inner = engine().from_string(body).render(Context(dict(context), autoescape=True))
    except TemplateSyntaxError as exc:
        raise TemplateInvalid(
            _("The template has a syntax error: %(error)s. Correct it before saving.") % {"error": exc}
        ) from exc
    except Exception as exc:  # a template error at render time must refuse the act, not crash it
        raise RenderFailed(
            _("The template could not be rendered with these data (%(error)s); correct the template.")
            % {"error": exc}
        ) from exc
    inner_html, count = place_seal(str(inner), seal_uri)
    if placed is not None:
        placed.append(count)
    verify_url = str(context.get("verify_url") or "")
    frame = {
        **context,
        "body_html": mark_safe(inner_html),
        "preview": preview,
        "code_display": code_display(str(context.get("verification_code") or "")),
        "qr": qr_data_uri(verify_url or str(context.get("verification_code") or "")),
    }
    return render_to_string("documents/pdf/frame.html", frame)


_FONTS = threading.local()


def font_config() -> Any:
    """This thread's WeasyPrint `FontConfiguration`, shared by all its renders.

    WeasyPrint's default is a new one per `write_pdf`: it loads the fontconfig configuration and
    scans every installed font again (C memory), and it is released only when Python's cyclic
    garbage collector reaches it — rarely, since C memory does not count towards the collector's
    thresholds. A worker issuing documents grew to 1.3 GiB over 1,000 documents that way; with one
    configuration per thread its memory stays flat (benchmarks/RESULTS.md). Our templates declare
    no @font-face, so the configuration holds only the system fonts and two small style caches.
    Fonts installed later (an agency's licensed 仿宋) are seen after a restart of the process.
    Pango font maps are not thread-safe, hence one per thread.
    """
    config = getattr(_FONTS, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _FONTS.config = FontConfiguration()
    return config


def url_fetcher() -> Any:
    """This thread's WeasyPrint URL fetcher: `data:` URLs only (the seal, the QR code; a template can
    make the renderer fetch nothing from the network or the disk). Built once per thread: building
    one loads the system's CA certificates for an HTTPS handler it never uses, ~10 % of a render."""
    fetcher = getattr(_FONTS, "fetcher", None)
    if fetcher is None:
        from weasyprint.urls import URLFetcher

        fetcher = _FONTS.fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
    return fetcher


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=None, url_fetcher=url_fetcher()).write_pdf(font_config=font_config())
    assert pdf is not None
    return bytes(pdf)


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    # The page number (— 1 —) sits between the text of two pages; drop it so that a value that
    # runs over a page break reads as one.
    return "\n".join(_PAGE_NUMBER_RE.sub("", page.extract_text() or "") for page in reader.pages)


def _squash(text: str) -> str:
    return _WS_RE.sub("", text)


def _needles(value: Any) -> Iterable[str]:
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _needles(item)
        return
    text = _squash(display(value))
    if text:
        yield text


def element_present(element: Element, text: str, context: Mapping[str, Any]) -> bool:
    """Every marker and every value of the element's keys appears in the (whitespace-free) text."""
    squashed = _squash(text)
    for marker in element.markers:
        if _squash(marker) not in squashed:
            return False
    for key in element.keys:
        needles = list(_needles(context.get(key)))
        if not needles or any(n not in squashed for n in needles):
            return False
    return True


def missing_elements(
    spec: KindSpec, text: str, context: Mapping[str, Any], *, seal_placed: bool = False
) -> list[Element]:
    """The kind's elements missing from the text. With `seal_placed` (the agency's seal image drawn
    in place of the （印章） placeholder) the seal element is present although its text is not."""
    return [
        e
        for e in spec.elements
        if not (seal_placed and e.code == "seal") and not element_present(e, text, context)
    ]


# ------------------------------------------------------------------ DOCX


def _east_asian(run_or_style: Any, font: str) -> None:
    from docx.oxml.ns import qn

    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), font)


def docx_template(spec: KindSpec) -> bytes:
    """A plain Word template for the kind: title, number, one line per context key, agency and date."""
    from docx import Document as WordDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    word = WordDocument()
    normal = word.styles["Normal"]
    normal.font.name = "FangSong"
    normal.font.size = Pt(16)
    _east_asian(normal, "仿宋_GB2312")
    title = word.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("{{ agency_name }}")
    run.bold = True
    title = word.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("{{ kind_title }}")
    run.bold = True
    run.font.size = Pt(22)
    number = word.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    number.add_run("{{ number }}")
    for key in spec.keys:
        paragraph = word.add_paragraph()
        if key.many:
            placeholder = (
                "{% for item in " + key.name + " %}{{ item }}{% if not loop.last %}；{% endif %}{% endfor %}"
            )
        elif key.flag:
            placeholder = "{% if " + key.name + " %}是{% else %}否{% endif %}"
        else:
            placeholder = "{{ " + key.name + " }}"
        paragraph.add_run(f"{key.label}：{placeholder}")
    for placeholder in ("{{ agency_name }}", "{{ issued_on }}"):
        paragraph = word.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.add_run(placeholder)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def render_docx(*, spec: KindSpec, context: Mapping[str, Any]) -> bytes:
    """Render the kind's Word template with docxtpl, autoescape on (DEPENDENCIES.md §4.1)."""
    from docxtpl import DocxTemplate

    values: dict[str, Any] = {}
    for name, value in context.items():
        if isinstance(value, (list, tuple)):
            values[name] = [display(v) for v in value]
        elif isinstance(value, bool):
            values[name] = value
        else:
            values[name] = display(value)
    template = DocxTemplate(io.BytesIO(docx_template(spec)))
    template.render(values, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
