"""Agency tree and detail, agency and department edits, fields of enforcement, the reviewer ratio.

Thin: selectors, forms, one service call. Write screens ask the policy first (views.common.gate).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from org import policies, selectors, services
from org.forms import (
    AgencyEditForm,
    AgencyForm,
    DepartmentEditForm,
    DepartmentForm,
    EnforcementFieldForm,
    LegalReviewerRatioForm,
)
from org.models import Agency
from org.views.common import form_page, gate, refusal


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = policies.visible_agencies(request.user).order_by("path")
    return render(request, "org/agency_list.html", {"agencies": agencies})


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(policies.visible_agencies(request.user), pk=pk)
    departments = list(agency.departments.order_by("-active", "name"))
    return render(request, "org/agency_detail.html", {
        "agency": agency,
        "children": policies.visible_agencies(request.user).filter(parent=agency),
        "departments": departments,
        "expiring": selectors.certificates_expiring(agency=agency),
        "reviewers": selectors.legal_reviewer_ratio(agency=agency),
        "department_form": DepartmentForm(),
        "child_form": AgencyForm(),
        "may_edit": policies.can(request.user, "update_agency", agency),
        "may_edit_departments": bool(departments)
        and policies.can(request.user, "update_department", departments[0]),
        "may_add_department": policies.can(request.user, "create_department", agency),
        "may_add_child": policies.can(request.user, "create_agency", agency),
        "may_change_ratio": policies.can(request.user, "change_legal_setting", None),
    })


@login_required
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(policies.visible_agencies(request.user), pk=pk)
    if denial := gate(request, "update_agency", agency, agency):
        return denial
    ids = selectors.administered_agency_ids(request.user)
    parents = Agency.objects.exclude(path__startswith=agency.path)
    parents = parents if ids is None else parents.filter(Q(pk__in=ids) | Q(pk=agency.parent_id))
    initial = {f: getattr(agency, f) for f in ("name", "short_name", "code", "level", "region_code",
                                                "duties", "address", "phone", "active")}
    form = AgencyEditForm(request.POST or None, initial={**initial, "parent": agency.parent_id},
                          parents=parents.order_by("path"))
    title = _("Edit agency %(name)s") % {"name": agency.name}
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(actor=request.user, agency=agency, **form.cleaned_data)
        except DomainError as exc:
            return refusal(request, form, exc, title, agency)
        messages.success(request, _("Agency updated."))
        return redirect("org:agency_detail", pk=agency.pk)
    return form_page(request, form, title, agency)


@login_required
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(policies.visible_departments(request.user), pk=pk)
    agency = department.agency
    if denial := gate(request, "update_department", department, agency):
        return denial
    form = DepartmentEditForm(request.POST or None, initial={
        "name": department.name, "kind": department.kind, "active": department.active})
    title = _("Edit department %(name)s") % {"name": department.name}
    if request.method == "POST" and form.is_valid():
        try:
            services.department_update(actor=request.user, department=department, **form.cleaned_data)
        except DomainError as exc:
            return refusal(request, form, exc, title, agency)
        messages.success(request, _("Department updated."))
        return redirect("org:agency_detail", pk=agency.pk)
    return form_page(request, form, title, agency)


@login_required
@require_POST
def department_create(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(policies.visible_agencies(request.user), pk=pk)
    if denial := gate(request, "create_department", agency, agency):
        return denial
    form = DepartmentForm(request.POST)
    if form.is_valid():
        try:
            services.department_create(actor=request.user, agency=agency, **form.cleaned_data)
            messages.success(request, _("Department created."))
            return redirect("org:agency_detail", pk=agency.pk)
        except DomainError as exc:
            return refusal(request, form, exc, _("New department"), agency)
    return form_page(request, form, _("New department"), agency)


@login_required
@require_POST
def agency_create_child(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_object_or_404(policies.visible_agencies(request.user), pk=pk)
    if denial := gate(request, "create_agency", parent, parent):
        return denial
    form = AgencyForm(request.POST)
    if form.is_valid():
        try:
            child = services.agency_create(actor=request.user, parent=parent, **form.cleaned_data)
            messages.success(request, _("Agency created."))
            return redirect("org:agency_detail", pk=child.pk)
        except DomainError as exc:
            return refusal(request, form, exc, _("New subordinate agency"), parent)
    return form_page(request, form, _("New subordinate agency"), parent)


# --- fields of enforcement and the legal-reviewer ratio (platform-wide) -------------------------


@login_required
def field_list(request: HttpRequest) -> HttpResponse:
    may_manage = policies.can(request.user, "manage_enforcement_field", None)
    form = EnforcementFieldForm(request.POST or None)
    if request.method == "POST":
        if denial := gate(request, "manage_enforcement_field", None):
            return denial
        if form.is_valid():
            try:
                services.enforcement_field_save(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Field of enforcement saved."))
                return redirect("org:field_list")
            except DomainError as exc:
                return refusal(request, form, exc, _("New field of enforcement"), None)
    return render(request, "org/field_list.html", {
        "fields": selectors.enforcement_fields(), "form": form, "may_manage": may_manage,
    }, status=400 if form.is_bound else 200)


@login_required
def field_edit(request: HttpRequest, pk: int) -> HttpResponse:
    field = get_object_or_404(selectors.enforcement_fields(), pk=pk)
    if denial := gate(request, "manage_enforcement_field", field):
        return denial
    form = EnforcementFieldForm(request.POST or None,
                                initial={"code": field.code, "name": field.name, "active": field.active})
    form.fields["code"].disabled = True
    title = _("Edit field of enforcement %(name)s") % {"name": field.name}
    if request.method == "POST" and form.is_valid():
        try:
            services.enforcement_field_save(actor=request.user, field=field, **form.cleaned_data)
            messages.success(request, _("Field of enforcement saved."))
            return redirect("org:field_list")
        except DomainError as exc:
            return refusal(request, form, exc, title, None)
    return form_page(request, form, title, None)


@login_required
def legal_reviewer_ratio_edit(request: HttpRequest) -> HttpResponse:
    if denial := gate(request, "change_legal_setting", None):
        return denial
    form = LegalReviewerRatioForm(request.POST or None,
                                  initial={"ratio": selectors.legal_reviewer_min_ratio()})
    title = _("Least share of legal reviewers")
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_reviewer_min_ratio_set(actor=request.user, ratio=form.cleaned_data["ratio"])
            messages.success(request, _("The least share of legal reviewers is saved."))
            return redirect("org:agency_list")
        except DomainError as exc:
            return refusal(request, form, exc, title, None)
    return form_page(request, form, title, None)

