"""Officer list/detail and the forms that call officer, role and certificate services.

Write screens ask the policy first (views.common.gate): a forbidden request gets 403 and the
denial is in the ledger, whatever the form holds.
"""

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
    TransferForm,
)
from org.mfa import confirmed_device, totp_reset
from org.models import Agency, Department, Officer
from org.roles import Role
from org.views.common import form_page, gate, refusal

PAGE_SIZE = 25


def _officer(request: HttpRequest, pk: int) -> Officer:
    return get_object_or_404(policies.visible_officers(request.user), pk=pk)


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
        "may_transfer": policies.can(request.user, "transfer_officer", officer),
        "may_deactivate": policies.can(request.user, "deactivate_officer", officer),
        "may_record_qualification": policies.can(request.user, "record_qualification", officer),
        "may_reset_mfa": policies.can(request.user, "reset_mfa", officer) and confirmed_device(officer.user),
        "is_reviewer": officer.role_assignments.filter(role=Role.LEGAL_REVIEWER).exists(),
    })


@login_required
def officer_create(request: HttpRequest) -> HttpResponse:
    ids = selectors.administered_agency_ids(request.user)
    agencies = Agency.objects.all() if ids is None else Agency.objects.filter(pk__in=ids)
    form = OfficerCreateForm(request.POST or None, agencies=agencies,
                             departments=policies.visible_departments(request.user).filter(active=True))
    title = _("Register an officer")
    if request.method == "POST" and form.is_valid():
        try:
            officer = services.officer_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            return refusal(request, form, exc, title, None)
        messages.success(request, _("Officer registered."))
        return redirect("org:officer_detail", pk=officer.pk)
    return form_page(request, form, title, None)


@login_required
def officer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _officer(request, pk)
    if denial := gate(request, "update_officer", officer, officer):
        return denial
    initial = {"name": officer.name, "title": officer.title, "phone": officer.phone,
               "department": officer.department_id, "is_auxiliary": officer.is_auxiliary}
    form = OfficerEditForm(request.POST or None, initial=initial,
                           departments=officer.agency.departments.filter(active=True))
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_update(actor=request.user, officer=officer, **form.cleaned_data)
        except DomainError as exc:
            return refusal(request, form, exc, _("Edit officer"), officer)
        messages.success(request, _("Officer updated."))
        return redirect("org:officer_detail", pk=officer.pk)
    return form_page(request, form, _("Edit officer"), officer)


@login_required
def officer_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an officer to another agency (roles are withdrawn; the new agency grants its own)."""
    officer = _officer(request, pk)
    if denial := gate(request, "transfer_officer", officer, officer):
        return denial
    ids = selectors.administered_agency_ids(request.user)
    agencies = Agency.objects.filter(active=True).exclude(pk=officer.agency_id)
    departments = Department.objects.filter(active=True).select_related("agency")
    if ids is not None:
        agencies, departments = agencies.filter(pk__in=ids), departments.filter(agency_id__in=ids)
    form = TransferForm(request.POST or None, agencies=agencies.order_by("path"),
                        departments=departments.order_by("agency__path", "name"))
    title = _("Transfer %(name)s to another agency") % {"name": officer.name}
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_transfer(actor=request.user, officer=officer, **form.cleaned_data)
        except DomainError as exc:
            return refusal(request, form, exc, title, officer)
        messages.success(request, _("Officer transferred; the roles held in the former agency were "
                                    "withdrawn. Grant the roles of the new post."))
        return redirect("org:officer_detail", pk=officer.pk)
    return form_page(request, form, title, officer, notice=_(
        "A transfer withdraws every role the officer holds; certificates stay with the person."))


@login_required
@require_POST
def officer_role(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    officer = _officer(request, pk)
    service = {"grant": services.role_grant, "revoke": services.role_revoke}.get(action)
    if service is None:
        raise Http404
    if denial := gate(request, f"{action}_role", officer, officer):
        return denial
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, officer=officer, role=form.cleaned_data["role"])
        except DomainError as exc:
            return refusal(request, form, exc, _("Roles"), officer)
        messages.success(request, _("Roles updated."))
        return redirect("org:officer_detail", pk=officer.pk)
    return form_page(request, form, _("Roles"), officer)


@login_required
def certificate_issue(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _officer(request, pk)
    if denial := gate(request, "issue_certificate", officer, officer):
        return denial
    form = CertificateIssueForm(request.POST or None)
    title = _("Issue an enforcement certificate")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.certificate_issue(
                actor=request.user, officer=officer, number=data["number"], issuing_body=data["issuing_body"],
                field_codes=[f.code for f in data["fields_covered"]], issued_on=data["issued_on"],
                expires_on=data["expires_on"],
            )
        except DomainError as exc:
            return refusal(request, form, exc, title, officer)
        messages.success(request, _("Certificate issued."))
        return redirect("org:officer_detail", pk=officer.pk)
    return form_page(request, form, title, officer)


@login_required
@require_POST
def certificate_change(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    cert = get_object_or_404(selectors.visible_certificates(request.user), pk=pk)
    actions: dict[str, Any] = {"suspend": services.certificate_suspend, "revoke": services.certificate_revoke,
                               "reinstate": services.certificate_reinstate}
    service = actions.get(action)
    if service is None:
        raise Http404
    if denial := gate(request, "change_certificate", cert, cert.officer):
        return denial
    form = ReasonForm(request.POST)
    title = _("Certificate %(number)s") % {"number": cert.number}
    if form.is_valid():
        try:
            service(actor=request.user, certificate=cert, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            return refusal(request, form, exc, title, cert.officer)
        messages.success(request, _("Certificate status changed."))
        return redirect("org:officer_detail", pk=cert.officer_id)
    return form_page(request, form, title, cert.officer)


@login_required
def certificate_renew(request: HttpRequest, pk: int) -> HttpResponse:
    cert = get_object_or_404(selectors.visible_certificates(request.user), pk=pk)
    if denial := gate(request, "change_certificate", cert, cert.officer):
        return denial
    form = CertificateRenewForm(request.POST or None)
    title = _("Renew certificate %(number)s") % {"number": cert.number}
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_renew(actor=request.user, certificate=cert, **form.cleaned_data)
        except DomainError as exc:
            return refusal(request, form, exc, title, cert.officer)
        messages.success(request, _("Certificate renewed."))
        return redirect("org:officer_detail", pk=cert.officer_id)
    return form_page(request, form, title, cert.officer)


@login_required
def qualification_record(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _officer(request, pk)
    if denial := gate(request, "record_qualification", officer, officer):
        return denial
    form = QualificationForm(request.POST or None)
    title = _("Record a legal professional qualification")
    if request.method == "POST" and form.is_valid():
        try:
            services.qualification_record(actor=request.user, officer=officer, **form.cleaned_data)
        except DomainError as exc:
            return refusal(request, form, exc, title, officer)
        messages.success(request, _("Legal qualification recorded."))
        return redirect("org:officer_detail", pk=officer.pk)
    return form_page(request, form, title, officer)


@login_required
@require_POST
def officer_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _activation(request, pk, services.officer_deactivate, _("Deactivate officer"),
                       _("Officer deactivated."))


@login_required
@require_POST
def officer_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _activation(request, pk, services.officer_reactivate, _("Reactivate officer"),
                       _("Officer reactivated; the login works again."))


@login_required
@require_POST
def officer_mfa_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Security administrator: remove the officer's authenticator (lost phone); logged with a reason."""
    officer = _officer(request, pk)
    if denial := gate(request, "reset_mfa", officer, officer):
        return denial
    form = ReasonForm(request.POST)
    title = _("Reset two-step verification")
    if form.is_valid():
        try:
            totp_reset(actor=request.user, user=officer.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            return refusal(request, form, exc, title, officer)
        messages.success(request, _("Authenticator removed; at the next login the officer sets up a "
                                    "new one."))
        return redirect("org:officer_detail", pk=officer.pk)
    return form_page(request, form, title, officer)


def _activation(request: HttpRequest, pk: int, service: Any, title: str, done: str) -> HttpResponse:
    officer = _officer(request, pk)
    if denial := gate(request, "deactivate_officer", officer, officer):
        return denial
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, officer=officer, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            return refusal(request, form, exc, title, officer)
        messages.success(request, done)
        return redirect("org:officer_detail", pk=officer.pk)
    return form_page(request, form, title, officer)
