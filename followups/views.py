"""The questionnaire behind its signed link (no login, phone first) and the officers' screens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from core.errors import Conflict, DomainError, NotFound
from core.forms import place_domain_error
from core.throttle import rate_limited
from followups import policies, selectors, services
from followups.forms import FilterForm, QuestionnaireForm, RecordForm, RuleForm, UnreachableForm
from followups.models import Followup, FollowupRule, Status

PAGE_SIZE = 25
POSTS_PER_MINUTE = 10


def _no_store(response: HttpResponse) -> HttpResponse:
    # The site's Referrer-Policy (same-origin) keeps the signed link from leaving the site; a stricter
    # no-referrer would make the browser send "Origin: null" with the form, which CSRF refuses.
    response["Cache-Control"] = "no-store"
    return response


# --- public ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def questionnaire(request: HttpRequest, token: str) -> HttpResponse:
    try:
        followup = services.followup_by_token(token)
    except DomainError as exc:
        return _no_store(
            render(request, "followups/public_refused.html", {"message": exc.message}, status=400)
        )
    if followup.status == Status.ANSWERED:
        return _no_store(render(request, "followups/public_refused.html", {"answered": True}, status=409))
    form = QuestionnaireForm(request.POST or None)
    status = 200
    if request.method == "POST":
        wait = rate_limited(request, scope="followups.answer", limit=POSTS_PER_MINUTE, period=60)
        if wait:
            response = render(request, "followups/public_refused.html", {"throttled": True}, status=429)
            response["Retry-After"] = str(wait)
            return _no_store(response)
        if form.is_valid():
            try:
                services.answer_submit(token=token, **form.cleaned_data)
                return redirect("followups_public:thanks")
            except Conflict:
                return _no_store(
                    render(request, "followups/public_refused.html", {"answered": True}, status=409)
                )
            except DomainError as exc:
                place_domain_error(form, exc)
        status = 400
    return _no_store(
        render(request, "followups/public_questionnaire.html", {"form": form, "f": followup}, status=status)
    )


def thanks(request: HttpRequest) -> HttpResponse:
    return _no_store(render(request, "followups/public_thanks.html"))


# --- officers --------------------------------------------------------------------------------------


def _ensure(request: HttpRequest, verb: str, obj: Any = None) -> None:
    try:
        policies.ensure(request.user, verb, obj)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc


def _get(request: HttpRequest, pk: int) -> Followup:
    try:
        return selectors.followup_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def followup_list(request: HttpRequest) -> HttpResponse:
    _ensure(request, "view")
    form = FilterForm(request.GET or None)
    filters = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    page = Paginator(selectors.followups_filtered(actor=request.user, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "followups/list.html", {"form": form, "page": page, "query": urlencode(filters)})


@login_required
@require_http_methods(["GET", "POST"])
def followup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure(request, "view")
    followup = _get(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    record = RecordForm(request.POST if action == "record" else None)
    unreachable = UnreachableForm(request.POST if action == "unreachable" else None)
    status = 200
    if action == "record" and record.is_valid():
        try:
            services.answer_record(actor=request.user, followup=followup, **record.cleaned_data)
            return redirect("followups:detail", pk=pk)
        except DomainError as exc:
            place_domain_error(record, exc)
    elif action == "unreachable" and unreachable.is_valid():
        try:
            services.mark_unreachable(actor=request.user, followup=followup, **unreachable.cleaned_data)
            return redirect("followups:detail", pk=pk)
        except DomainError as exc:
            place_domain_error(unreachable, exc)
    if action:
        status = 400
    answer = getattr(followup, "answer", None) if hasattr(followup, "answer") else None
    return render(
        request,
        "followups/detail.html",
        {
            "f": followup,
            "answer": answer,
            "record": record,
            "unreachable": unreachable,
            "may_handle": policies.can(request.user, "handle", followup),
            "link": services.questionnaire_url(followup),
        },
        status=status,
    )


@login_required
def followup_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure(request, "view")
    followup = _get(request, pk)
    response = HttpResponse(services.questionnaire_pdf(followup=followup), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="questionnaire-{followup.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "manage_rules"):
        _ensure(request, "view")
    return render(
        request,
        "followups/rules.html",
        {"rules": selectors.rules(), "may_manage": policies.can(request.user, "manage_rules")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure(request, "manage_rules")
    rule = FollowupRule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404
    initial = {
        "version": rule.version,
        "days_after": rule.days_after,
        "answer_days": rule.answer_days,
        "by_whom": rule.by_whom,
        "method": rule.method,
        "active": rule.active,
    }
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_update(actor=request.user, rule=rule, **form.cleaned_data)
            return redirect("followups:rules")
        except DomainError as exc:
            place_domain_error(form, exc)
    return render(
        request,
        "followups/rule_form.html",
        {"rule": rule, "form": form},
        status=400 if request.method == "POST" else 200,
    )
