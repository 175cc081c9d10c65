"""Template screens (system administrator of the top-level agency) and the public verification page.

Views validate a form, call ONE service and redirect; who may do what is `documents.policies`
(a refusal is a ledger act and a 403).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from documents import policies, selectors, services
from documents.forms import SealUploadForm, TemplateVersionForm, VerifyUploadForm
from documents.kinds import KINDS, SERVICE_KEYS


def _require(request: HttpRequest) -> None:
    try:
        policies.ensure(request.user, "manage_templates")
    except DomainError as exc:
        raise DjangoPermissionDenied(exc.message) from exc


def _version(pk: int) -> Any:
    try:
        return selectors.template_version_get(pk=pk)
    except DomainError as exc:
        raise Http404(exc.message) from exc


def _spec(kind: str) -> Any:
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404(kind)
    return spec


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    _require(request)
    return render(request, "documents/template_list.html", {"kinds": selectors.template_overview()})


@login_required
def template_kind(request: HttpRequest, kind: str) -> HttpResponse:
    _require(request)
    spec = _spec(kind)
    context = {"spec": spec, "versions": selectors.template_versions(kind=kind), "service_keys": SERVICE_KEYS}
    return render(request, "documents/template_kind.html", context)


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    version = _version(pk)
    context = {"version": version, "spec": _spec(version.kind)}
    return render(request, "documents/version_detail.html", context)


@login_required
def version_new(request: HttpRequest, kind: str) -> HttpResponse:
    """Edit: always saves a new draft version, based on the version given in ?from= (default: newest)."""
    _require(request)
    spec = _spec(kind)
    versions = selectors.template_versions(kind=kind)
    base_pk = request.GET.get("from") or request.POST.get("from")
    base = versions.filter(pk=base_pk).first() if base_pk and str(base_pk).isdigit() else versions.first()
    form = TemplateVersionForm(request.POST or None, initial={"body": base.body if base else ""})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.template_version_create(
                actor=request.user,
                kind=kind,
                body=form.cleaned_data["body"],
                note=form.cleaned_data["note"],
                based_on=base,
            )
        except DomainError as exc:
            if exc.status == 403:
                raise DjangoPermissionDenied(exc.message) from exc
            form.add_error("body" if "body" in exc.field_errors else None, exc.message)
        else:
            messages.success(request, _("Saved as draft version %(version)d.") % {"version": version.version})
            return redirect("documents:version_detail", pk=version.pk)
    context = {"form": form, "spec": spec, "base": base, "service_keys": SERVICE_KEYS}
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/version_form.html", context, status=status)


@login_required
def version_preview(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(pk)
    try:
        pdf = services.template_preview_pdf(actor=request.user, version=version)
    except DomainError as exc:
        if exc.status == 403:
            raise DjangoPermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
        return redirect("documents:version_detail", pk=version.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="preview-{version.kind}-v{version.version}.pdf"'
    return response


@login_required
@require_POST
def version_activate(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    version = _version(pk)
    try:
        services.template_version_activate(actor=request.user, version=version)
    except DomainError as exc:
        if exc.status == 403:
            raise DjangoPermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Version %(version)d is now active.") % {"version": version.version})
    return redirect(reverse("documents:version_detail", args=[version.pk]))


# ------------------------------------------------------------------ public


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public (no login): number, kind, agency, date, digest and validity; compares an uploaded copy.
    Shows no personal data: nothing from the document's content beyond its title and number."""
    document = selectors.document_by_code(code=code)
    if document is None:
        return render(request, "documents/verify.html", {"document": None, "code": code}, status=404)
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    match: bool | None = None
    if request.method == "POST" and form.is_valid():
        match = services.document_verify_bytes(document=document, fileobj=form.cleaned_data["file"])
    context = {
        "document": document,
        "correction": selectors.correction_of(document),
        "signature_valid": services.document_signature_valid(document=document),
        "form": form,
        "match": match,
        "code": code,
    }
    return render(
        request,
        "documents/verify.html",
        context,
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )


# ------------------------------------------------------------------ the agency's seal image


@login_required
def seal_manage(request: HttpRequest) -> HttpResponse:
    """The system administrator's screen for the seal image of their own agency: upload or remove."""
    from org import selectors as org_selectors

    officer = org_selectors.officer_for(request.user)
    try:
        policies.ensure(request.user, "manage_seal", officer.agency if officer else None)
    except DomainError as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    if officer is None:  # the platform operator: no agency of its own
        raise Http404(_("Only the administrator of an agency manages its seal image."))
    agency = officer.agency
    form = SealUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                services.agency_seal_remove(actor=request.user, agency=agency)
                messages.success(request, _("The seal image was removed."))
                return redirect("documents:seal")
            if form.is_valid():
                upload = form.cleaned_data["file"]
                services.agency_seal_set(
                    actor=request.user, agency=agency, fileobj=upload, filename=upload.name
                )
                messages.success(
                    request, _("The seal image is in force for the documents issued from now on.")
                )
                return redirect("documents:seal")
        except DomainError as exc:
            if exc.status == 403:
                raise DjangoPermissionDenied(exc.message) from exc
            form.add_error("file" if "file" in exc.field_errors else None, exc.message)
    context = {"agency": agency, "seal_uri": services.agency_seal_data_uri(agency.pk), "form": form}
    return render(request, "documents/seal.html", context, status=400 if form.errors else 200)
