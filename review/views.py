"""Review screens: each view fetches through a selector, validates a form, calls ONE service.

A permission refusal is a 403 (already recorded in the ledger by `policies.ensure`); any other
refusal of the service is shown on the form with its rule and article.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, PermissionDenied
from review import policies, selectors, services
from review.forms import (
    AssignForm,
    ConcludeForm,
    DeliberationForm,
    RiskAssessmentForm,
    SubmitForm,
    add_domain_error,
)


def _user(pk: Any) -> Any:
    return get_user_model().objects.filter(pk=pk).first() if pk else None


def _case(request: HttpRequest, case_id: int) -> Any:
    from cases import selectors as case_selectors

    try:
        return case_selectors.case_get(case_id=case_id, actor=request.user)
    except DomainError as exc:
        raise Http404 from exc


def _gate(request: HttpRequest, verb: str, obj: Any) -> None:
    try:
        policies.ensure(request.user, verb, obj)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc


def _page(
    request: HttpRequest, template: str, form: Any, act: Callable[[], Any], success: str, **ctx: Any
) -> HttpResponse:
    """POST: run `act` (one service call) when the form is valid, then back to the to-do list."""
    if request.method == "POST" and form.is_valid():
        try:
            act()
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, success)
            return redirect("review:todo")
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form, **ctx}, status=status)


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    """The legal reviewer's to-do list; heads and the legal section also see what is to assign."""
    mine = selectors.reviews_for_reviewer(actor=request.user)
    queue = [
        r
        for r in selectors.reviews_to_assign(actor=request.user)
        if policies.can(request.user, "assign_review", r)
    ]
    return render(request, "review/todo.html", {"reviews": mine, "queue": queue})


@login_required
def submit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    _gate(request, "submit_review", case)
    form = SubmitForm(request.POST or None)
    return _page(
        request,
        "review/submit.html",
        form,
        lambda: services.legal_review_submit(
            actor=request.user, case_id=case.pk, note=form.cleaned_data["note"]
        ),
        _("Submitted for legal review."),
        case=case,
    )


def _review(request: HttpRequest, pk: int) -> Any:
    review = selectors.legal_review_get(review_id=pk, actor=request.user)
    if review is None:
        raise Http404
    return review


@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    _gate(request, "assign_review", review)
    form = AssignForm(
        request.POST or None, reviewers=selectors.legal_reviewers_of(agency_id=review.agency_id)
    )
    return _page(
        request,
        "review/assign.html",
        form,
        lambda: services.legal_review_assign(
            actor=request.user, review=review, reviewer=_user(form.cleaned_data["reviewer"])
        ),
        _("Legal review assigned."),
        review=review,
    )


@login_required
def conclude(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    _gate(request, "conclude_review", review)
    form = ConcludeForm(request.POST or None)
    history = selectors.legal_reviews_for_case(case_id=review.case_id, actor=request.user).exclude(
        pk=review.pk
    )
    return _page(
        request,
        "review/conclude.html",
        form,
        lambda: services.legal_review_conclude(
            actor=request.user,
            review=review,
            checklist=form.checklist(),
            opinion=form.cleaned_data["opinion"],
            reasons=form.cleaned_data["reasons"],
        ),
        _("Legal review opinion recorded."),
        review=review,
        history=history,
    )


@login_required
def deliberation(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    _gate(request, "record_deliberation", case)
    form = DeliberationForm(
        request.POST or None,
        officers=selectors.agency_officers(agency_id=case.agency_id),
        heads=selectors.agency_head_ids(agency_id=case.agency_id),
    )
    return _page(
        request,
        "review/deliberation.html",
        form,
        lambda: services.deliberation_record(
            actor=request.user,
            case_id=case.pk,
            held_on=form.cleaned_data["held_on"],
            place=form.cleaned_data["place"],
            attendees=form.attendee_ids(),
            opinions=form.opinions(),
            conclusion=form.cleaned_data["conclusion"],
            chaired_by=_user(form.cleaned_data["chaired_by"]) or request.user,
        ),
        _("Collective deliberation recorded."),
        case=case,
    )


@login_required
def risk_assessment(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    _gate(request, "record_risk_assessment", case)
    form = RiskAssessmentForm(request.POST or None)
    rounds = selectors.risk_assessments_for_case(case_id=case.pk, actor=request.user)
    return _page(
        request,
        "review/risk_assessment.html",
        form,
        lambda: services.risk_assessment_record(
            actor=request.user,
            case_id=case.pk,
            dimensions=form.dimensions(),
            overall_level=form.cleaned_data["overall_level"],
            mitigation=form.cleaned_data["mitigation"],
        ),
        _("Risk assessment recorded; a head approves it."),
        case=case,
        rounds=rounds,
    )


@login_required
@require_POST
def risk_assessment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.risk_assessment_get(assessment_id=pk, actor=request.user)
    if assessment is None:
        raise Http404
    try:
        services.risk_assessment_approve(actor=request.user, assessment=assessment)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Risk assessment approved."))
    return redirect("review:risk_assessment", case_id=assessment.case_id)
