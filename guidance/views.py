"""Officers' guidance screens (records, the typical-case library, inquiries) and the public pages
(/gongkai/guidance/: the published library and the inquiry form)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import DomainError, NotFound
from core.errors import PermissionDenied as DomainPermissionDenied
from core.forms import place_domain_error
from core.throttle import rate_limited
from guidance import policies, selectors, services
from guidance.forms import (
    InquiryFilterForm,
    InquiryForm,
    LibraryFilterForm,
    RecordFilterForm,
    RecordForm,
    TrackForm,
    TypicalCaseForm,
)
from guidance.models import (
    GuidanceRecord,
    GuidanceStatus,
    Inquiry,
    InquiryStatus,
    OverdueKind,
    TypicalCase,
    TypicalStatus,
)
from org.selectors import officer_for

PAGE_SIZE = 20
SESSION_KEY = "guidance.inquiry_code"
INQUIRIES_PER_HOUR = 5
LOOKUPS_PER_MINUTE = 30


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _page(request: HttpRequest, qs: Any) -> tuple[Any, str]:
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _found(getter: Any, request: HttpRequest, pk: int) -> Any:
    try:
        return getter(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _run(request: HttpRequest, act: Any) -> tuple[DomainError | None, int]:
    try:
        act()
    except DomainPermissionDenied as exc:
        return exc, 403
    except DomainError as exc:
        return exc, 400 if exc.status < 500 else exc.status
    messages.success(request, _("Done."))
    return None, 302


# --- guidance records ------------------------------------------------------------------------------


@login_required
@require_GET
def record_list(request: HttpRequest) -> HttpResponse:
    form = RecordFilterForm(request.GET or None)
    qs = selectors.visible_records(request.user)
    if form.is_valid():
        cd = form.cleaned_data
        if cd["kind"]:
            qs = qs.filter(kind=cd["kind"])
        if cd["status"]:
            qs = qs.filter(status=cd["status"])
        if cd["q"]:
            qs = qs.filter(Q(party_name__contains=cd["q"]) | Q(matter__contains=cd["q"]))
    page, query = _page(request, qs.order_by("-occurred_on", "-pk"))
    return render(request, "guidance/record_list.html", {"form": form, "page": page, "query": query})


def _officer_choices(request: HttpRequest) -> list[tuple[int, str]]:
    officer = officer_for(request.user)
    if officer is None:
        return []
    return [(o.pk, o.name) for o in selectors.agency_officers(agency_id=officer.agency_id)]


@login_required
@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest) -> HttpResponse:
    form = RecordForm(request.POST or None, officers=_officer_choices(request))
    if request.method == "POST":
        if form.is_valid():
            cd = form.cleaned_data
            try:
                record = services.guidance_record(
                    actor=request.user,
                    kind=cd["kind"],
                    method=cd["method"],
                    occurred_on=cd["occurred_on"],
                    party_name=cd["party_name"],
                    party_id_number=cd["party_id_number"],
                    party_address=cd["party_address"],
                    party_phone=cd["party_phone"],
                    place=cd["place"],
                    officer_ids=cd["officers"],
                    matter=cd["matter"],
                    advice=cd["advice"],
                    basis=cd["basis"],
                    rectification_text=cd["rectification_text"],
                    rectification_deadline=cd["rectification_deadline"],
                )
            except DomainPermissionDenied as exc:
                form.add_error(None, exc.message)
                return render(request, "guidance/record_new.html", {"form": form}, status=403)
            except DomainError as exc:
                place_domain_error(form, exc)
            else:
                messages.success(request, _("The guidance was recorded."))
                return redirect("guidance:record_detail", pk=record.pk)
        return render(request, "guidance/record_new.html", {"form": form}, status=400)
    return render(request, "guidance/record_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record: GuidanceRecord = _found(selectors.record_get, request, pk)
    error, status = None, 200
    if request.method == "POST":
        error, status = _run(
            request,
            lambda: services.guidance_outcome(
                actor=request.user,
                record=record,
                rectified=request.POST.get("rectified") == "1",
                note=request.POST.get("note", ""),
            ),
        )
        if error is None:
            return redirect("guidance:record_detail", pk=record.pk)
        record = _found(selectors.record_get, request, pk)
    context = {
        "r": record,
        "error": error,
        "officers": record.officers.all(),
        "deadlines": selectors.deadlines_of(record),
        "may_outcome": record.status == GuidanceStatus.RECTIFYING
        and policies.can(request.user, "outcome", record),
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "guidance/record_detail.html", context, status=status)


# --- the typical-case library ----------------------------------------------------------------------


@login_required
@require_GET
def library(request: HttpRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET or None)
    qs = selectors.visible_typical_cases(request.user)
    status = request.GET.get("status", "")
    if status in TypicalStatus.values:
        qs = qs.filter(status=status)
    if form.is_valid():
        cd = form.cleaned_data
        for key in ("category", "field", "method"):
            if cd[key]:
                qs = qs.filter(**{key: cd[key]})
        if cd["q"]:
            qs = qs.filter(
                Q(title__contains=cd["q"]) | Q(summary__contains=cd["q"]) | Q(body__contains=cd["q"])
            )
    page, query = _page(request, qs.order_by("-updated_at", "-pk"))
    context = {
        "form": form,
        "page": page,
        "query": query,
        "statuses": TypicalStatus.choices,
        "status": status,
    }
    return render(request, "guidance/library.html", context)


def _case_data(cd: dict[str, Any]) -> dict[str, Any]:
    return {k: cd[k] for k in ("category", "field", "method", "title", "summary", "body", "lessons")}


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    form = TypicalCaseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        from_case = request.POST.get("from_case", "").strip()
        try:
            if from_case:
                if not from_case.isdigit() or not 0 < int(from_case) < 2**62:
                    raise DomainError(
                        _("Give the number (ID) of a closed case."), code="typical_case_source_invalid"
                    )
                case = services.typical_case_from_case(actor=request.user, case_id=int(from_case))
            else:
                if not form.is_valid():
                    raise DomainError(_("Correct the fields marked."), code="validation_failed")
                case = services.typical_case_create(actor=request.user, data=_case_data(form.cleaned_data))
        except DomainPermissionDenied as exc:
            form.add_error(None, exc.message)
            status = 403
        except DomainError as exc:
            place_domain_error(form, exc)
            status = 400
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("guidance:case_detail", pk=case.pk)
    return render(request, "guidance/case_new.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tc: TypicalCase = _found(selectors.typical_case_get, request, pk)
    form = TypicalCaseForm(
        initial={
            **{
                k: getattr(tc, k)
                for k in ("category", "field", "method", "title", "summary", "body", "lessons")
            },
            "version": tc.version,
        }
    )
    error, status = None, 200
    if request.method == "POST":
        action, post, user = request.POST.get("action", ""), request.POST, request.user
        if action == "edit":
            form = TypicalCaseForm(post)
            if form.is_valid():
                error, status = _run(
                    request,
                    lambda: services.typical_case_update(
                        actor=user,
                        typical_case=tc,
                        data=_case_data(form.cleaned_data),
                        version=form.cleaned_data["version"] or 0,
                    ),
                )
        elif action == "submit":
            error, status = _run(request, lambda: services.typical_case_submit(actor=user, typical_case=tc))
        elif action in ("publish", "return"):
            error, status = _run(
                request,
                lambda: services.typical_case_review(
                    actor=user, typical_case=tc, publish=action == "publish", note=post.get("note", "")
                ),
            )
        elif action == "withdraw":
            error, status = _run(
                request,
                lambda: services.typical_case_withdraw(
                    actor=user, typical_case=tc, reason=post.get("reason", "")
                ),
            )
        else:
            error, status = DomainError(_("Unknown action."), code="unknown_action"), 400
        if error is None and status == 302:
            return redirect("guidance:case_detail", pk=tc.pk)
        if error is not None and action == "edit":
            place_domain_error(form, error)
        tc = _found(selectors.typical_case_get, request, pk)
    may = {verb: policies.can(request.user, verb, tc) for verb in ("edit", "submit", "review", "withdraw")}
    context = {"tc": tc, "form": form, "error": error, "may": may, "T": TypicalStatus}
    return render(
        request, "guidance/case_detail.html", context, status=status if request.method == "POST" else 200
    )


# --- inquiries -------------------------------------------------------------------------------------


@login_required
@require_GET
def inquiry_list(request: HttpRequest) -> HttpResponse:
    form = InquiryFilterForm(request.GET or None)
    overdue = request.GET.get("overdue") == "1"
    qs = (
        selectors.overdue_inquiries(actor=request.user)
        if overdue
        else selectors.visible_inquiries(request.user)
    )
    if form.is_valid():
        cd = form.cleaned_data
        if cd["status"]:
            qs = qs.filter(status=cd["status"])
        if cd["mine"]:
            officer = officer_for(request.user)
            qs = qs.filter(owner_id=officer.pk if officer else 0)
    page, query = _page(request, qs if overdue else qs.order_by("-received_on", "-pk"))
    return render(
        request,
        "guidance/inquiry_list.html",
        {"form": form, "page": page, "query": query, "overdue": overdue},
    )


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_new(request: HttpRequest) -> HttpResponse:
    officer = officer_for(request.user)
    agencies = [
        (a, n) for a, n in selectors.public_agencies() if officer is not None and a == officer.agency_id
    ]
    form = InquiryForm(request.POST or None, agencies=agencies, channels=True)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            try:
                inquiry = services.inquiry_receive(
                    actor=request.user,
                    agency_id=cd["agency"],
                    channel=cd["channel"],
                    asker_name=cd["asker_name"],
                    asker_phone=cd["asker_phone"],
                    asker_email=cd["asker_email"],
                    question=cd["question"],
                )
            except DomainError as exc:
                place_domain_error(form, exc)
            else:
                messages.success(
                    request, _("The inquiry was recorded; you are responsible for it (首问负责).")
                )
                return redirect("guidance:inquiry_detail", pk=inquiry.pk)
    return render(request, "guidance/inquiry_new.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry: Inquiry = _found(selectors.inquiry_get, request, pk)
    error, status = None, 200
    if request.method == "POST":
        action, post, user = request.POST.get("action", ""), request.POST, request.user
        if action == "take":
            error, status = _run(request, lambda: services.inquiry_take(actor=user, inquiry=inquiry))
        elif action == "handover":
            error, status = _run(
                request,
                lambda: services.inquiry_handover(
                    actor=user, inquiry=inquiry, officer_id=post.get("officer"), reason=post.get("reason", "")
                ),
            )
        elif action == "reply":
            error, status = _run(
                request,
                lambda: services.inquiry_reply(actor=user, inquiry=inquiry, text=post.get("text", "")),
            )
        else:
            error, status = DomainError(_("Unknown action."), code="unknown_action"), 400
        if error is None:
            return redirect("guidance:inquiry_detail", pk=inquiry.pk)
        inquiry = _found(selectors.inquiry_get, request, pk)
    context = {
        "i": inquiry,
        "I": InquiryStatus,
        "error": error,
        "may": {verb: policies.can(request.user, verb, inquiry) for verb in ("take", "handover", "reply")},
        "handovers": inquiry.handovers.select_related("from_officer", "to_officer"),
        "deadlines": selectors.deadlines_of(inquiry),
        "officers": selectors.agency_officers(agency_id=inquiry.agency_id),
        "code": selectors.display_code(inquiry.tracking_code),
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "guidance/inquiry_detail.html", context, status=status)


# --- public ----------------------------------------------------------------------------------------


@require_GET
def public_library(request: HttpRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET or None)
    cd = form.cleaned_data if form.is_valid() else {"q": "", "category": "", "field": "", "method": ""}
    qs = selectors.published_typical_cases(
        q=cd["q"], field=cd["field"], method=cd["method"], category=cd["category"]
    )
    page, query = _page(request, qs)
    return render(request, "guidance/public_library.html", {"form": form, "page": page, "query": query})


@require_GET
def public_exemptions(request: HttpRequest) -> HttpResponse:
    """The 首违不罚 / 轻微免罚 list: catalog data, the same rows the penalty discretion step applies."""
    from catalog import selectors as catalog_selectors

    return render(
        request, "guidance/public_exemptions.html", {"rules": catalog_selectors.exemptions_in_force()}
    )


@require_GET
def public_case(request: HttpRequest, pk: int) -> HttpResponse:
    tc = selectors.published_typical_case(pk)
    if tc is None:
        raise Http404
    return render(request, "guidance/public_case.html", {"tc": tc})


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return _no_store(render(request, "guidance/public_refused.html", {"message": message}, status=status))


@require_http_methods(["GET", "POST"])
def public_ask(request: HttpRequest) -> HttpResponse:
    agencies = selectors.public_agencies()
    if request.method != "POST":
        return _no_store(
            render(request, "guidance/public_ask.html", {"form": InquiryForm(agencies=agencies)})
        )
    wait = rate_limited(request, scope="guidance:ask", limit=INQUIRIES_PER_HOUR, period=3600)
    if wait:
        response = _refused(
            request,
            _(
                "Too many questions were sent from your address; please try again in %(minutes)d minutes, "
                "or call the agency."
            )
            % {"minutes": max(wait // 60, 1)},
            429,
        )
        response["Retry-After"] = str(wait)
        return response
    if request.POST.get("website"):
        return _refused(
            request, _("The form could not be accepted. Send it again without filling in hidden fields."), 400
        )
    form = InquiryForm(request.POST, agencies=agencies)
    if form.is_valid():
        cd = form.cleaned_data
        try:
            inquiry = services.inquiry_receive(
                actor=None,
                agency_id=cd["agency"],
                channel="online",
                asker_name=cd["asker_name"],
                asker_phone=cd["asker_phone"],
                asker_email=cd["asker_email"],
                question=cd["question"],
            )
        except DomainError as exc:
            place_domain_error(form, exc)
        else:
            request.session[SESSION_KEY] = inquiry.tracking_code
            return redirect("guidance_public:asked")
    return _no_store(render(request, "guidance/public_ask.html", {"form": form}, status=400))


@require_GET
def public_asked(request: HttpRequest) -> HttpResponse:
    inquiry = selectors.inquiry_by_code(request.session.get(SESSION_KEY) or "")
    if inquiry is None:
        return redirect("guidance_public:track")
    return _no_store(
        render(request, "guidance/public_asked.html", {"status": selectors.inquiry_public_status(inquiry)})
    )


@require_GET
def public_track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.GET.get("code"):
        if rate_limited(request, scope="guidance:track", limit=LOOKUPS_PER_MINUTE, period=60):
            context["throttled"], status = True, 429
        else:
            inquiry = selectors.inquiry_by_code(request.GET["code"])
            if inquiry is None:
                context["not_found"], status = True, 404
            else:
                context["status"] = selectors.inquiry_public_status(inquiry)
    return _no_store(render(request, "guidance/public_track.html", context, status=status))


@login_required
@require_GET
def first_contact_overdue(request: HttpRequest) -> HttpResponse:
    """The head's list of every overdue first-contact item (see guidance.selectors)."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in OverdueKind.values else ""
    allowed = selectors.may_oversee(request.user)
    rows = selectors.first_contact_overdue(actor=request.user, kind=kind)
    context = {"rows": rows, "kind": kind, "kinds": OverdueKind.choices, "allowed": allowed}
    return render(request, "guidance/first_contact_overdue.html", context, status=200 if allowed else 403)
