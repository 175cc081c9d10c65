"""Officer screens of the legal registers: the registers at a glance, a normative document with its
next step, referrals answered in place, and the accountability findings (legal department and heads
only: anyone else gets 403, and the refusal is in the ledger)."""

from __future__ import annotations

import datetime as dt
import re
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


def _codes(value: Any) -> list[str]:
    """Power-list codes typed in one field, separated by commas, 、 or spaces."""
    return [c for c in re.split(r"[\s,，、;；]+", str(value or "")) if c]


def _register_action(request: HttpRequest, agency: Any) -> str:
    """Run a keeper's form of the registers page; return the success message."""
    p, a, action = request.POST, request.user, request.POST.get("action")
    if action == "document":
        services.document_draft(
            actor=a,
            agency=agency,
            title=p.get("title", ""),
            summary=p.get("summary", ""),
            power_codes=_codes(p.get("power_codes")),
        )
    elif action == "adviser":
        services.adviser_add(
            actor=a,
            agency=agency,
            name=p.get("name", ""),
            firm=p.get("firm", ""),
            phone=p.get("phone", ""),
            specialties=p.get("specialties", ""),
            contract_start=_date(p.get("contract_start")) or timezone.localdate(),
            contract_end=_date(p.get("contract_end")) or timezone.localdate(),
        )
    elif action == "opinion":
        adviser = (
            selectors.advisers_for(a).filter(pk=_int(p.get("adviser")) or 0, agency_id=agency.pk).first()
        )
        if adviser is None:
            raise Http404
        services.opinion_request(
            actor=a,
            adviser=adviser,
            question=p.get("question", ""),
            case_id=_int(p.get("case_id")),
            draft_title=p.get("draft_title", ""),
        )
    elif action == "opinion_answer":
        request_row = selectors.opinions_for(a).filter(pk=_int(p.get("request")) or 0).first()
        if request_row is None:
            raise Http404
        services.opinion_record(
            actor=a,
            request=request_row,
            opinion=p.get("opinion", ""),
            answered_on=_date(p.get("answered_on")),  # type: ignore[arg-type]
        )
    elif action == "referral":
        services.referral_send(
            actor=a,
            agency=agency,
            to_name=p.get("to_name", ""),
            to_agency_id=_int(p.get("to_agency_id")),
            case_id=_int(p.get("case_id")),
            subject=p.get("subject", ""),
            reason=p.get("reason", ""),
            sent_on=_date(p.get("sent_on")),  # type: ignore[arg-type]
        )
    elif action == "joint_action":
        services.joint_action_record(
            actor=a,
            agency=agency,
            title=p.get("title", ""),
            held_on=_date(p.get("held_on")),  # type: ignore[arg-type]
            place=p.get("place", ""),
            participants=[line.strip() for line in p.get("participants", "").splitlines() if line.strip()],
        )
    elif action == "joint_result":
        row = selectors.joint_actions_for(a).filter(pk=_int(p.get("joint_action")) or 0).first()
        if row is None:
            raise Http404
        services.joint_action_result(
            actor=a,
            action=row,
            result=p.get("result", ""),
            violations_found=_int(p.get("violations_found")) or 0,
            cases_opened=_int(p.get("cases_opened")) or 0,
        )
    else:
        raise Http404
    return _("Recorded.")


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    officer = officer_for(request.user)
    agency = officer.agency if officer else None
    keeper = agency is not None and policies.can(request.user, "manage", agency)
    error: DomainError | None = None
    if request.method == "POST":
        if agency is None:
            raise Http404
        try:
            messages.success(request, _register_action(request, agency))
            return redirect("legal:index")
        except DomainError as exc:
            error = exc
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
            "error": error,
            "posted": request.POST,
            "action": request.POST.get("action", ""),
        },
        status=(403 if isinstance(error, DomainPermissionDenied) else 422) if error else 200,
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
            if step == "powers":
                services.document_powers_set(actor=a, document=doc, power_codes=_codes(p.get("power_codes")))
            elif step == "submit":
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
