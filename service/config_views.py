"""The system administrator's screens for the service app's configuration: licence kinds and the
post-licence supervision frequency by risk level. Each save is one service call (a ledger act)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import DomainError
from core.errors import PermissionDenied as DomainPermissionDenied
from core.forms import place_domain_error
from org import selectors as org_selectors
from service import policies, selectors, services
from service.forms import FrequencyForm, LicenceKindForm
from service.models import RiskLevel


def _may(request: HttpRequest) -> bool:
    return policies.can(request.user, "administer", None)


def _field_choices() -> list[tuple[str, str]]:
    return [
        (f.code, f"{f.name}（{f.code}）") for f in org_selectors.enforcement_fields(include_inactive=False)
    ]


@login_required
@require_GET
def kind_list(request: HttpRequest) -> HttpResponse:
    kinds = selectors.licence_kinds(active_only=False).order_by("code")
    return render(request, "service/config_kinds.html", {"kinds": kinds, "may": _may(request)})


@login_required
@require_http_methods(["GET", "POST"])
def kind_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    kind = None
    if pk is not None:
        kind = selectors.licence_kinds(active_only=False).filter(pk=pk).first()
        if kind is None:
            raise Http404
    initial = (
        {
            "code": kind.code,
            "name": kind.name,
            "field_code": kind.field_code,
            "power_code": kind.power_code,
            "basis": kind.basis,
            "validity_months": kind.validity_months,
            "temporary_land": kind.temporary_land,
            "active": kind.active,
        }
        if kind
        else {"active": True}
    )
    form = LicenceKindForm(
        request.POST or None, initial=initial, fields=_field_choices(), editing=kind is not None
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            try:
                saved = services.licence_kind_save(
                    actor=request.user,
                    kind=kind,
                    code=kind.code if kind else cd["code"],
                    name=cd["name"],
                    field_code=cd["field_code"],
                    power_code=cd["power_code"],
                    basis=cd["basis"],
                    temporary_land=cd["temporary_land"],
                    validity_months=cd["validity_months"],
                    active=cd["active"],
                )
            except DomainPermissionDenied as exc:
                form.add_error(None, exc.message)
                status = 403
            except DomainError as exc:
                place_domain_error(form, exc)
            else:
                messages.success(request, _("Licence kind %(name)s saved.") % {"name": saved.name})
                return redirect("service:kinds")
    return render(
        request,
        "service/config_kind_form.html",
        {"form": form, "kind": kind, "may": _may(request)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def frequencies(request: HttpRequest) -> HttpResponse:
    current = dict(selectors.supervision_frequencies())
    error: DomainError | None = None
    status = 200
    posted = request.POST.get("risk_level", "") if request.method == "POST" else ""
    forms = {
        level: FrequencyForm(
            request.POST if posted == level else None,
            initial={"interval_days": current.get(level)},
            prefix=level,
        )
        for level in RiskLevel.values
    }
    if request.method == "POST":
        form = forms.get(posted)
        status = 400
        if form is None:
            error = DomainError(_("Choose a risk level."), code="unknown_risk_level")
        elif form.is_valid():
            try:
                services.supervision_frequency_set(
                    actor=request.user, risk_level=posted, interval_days=form.cleaned_data["interval_days"]
                )
            except DomainPermissionDenied as exc:
                error, status = exc, 403
            except DomainError as exc:
                place_domain_error(form, exc)
                error = exc
            else:
                messages.success(request, _("Supervision frequency saved."))
                return redirect("service:frequencies")
    rows = [(level, label, forms[level]) for level, label in RiskLevel.choices]
    return render(
        request,
        "service/config_frequencies.html",
        {"rows": rows, "error": error, "may": _may(request)},
        status=status,
    )
