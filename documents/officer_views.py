"""Officers' access to issued documents: the stored PDF, for whoever may read the issuing agency.

The case page lists a case's documents (cases/templates/cases/_documents.html) and links here.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from core.errors import DomainError
from core.services.files import file_open
from documents import policies, selectors


@login_required
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The issued PDF, byte for byte (its digest is in the ledger); 404 outside the actor's agencies."""
    document = selectors.visible_documents(request.user).filter(pk=pk).select_related("stored_file").first()
    if document is None:
        raise Http404
    try:
        policies.ensure(request.user, "view", document.agency)
    except DomainError as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    with file_open(document.stored_file) as fh:
        pdf = fh.read()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.kind}-{document.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
