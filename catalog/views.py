"""Catalog screens: thin views over catalog.selectors and catalog.services."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from catalog import policies, selectors
from catalog.forms import ImportForm, PowerFilterForm, ProposalForm, StandardFilterForm, TryForm
from catalog.services import (
    ImportRejected,
    catalog_import,
    decision_requirements,
    discretion_evaluate,
    export_file,
)
from core.errors import DomainError
from legal import selectors as legal_selectors
from org import selectors as org_selectors

PAGE_SIZE = 25


def _page(request: HttpRequest, rows: Any) -> tuple[Any, str]:
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _ensure(request: HttpRequest, verb: str, obj: Any = None) -> None:
    """403 unless the user may `verb` the catalog (or `obj`); the refusal is recorded in the ledger
    (`auth.permission_denied`, by `policies.ensure`)."""
    try:
        policies.ensure(request.user, verb, obj)
    except DomainError as exc:
        raise DjangoPermissionDenied(exc.message) from exc


def ensure_view(request: HttpRequest) -> None:
    _ensure(request, "view")


def visible_or_refused(request: HttpRequest, visible: Any, pk: Any) -> Any:
    """The row `pk` of the `visible` queryset (already scoped to the user). A row that exists but
    is not visible is a refusal: 403, recorded; 404 only for a row that does not exist at all."""
    obj = visible.filter(pk=pk).first()
    if obj is not None:
        return obj
    hidden = visible.model._default_manager.filter(pk=pk).first()
    if hidden is not None:
        _ensure(request, "view", hidden)
    raise Http404


@login_required
def power_list(request: HttpRequest) -> HttpResponse:
    ensure_view(request)
    form = PowerFilterForm(request.GET or None, departments=org_selectors.visible_departments(request.user))
    f = form.cleaned_data if form.is_valid() else {}
    items = selectors.power_items_current(
        request.user,
        kind=f.get("kind", ""),
        q=f.get("q", ""),
        department_id=getattr(f.get("department"), "pk", None),
    )
    page, query = _page(request, items.prefetch_related("legal_bases"))
    return render(
        request,
        "catalog/power_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "may_edit": policies.can(request.user, "edit"),
            "drafts": selectors.power_item_drafts(request.user)[:50],
        },
    )


@login_required
def power_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = visible_or_refused(request, selectors.visible_power_items(request.user), pk)
    return render(
        request,
        "catalog/power_detail.html",
        {
            "item": item,
            "bases": item.legal_bases.all(),
            "history": selectors.power_item_history(request.user, item),
            "exemptions": selectors.exemptions_for(request.user, power_code=item.code),
            "normative": legal_selectors.documents_in_force_for_powers(
                agency_id=item.agency_id, codes=[item.code]
            ).get(item.code, []),
        },
    )


@login_required
def discretion_list(request: HttpRequest) -> HttpResponse:
    ensure_view(request)
    form = StandardFilterForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    drafts = policies.can(request.user, "edit")
    page, query = _page(request, selectors.standards_list(request.user, q=q, include_drafts=drafts))
    return render(request, "catalog/discretion_list.html", {"form": form, "page": page, "query": query})


@login_required
def discretion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    standard = visible_or_refused(request, selectors.visible_standards(request.user), pk)
    agency = selectors.actor_agency(request.user) or standard.agency
    form = TryForm(request.GET if "act_date" in request.GET else None)
    evaluation, error = None, None
    if form.is_bound and form.is_valid():
        try:
            evaluation = discretion_evaluate(
                agency=agency, act_date=form.cleaned_data["act_date"], standard=standard, facts=form.facts()
            )
        except DomainError as exc:
            error = exc
    return render(
        request,
        "catalog/discretion_detail.html",
        {
            "standard": standard,
            "tiers": standard.tiers.all(),
            "form": form,
            "evaluation": evaluation,
            "error": error,
            "versions": selectors.standards_list(request.user).filter(
                agency_id=standard.agency_id, code=standard.code
            ),
        },
    )


@login_required
def major_rules(request: HttpRequest) -> HttpResponse:
    ensure_view(request)
    agency = selectors.actor_agency(request.user)
    rules = selectors.major_rules_for(request.user, agency=agency)
    form = ProposalForm(request.GET if "party_kind" in request.GET else None)
    requirements, error = None, None
    if form.is_bound and form.is_valid() and agency is not None:
        try:
            requirements = decision_requirements(agency=agency, proposed=form.cleaned_data)
        except DomainError as exc:
            error = exc
    return render(
        request,
        "catalog/major_rules.html",
        {"rules": rules, "agency": agency, "form": form, "requirements": requirements, "error": error},
    )


def _import_agencies(request: HttpRequest) -> Any:
    ids = policies.editable_agency_ids(request.user)
    agencies = org_selectors.visible_agencies(request.user)
    return agencies if ids is None else agencies.filter(pk__in=ids)


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    agencies = _import_agencies(request)
    if not agencies.exists():
        try:
            policies.ensure(request.user, "edit")
        except DomainError as exc:
            raise DjangoPermissionDenied(exc.message) from exc
    form = ImportForm(request.POST or None, request.FILES or None, agencies=agencies)
    report, errors = None, []
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = catalog_import(
                actor=request.user,
                agency=form.cleaned_data["agency"],
                kind=form.cleaned_data["kind"],
                filename=upload.name or "",
                content=upload.read(),
                effective_from=form.cleaned_data["effective_from"],
            )
        except ImportRejected as exc:
            errors, status = exc.report.errors, 400
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "catalog/import.html",
        {
            "form": form,
            "report": report,
            "errors": errors,
            "agency": selectors.actor_agency(request.user),
        },
        status=status,
    )


@login_required
def export_view(request: HttpRequest, kind: str, fmt_name: str) -> HttpResponse:
    if kind not in ("provisions", "powers", "standards") or fmt_name not in ("csv", "xlsx"):
        raise Http404
    ensure_view(request)
    agency = selectors.actor_agency(request.user)
    if agency is None:
        raise Http404
    content, content_type = export_file(kind=kind, agency=agency, fmt_name=fmt_name)
    response = HttpResponse(content, content_type=content_type)
    name = {"provisions": "执法依据", "powers": "权责清单", "standards": "裁量基准"}[kind]
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="catalog-{kind}-{stamp}.{fmt_name}"; '
        f"filename*=UTF-8''{_quote(name)}-{stamp}.{fmt_name}"
    )
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)
