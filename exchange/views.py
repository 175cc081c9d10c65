"""The reporting-upward screen (batches made, the next batch, reconciliation against what the level
above received) and the published JSON Schema (public, no login)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError
from exchange import policies, schema, selectors, services
from org.selectors import officer_for

PAGE_SIZE = 20


@require_GET
def schema_v1(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(schema.SCHEMA, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_required
def index(request: HttpRequest) -> HttpResponse:
    officer = officer_for(request.user)
    agency = officer.agency if officer else None
    may_export = agency is not None and policies.can(request.user, "export", agency)
    page = Paginator(selectors.batches_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "exchange/index.html",
        {
            "page": page,
            "may_export": may_export,
            "received": selectors.received_for(request.user)[:50],
        },
    )


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    officer = officer_for(request.user)
    if officer is None:
        raise Http404
    try:
        batch = services.export_next(actor=request.user, agency=officer.agency)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("exchange:index")
    if batch is None:
        messages.info(request, _("Nothing was recorded since the last batch."))
    else:
        messages.success(request, _("Batch made: %(n)d records.") % {"n": batch.count})
    return redirect("exchange:index")


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    batch = selectors.batches_for(request.user).filter(pk=pk).first()
    if batch is None or not policies.can(request.user, "export", batch.agency):
        raise Http404
    response = StreamingHttpResponse(services.batch_bytes(batch), content_type="application/x-ndjson")
    response["Content-Disposition"] = (
        f'attachment; filename="{batch.file.digest[:12]}-{batch.since}-{batch.until}.ndjson"'
    )
    response["ETag"] = f'"{batch.file.digest}"'
    return response
