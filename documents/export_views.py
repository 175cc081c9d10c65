"""XLSX downloads of the officer lists (documents.exports): deadlines (core) and issued documents.

Each export is the list the officer sees on screen, with the same filters (query string) and the
same scoping (core.selectors.clock.visible_deadlines, documents.selectors.visible_documents).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from core.forms import DeadlineFilterForm
from core.selectors.clock import deadlines_filtered
from documents import selectors
from documents.exports import Column, xlsx_response
from documents.kinds import KINDS

ITERATOR_CHUNK = 2000


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


@login_required
def deadlines_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The deadline list (/deadlines/) as XLSX, filtered by ?status=&due_from=&due_to= like the page."""
    form = DeadlineFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound:
        if not form.is_valid():
            return HttpResponse(
                _("The filters are not valid: %(errors)s") % {"errors": form.errors.as_text()},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    qs = deadlines_filtered(user=request.user, **filters).select_related("responsible")
    columns = [
        Column(_("Deadline"), 40),
        Column(_("Kind"), 20),
        Column(_("Legal basis"), 30),
        Column(_("Start date"), 12),
        Column(_("Due date"), 12),
        Column(_("Provisional"), 8),
        Column(_("Status"), 10),
        Column(_("Responsible"), 14),
        Column(_("Satisfied by"), 20),
    ]

    def rows() -> Iterator[list[Any]]:
        for d in qs.iterator(chunk_size=ITERATOR_CHUNK):
            yield [
                d.title,
                d.kind,
                d.legal_basis,
                d.start_date,
                d.due_date,
                d.provisional,
                d.get_status_display(),
                _person(d.responsible),
                d.satisfied_by,
            ]

    today = timezone.localdate().isoformat()
    return xlsx_response(rows(), columns, _("Deadlines"), f"deadlines-{today}.xlsx")


@login_required
def documents_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The documents issued by the agencies the officer may read, as XLSX (?kind= to narrow).
    Numbers, kinds and dates only: no party data (the content stays in the PDF)."""
    qs = selectors.visible_documents(request.user).select_related("supersedes", "superseded_by")
    kind = request.GET.get("kind") or ""
    if kind in KINDS:
        qs = qs.filter(kind=kind)
    columns = [
        Column(_("Document number"), 26),
        Column(_("Kind"), 22),
        Column(_("Issuing agency"), 24),
        Column(_("Date of the document"), 14),
        Column(_("Issued at"), 18),
        Column(_("Subject"), 18),
        Column(_("Template version"), 10),
        Column(_("Corrects"), 26),
        Column(_("Corrected by"), 26),
        Column(_("SHA-256 of the PDF"), 66),
    ]

    def rows() -> Iterator[list[Any]]:
        for d in qs.iterator(chunk_size=ITERATOR_CHUNK):
            corrected_by = getattr(d, "superseded_by", None)
            spec = KINDS.get(d.kind)
            yield [
                d.number,
                spec.official_title if spec else d.kind,
                d.agency.name,
                d.issued_on,
                d.issued_at,
                f"{d.subject_type} {d.subject_id}".strip(),
                d.template_version.version,
                d.supersedes.number if d.supersedes is not None else "",
                corrected_by.number if corrected_by is not None else "",
                d.pdf_sha256,
            ]

    today = timezone.localdate().isoformat()
    return xlsx_response(rows(), columns, _("Issued documents"), f"documents-{today}.xlsx")
