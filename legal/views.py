"""Officer screens of the legal registers: the registers at a glance, a normative document with its
next step, referrals answered in place, and the accountability findings (legal department and heads
only: anyone else gets 403, and the refusal is in the ledger)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.errors import PermissionDenied as DomainPermissionDenied
from legal import policies, selectors, services
from legal.models import CleanupResult, DocumentStatus, FaultKind, ReferralStatus
from org.selectors import officer_for, visible_officers

PAGE_SIZE = 20


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    officer = officer_for(request.user)
    agency = officer.agency if officer else None
    keeper = agency is not None and policies.can(request.user, "manage", agency)
    documents = Paginator(
        selectors.documents_for(
            request.user, status=request.GET.get("status", ""), q=request.GET.get("q", "")
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    referrals = list(selectors.referrals_for(request.user)[:20])
    for r in referrals:
        r.may_answer = r.status == ReferralStatus.SENT and policies.can(request.user, "answer_referral", r)  # type: ignore[attr-defined]
    return render(
        request,
        "legal/index.html",
        {
            "keeper": keeper,
            "may_accountability": agency is not None and policies.can(request.user, "accountability", agency),
            "documents": documents,
            "statuses": DocumentStatus.choices,
            "status": request.GET.get("status", ""),
            "q": request.GET.get("q", ""),
            "advisers": selectors.advisers_for(request.user).filter(active=True)[:20],
            "opinions": selectors.opinions_for(request.user).select_related("adviser")[:20],
            "referrals": referrals,
            "actions": selectors.joint_actions_for(request.user)[:20],
            "filing": selectors.filing_rate(agency_id=agency.pk) if agency else None,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.documents_for(request.user).filter(pk=pk).first()
    if doc is None:
        raise Http404
    error: DomainError | None = None
    if request.method == "POST":
        step, p, a = request.POST.get("step"), request.POST, request.user
        try:
            if step == "submit":
                services.document_submit(actor=a, document=doc)
            elif step == "review":
                services.document_review(
                    actor=a, document=doc, lawful=p.get("lawful") == "yes", opinion=p.get("opinion", "")
                )
            elif step == "decide":
                services.document_decide(
                    actor=a,
                    document=doc,
                    doc_number=p.get("doc_number", ""),
                    decided_on=_date(p.get("decided_on")),  # type: ignore[arg-type]
                    decided_by=p.get("decided_by", ""),
                )
            elif step == "file":
                services.document_file(
                    actor=a,
                    document=doc,
                    filed_with=p.get("filed_with", ""),
                    filed_on=_date(p.get("filed_on")),  # type: ignore[arg-type]
                    receipt=p.get("receipt", ""),
                )
            elif step == "publish":
                services.document_publish(
                    actor=a,
                    document=doc,
                    published_on=_date(p.get("published_on")),  # type: ignore[arg-type]
                    published_where=p.get("published_where", ""),
                )
            elif step == "cleanup":
                services.document_cleanup(
                    actor=a,
                    document=doc,
                    round=p.get("round", ""),
                    result=p.get("result", ""),
                    reason=p.get("reason", ""),
                    done_on=_date(p.get("done_on")),  # type: ignore[arg-type]
                )
            else:
                raise Http404
            messages.success(request, _("Recorded."))
            return redirect("legal:document", pk=doc.pk)
        except DomainError as exc:
            error = exc
            doc.refresh_from_db()
    status = 403 if isinstance(error, DomainPermissionDenied) else 422 if error else 200
    return render(
        request,
        "legal/document.html",
        {
            "d": doc,
            "D": DocumentStatus,
            "error": error,
            "posted": request.POST,
            "keeper": policies.can(request.user, "manage", doc),
            "may_decide": policies.can(request.user, "decide", doc),
            "cleanups": doc.cleanups.all(),
            "deadlines": selectors.deadlines_of(doc),
            "results": CleanupResult.choices,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@require_POST
def referral_answer(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referrals_for(request.user).filter(pk=pk).first()
    if referral is None:
        raise Http404
    try:
        services.referral_answer(
            actor=request.user,
            referral=referral,
            accepted=request.POST.get("accepted") == "yes",
            answered_on=_date(request.POST.get("answered_on")),  # type: ignore[arg-type]
            receipt_number=request.POST.get("receipt_number", ""),
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Recorded."))
    except DomainError as exc:
        messages.error(request, exc.message)
        for errs in exc.field_errors.values():
            for err in errs:
                messages.error(request, err)
    return redirect("legal:index")


@login_required
@require_http_methods(["GET", "POST"])
def accountability(request: HttpRequest) -> HttpResponse:
    officer = officer_for(request.user)
    if officer is None:
        raise Http404
    try:
        rows = selectors.accountability_for(
            request.user, agency=officer.agency, kind=request.GET.get("kind", "")
        )
    except DomainPermissionDenied as exc:
        return render(request, "legal/refused.html", {"message": exc.message}, status=403)
    error: DomainError | None = None
    if request.method == "POST":
        p = request.POST
        try:
            services.accountability_record(
                actor=request.user,
                agency=officer.agency,
                kind=p.get("kind", ""),
                person_ids=[int(i) for i in p.getlist("person_ids") if i.isdigit()],
                finding=p.get("finding", ""),
                found_on=_date(p.get("found_on")),  # type: ignore[arg-type]
                consequence=p.get("consequence", ""),
                exemptions=p.getlist("exemptions"),
                case_id=_int(p.get("case_id")),
            )
            messages.success(request, _("Recorded."))
            return redirect("legal:accountability")
        except DomainError as exc:
            error = exc
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    grounds = services.exemption_grounds()
    for row in page.object_list:
        row.exemption_labels = [grounds.get(c, c) for c in row.exemptions]  # type: ignore[attr-defined]
    return render(
        request,
        "legal/accountability.html",
        {
            "page": page,
            "kinds": FaultKind.choices,
            "kind": request.GET.get("kind", ""),
            "error": error,
            "posted": request.POST,
            "grounds": grounds.items(),
            "today": timezone.localdate(),
            "officers": visible_officers(request.user).filter(agency_id=officer.agency_id, active=True),
        },
        status=422 if error else 200,
    )
