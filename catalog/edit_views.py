"""Editing screens of the catalog (system administrator): each view validates a form, calls ONE
service and redirects with a message; refusals of the service appear on the form.

Who may edit is `catalog.policies` alone: a user who may not gets 403 and the refusal is a ledger
act (`policies.ensure`, the same check the services make).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog import policies, selectors, services
from catalog.edit_forms import (
    DateForm,
    ExemptionForm,
    MajorRuleForm,
    PowerItemForm,
    ProvisionForm,
    StandardForm,
    TierFormSet,
    add_domain_error,
    standard_initial,
    tier_initial,
)
from catalog.models import MajorDecisionRule
from catalog.views import ensure_view, visible_or_refused
from core.errors import DomainError


def _require(request: HttpRequest, obj: Any = None) -> None:
    """403 unless the user may edit `obj` (the catalog at all when None); the refusal is recorded."""
    try:
        policies.ensure(request.user, "edit", obj)
    except DomainError as exc:
        raise DjangoPermissionDenied(exc.message) from exc


def _submit(
    request: HttpRequest,
    form: Any,
    act: Callable[[], str],
    success: str,
    *,
    title: str,
    back: str = "",
    formset: Any = None,
) -> HttpResponse:
    """POST: validate, run `act` (one service call returning the URL to go to), redirect.
    A DomainError goes on the form (tier errors next to the tiers); 403 for a refusal."""
    tier_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        try:
            url = act()
        except DomainError as exc:
            if exc.status == 403:
                raise DjangoPermissionDenied(exc.message) from exc
            tier_errors = add_domain_error(form, exc)
        else:
            messages.success(request, success)
            return redirect(url)
    context = {"form": form, "formset": formset, "tier_errors": tier_errors, "title": title, "back": back}
    return render(request, "catalog/edit_form.html", context, status=400 if request.method == "POST" else 200)


def _found(request: HttpRequest, visible: Any, pk: Any) -> Any:
    """The visible row, 403 (recorded) for a row the user may not see, 404 when there is none."""
    return visible_or_refused(request, visible, pk)


def _power_url(item: Any) -> str:
    return reverse("catalog:power_detail", args=[item.pk])


def _standard_url(standard: Any) -> str:
    return reverse("catalog:discretion_detail", args=[standard.pk])


# ---------------------------------------------------------------- power items


@login_required
def power_create(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = PowerItemForm(
        request.POST or None,
        agencies=selectors.editable_agencies(request.user),
        departments=selectors.editable_departments(request.user),
        with_code=True,
    )

    def act() -> str:
        data = form.cleaned_data
        return _power_url(
            services.power_item_create(
                actor=request.user,
                agency=data["agency"],
                code=data["code"],
                content=form.content(),
                legal_bases=data["legal_bases"],
                department=data["department"],
            )
        )

    return _submit(
        request,
        form,
        act,
        _("Power item saved as a draft."),
        title=_("New power item"),
        back=reverse("catalog:power_list"),
    )


@login_required
def power_revise(request: HttpRequest, pk: int) -> HttpResponse:
    item = _found(request, selectors.visible_power_items(request.user), pk)
    _require(request, item)
    initial = {k: getattr(item, k) for k in item.CONTENT_FIELDS} | {
        "department": item.department_id,
        "legal_bases": list(item.legal_bases.all()),
    }
    departments = selectors.editable_departments(request.user, agency_id=item.agency_id)
    form = PowerItemForm(request.POST or None, initial=initial, departments=departments)

    def act() -> str:
        return _power_url(
            services.power_item_revise(
                actor=request.user,
                item=item,
                content=form.content(),
                legal_bases=form.cleaned_data["legal_bases"],
                department=form.cleaned_data["department"],
            )
        )

    title = _("Revise %(code)s v%(v)s") % {"code": item.code, "v": item.version}
    return _submit(
        request,
        form,
        act,
        _("Saved as a draft; publish it to put it in force."),
        title=title,
        back=_power_url(item),
    )


@login_required
def power_publish(request: HttpRequest, pk: int) -> HttpResponse:
    item = _found(request, selectors.visible_power_items(request.user), pk)
    _require(request, item)
    form = DateForm(request.POST or None, label=_("valid from"))

    def act() -> str:
        return _power_url(
            services.power_item_publish(actor=request.user, item=item, valid_from=form.cleaned_data["day"])
        )

    title = _("Publish %(code)s v%(v)s") % {"code": item.code, "v": item.version}
    return _submit(request, form, act, _("Power item published."), title=title, back=_power_url(item))


@login_required
def power_retire(request: HttpRequest, pk: int) -> HttpResponse:
    item = _found(request, selectors.visible_power_items(request.user), pk)
    _require(request, item)
    form = DateForm(request.POST or None, label=_("no longer valid from"))

    def act() -> str:
        return _power_url(
            services.power_item_retire(actor=request.user, item=item, valid_until=form.cleaned_data["day"])
        )

    title = _("Retire %(code)s v%(v)s") % {"code": item.code, "v": item.version}
    return _submit(request, form, act, _("Power item retired."), title=title, back=_power_url(item))


# ---------------------------------------------------------------- provisions


@login_required
def provision_list(request: HttpRequest) -> HttpResponse:
    ensure_view(request)
    q = request.GET.get("q", "")[:100]
    return render(
        request,
        "catalog/provision_list.html",
        {"provisions": selectors.provisions(request.user, q=q), "q": q},
    )


@login_required
def provision_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require(request)
    provision = _found(request, selectors.provisions(request.user), pk) if pk else None
    initial = {f: getattr(provision, f) for f in ProvisionForm.names} if provision else None
    form = ProvisionForm(request.POST or None, initial=initial)

    def act() -> str:
        services.provision_save(actor=request.user, **form.cleaned_data)
        return reverse("catalog:provision_list")

    title = provision.reference if provision else _("New legal provision")
    return _submit(
        request,
        form,
        act,
        _("Legal provision saved."),
        title=str(title),
        back=reverse("catalog:provision_list"),
    )


# ---------------------------------------------------------------- discretion standards


@login_required
def standard_create(request: HttpRequest) -> HttpResponse:
    """A new standard, or (?from=<pk>) a new version of an existing one, starting as a copy."""
    _require(request)
    source = selectors.visible_standards(request.user).filter(pk=request.GET.get("from") or 0).first()
    agencies = selectors.editable_agencies(request.user)
    initial = standard_initial(source) | {"agency": source.agency_id} if source else None
    form = StandardForm(request.POST or None, agencies=agencies, initial=initial)
    formset = TierFormSet(
        request.POST or None, prefix="tiers", initial=tier_initial(source) if source else None
    )

    def act() -> str:
        return _standard_url(
            services.discretion_standard_create(
                actor=request.user,
                agency=form.cleaned_data["agency"],
                fields=form.values(),
                tiers=formset.tiers(),  # type: ignore[attr-defined]
            )
        )

    return _submit(
        request,
        form,
        act,
        _("Discretion standard saved as a draft."),
        title=_("New discretion standard"),
        back=reverse("catalog:discretion_list"),
        formset=formset,
    )


@login_required
def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _found(request, selectors.visible_standards(request.user), pk)
    _require(request, standard)
    form = StandardForm(request.POST or None, initial=standard_initial(standard), with_code=False)
    formset = TierFormSet(request.POST or None, prefix="tiers", initial=tier_initial(standard))

    def act() -> str:
        return _standard_url(
            services.discretion_standard_update(
                actor=request.user, standard=standard, fields=form.values(),
                tiers=formset.tiers(),  # type: ignore[attr-defined]
            )
        )

    title = _("Edit %(name)s v%(v)s") % {"name": standard.violation_name, "v": standard.version}
    return _submit(
        request,
        form,
        act,
        _("Discretion standard saved as a draft."),
        title=title,
        back=_standard_url(standard),
        formset=formset,
    )


@login_required
@require_POST
def standard_publish(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _found(request, selectors.visible_standards(request.user), pk)
    _require(request, standard)
    try:
        services.discretion_standard_publish(actor=request.user, standard=standard)
        messages.success(request, _("Discretion standard published."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_standard_url(standard))


@login_required
def standard_retire(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _found(request, selectors.visible_standards(request.user), pk)
    _require(request, standard)
    form = DateForm(request.POST or None, label=_("no longer in force from"))

    def act() -> str:
        return _standard_url(
            services.discretion_standard_retire(
                actor=request.user, standard=standard, effective_until=form.cleaned_data["day"]
            )
        )

    title = _("Retire %(name)s v%(v)s") % {"name": standard.violation_name, "v": standard.version}
    return _submit(
        request, form, act, _("Discretion standard retired."), title=title, back=_standard_url(standard)
    )


# ---------------------------------------------------------------- exemptions and major-decision rules


@login_required
def exemption_edit(request: HttpRequest) -> HttpResponse:
    _require(request)
    initial = {"power_code": request.GET.get("power_code", "")[:40]}
    form = ExemptionForm(
        request.POST or None, agencies=selectors.editable_agencies(request.user), initial=initial
    )

    def act() -> str:
        services.exemption_rule_save(actor=request.user, agency=form.cleaned_data["agency"], **form.values())
        item = (
            selectors.power_items_current(request.user).filter(code=form.cleaned_data["power_code"]).first()
        )
        return _power_url(item) if item else reverse("catalog:power_list")

    return _submit(
        request,
        form,
        act,
        _("Exemption rule saved."),
        title=_("First-violation / minor exemption"),
        back=reverse("catalog:power_list"),
    )


def _rule(request: HttpRequest, pk: int) -> MajorDecisionRule:
    rule: MajorDecisionRule = _found(request, selectors.visible_major_rules(request.user), pk)
    _require(request, rule)
    return rule


@login_required
def major_rule_create(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = MajorRuleForm(request.POST or None, agencies=selectors.editable_agencies(request.user))

    def act() -> str:
        services.major_rule_create(
            actor=request.user, agency=form.cleaned_data["agency"], values=form.values()
        )
        return reverse("catalog:major_rules")

    return _submit(
        request,
        form,
        act,
        _("Rule saved."),
        title=_("New major-decision rule"),
        back=reverse("catalog:major_rules"),
    )


@login_required
def major_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _rule(request, pk)
    form = MajorRuleForm(request.POST or None, initial={f: getattr(rule, f) for f in MajorRuleForm.names})

    def act() -> str:
        services.major_rule_update(actor=request.user, rule=rule, values=form.values())
        return reverse("catalog:major_rules")

    return _submit(request, form, act, _("Rule saved."), title=rule.name, back=reverse("catalog:major_rules"))


@login_required
def major_rule_retire(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _rule(request, pk)
    form = DateForm(request.POST or None, label=_("no longer in force from"))

    def act() -> str:
        services.major_rule_retire(actor=request.user, rule=rule, effective_until=form.cleaned_data["day"])
        return reverse("catalog:major_rules")

    title = _("Retire “%(name)s”") % {"name": rule.name}
    return _submit(request, form, act, _("Rule retired."), title=title, back=reverse("catalog:major_rules"))
