"""Agency tree and agency detail (with departments). Thin: selectors, forms, one service call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from org import policies, selectors, services
from org.forms import AgencyForm, DepartmentForm, add_domain_error


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = policies.visible_agencies(request.user).order_by("path")
    return render(request, "org/agency_list.html", {"agencies": agencies})


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(policies.visible_agencies(request.user), pk=pk)
    return render(request, "org/agency_detail.html", {
        "agency": agency,
        "children": policies.visible_agencies(request.user).filter(parent=agency),
        "departments": agency.departments.order_by("-active", "name"),
        "expiring": selectors.certificates_expiring(agency=agency),
        "department_form": DepartmentForm(),
        "child_form": AgencyForm(),
        "may_add_department": policies.can(request.user, "create_department", agency),
        "may_add_child": policies.can(request.user, "create_agency", agency),
    })


@login_required
@require_POST
def department_create(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(policies.visible_agencies(request.user), pk=pk)
    form = DepartmentForm(request.POST)
    if form.is_valid():
        try:
            services.department_create(actor=request.user, agency=agency, **form.cleaned_data)
            messages.success(request, _("Department created."))
            return redirect("org:agency_detail", pk=agency.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "org/form.html", {"form": form, "title": _("New department"), "back": agency},
                  status=400)


@login_required
@require_POST
def agency_create_child(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_object_or_404(policies.visible_agencies(request.user), pk=pk)
    form = AgencyForm(request.POST)
    if form.is_valid():
        try:
            child = services.agency_create(actor=request.user, parent=parent, **form.cleaned_data)
            messages.success(request, _("Agency created."))
            return redirect("org:agency_detail", pk=child.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "org/form.html", {"form": form, "title": _("New subordinate agency"),
                                             "back": parent}, status=400)
