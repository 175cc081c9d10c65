"""Officer list/detail and the forms that call officer, role and certificate services."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from org import policies, selectors, services
from org.forms import (
    CertificateIssueForm,
    CertificateRenewForm,
    OfficerCreateForm,
    OfficerEditForm,
    OfficerFilterForm,
    QualificationForm,
    ReasonForm,
    RoleForm,
    add_domain_error,
)
from org.models import Agency, Officer

PAGE_SIZE = 25


def _officer(request: HttpRequest, pk: int) -> Officer:
    return get_object_or_404(policies.visible_officers(request.user), pk=pk)


def _form_page(request: HttpRequest, form: Any, title: str, back: Any) -> HttpResponse:
    status = 400 if form.is_bound else 200
    return render(request, "org/form.html", {"form": form, "title": title, "back": back}, status=status)


@login_required
def officer_list(request: HttpRequest) -> HttpResponse:
    form = OfficerFilterForm(request.GET or None, agencies=policies.visible_agencies(request.user),
                             departments=policies.visible_departments(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    officers = selectors.officers_filtered(
        request.user, department_id=getattr(filters.get("department"), "pk", None),
        agency_id=getattr(filters.get("agency"), "pk", None),
        role=filters.get("role") or None, certificate_status=filters.get("certificate") or None,
        query=filters.get("q", ""),
    ).prefetch_related("role_assignments", "certificates")
    page = Paginator(officers, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "org/officer_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "today": timezone.localdate(),
        "may_create": bool(selectors.administered_agency_ids(request.user) != []),
    })


@login_required
def officer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _officer(request, pk)
    today = timezone.localdate()
    certificates = officer.certificates.prefetch_related("fields").order_by("-expires_on")
    return render(request, "org/officer_detail.html", {
        "officer": officer, "today": today, "soon": today + datetime.timedelta(days=30),
        "roles": officer.role_assignments.select_related("granted_by"),
        "certificates": certificates, "qualifications": officer.legal_qualifications.all(),
        "role_form": RoleForm(), "reason_form": ReasonForm(),
        "may_manage": policies.can(request.user, "update_officer", officer),
        "may_grant": policies.can(request.user, "grant_role", officer),
    })


@login_required
def officer_create(request: HttpRequest) -> HttpResponse:
    ids = selectors.administered_agency_ids(request.user)
    agencies = Agency.objects.all() if ids is None else Agency.objects.filter(pk__in=ids)
    form = OfficerCreateForm(request.POST or None, agencies=agencies,
                             departments=policies.visible_departments(request.user).filter(active=True))
    if request.method == "POST" and form.is_valid():
        try:
            officer = services.officer_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Officer registered."))
            return redirect("org:officer_detail", pk=officer.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return _form_page(request, form, _("Register an officer"), None)


@login_required
def officer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _officer(request, pk)
    initial = {"name": officer.name, "title": officer.title, "phone": officer.phone,
               "department": officer.department_id, "is_auxiliary": officer.is_auxiliary}
    form = OfficerEditForm(request.POST or None, initial=initial,
                           departments=officer.agency.departments.filter(active=True))
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_update(actor=request.user, officer=officer, **form.cleaned_data)
            messages.success(request, _("Officer updated."))
            return redirect("org:officer_detail", pk=officer.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return _form_page(request, form, _("Edit officer"), officer)


@login_required
@require_POST
def officer_role(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    officer = _officer(request, pk)
    form = RoleForm(request.POST)
    service = {"grant": services.role_grant, "revoke": services.role_revoke}.get(action)
    if service is None:
        raise Http404
    if form.is_valid():
        try:
            service(actor=request.user, officer=officer, role=form.cleaned_data["role"])
            messages.success(request, _("Roles updated."))
            return redirect("org:officer_detail", pk=officer.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return _form_page(request, form, _("Roles"), officer)


@login_required
def certificate_issue(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _officer(request, pk)
    form = CertificateIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.certificate_issue(
                actor=request.user, officer=officer, number=data["number"], issuing_body=data["issuing_body"],
                field_codes=[f.code for f in data["fields_covered"]], issued_on=data["issued_on"],
                expires_on=data["expires_on"],
            )
            messages.success(request, _("Certificate issued."))
            return redirect("org:officer_detail", pk=officer.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return _form_page(request, form, _("Issue an enforcement certificate"), officer)


@login_required
@require_POST
def certificate_change(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    cert = get_object_or_404(selectors.visible_certificates(request.user), pk=pk)
    service = {"suspend": services.certificate_suspend, "revoke": services.certificate_revoke,
               "reinstate": services.certificate_reinstate}.get(action)
    if service is None:
        raise Http404
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, certificate=cert, reason=form.cleaned_data["reason"])
            messages.success(request, _("Certificate status changed."))
            return redirect("org:officer_detail", pk=cert.officer_id)
        except DomainError as exc:
            add_domain_error(form, exc)
    return _form_page(request, form, _("Certificate %(number)s") % {"number": cert.number}, cert.officer)


@login_required
def certificate_renew(request: HttpRequest, pk: int) -> HttpResponse:
    cert = get_object_or_404(selectors.visible_certificates(request.user), pk=pk)
    form = CertificateRenewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_renew(actor=request.user, certificate=cert, **form.cleaned_data)
            messages.success(request, _("Certificate renewed."))
            return redirect("org:officer_detail", pk=cert.officer_id)
        except DomainError as exc:
            add_domain_error(form, exc)
    return _form_page(request, form, _("Renew certificate %(number)s") % {"number": cert.number},
                      cert.officer)


@login_required
def qualification_record(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _officer(request, pk)
    form = QualificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.qualification_record(actor=request.user, officer=officer, **form.cleaned_data)
            messages.success(request, _("Legal qualification recorded."))
            return redirect("org:officer_detail", pk=officer.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return _form_page(request, form, _("Record a legal professional qualification"), officer)


@login_required
@require_POST
def officer_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _officer(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.officer_deactivate(actor=request.user, officer=officer,
                                        reason=form.cleaned_data["reason"])
            messages.success(request, _("Officer deactivated."))
            return redirect("org:officer_detail", pk=officer.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return _form_page(request, form, _("Deactivate officer"), officer)
