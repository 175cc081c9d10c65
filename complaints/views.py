"""The public complaint form and tracking page (portal, no login) and the officers' screens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaints import abuse, policies, selectors, services
from complaints.forms import ComplaintForm, FeedbackForm, FilterForm, TrackForm
from complaints.models import Category, Finding, Status
from core.errors import DomainError, NotFound
from core.errors import PermissionDenied as DomainPermissionDenied
from core.forms import place_domain_error
from core.services.files import file_open
from org.selectors import officer_for

PAGE_SIZE = 20
SESSION_KEY = "complaints.new_code"


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def uploads_of(files: list[Any]) -> list[services.Upload]:
    return [services.Upload(name=f.name or "", size=int(f.size or 0), fileobj=f) for f in files]


# --- public ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def public_new(request: HttpRequest) -> HttpResponse:
    agencies = selectors.public_agencies()
    if request.method != "POST":
        return _no_store(
            render(request, "complaints/public_form.html", {"form": ComplaintForm(agencies=agencies)})
        )
    wait = abuse.throttled(request, "submit")
    if wait:
        response = render(
            request,
            "complaints/public_refused.html",
            {
                "message": _(
                    "Too many complaints were sent from your address; please try again in %(minutes)d "
                    "minutes, or call the agency."
                )
                % {"minutes": max(wait // 60, 1)}
            },
            status=429,
        )
        response["Retry-After"] = str(wait)
        return _no_store(response)
    try:
        data, files = request.POST, request.FILES
    except (RequestDataTooBig, TooManyFieldsSent, MultiPartParserError):
        return _no_store(
            render(
                request,
                "complaints/public_refused.html",
                {
                    "message": _(
                        "The form is too large: shorten the text or send fewer or smaller attachments."
                    )
                },
                status=413,
            )
        )
    form = ComplaintForm(data, files, agencies=agencies)
    if data.get(abuse.HONEYPOT_FIELD):
        return _no_store(
            render(
                request,
                "complaints/public_refused.html",
                {
                    "message": _(
                        "The form could not be accepted. If you are a person, please send it again "
                        "without filling in hidden fields, or call the agency."
                    )
                },
                status=400,
            )
        )
    if form.is_valid():
        cd = form.cleaned_data
        try:
            complaint = services.complaint_submit(
                actor=None,
                agency_id=cd["agency"],
                category=cd["category"],
                description=cd["description"],
                location=cd["location"],
                anonymous=cd["anonymous"],
                contact_name=cd["contact_name"],
                contact_phone=cd["contact_phone"],
                contact_email=cd["contact_email"],
                officer_named=cd["officer_named"],
                officer_certificate=cd["officer_certificate"],
                files=uploads_of(files.getlist("attachments")),
            )
        except DomainError as exc:
            place_domain_error(form, exc)
        else:
            request.session[SESSION_KEY] = complaint.tracking_code
            return redirect("complaints_public:submitted")
    return _no_store(render(request, "complaints/public_form.html", {"form": form}, status=400))


@require_GET
def public_submitted(request: HttpRequest) -> HttpResponse:
    code = request.session.get(SESSION_KEY)
    if not code:
        return redirect("complaints_public:track")
    complaint = selectors.complaint_by_code(code)
    if complaint is None:
        raise Http404
    return _no_store(
        render(
            request,
            "complaints/public_submitted.html",
            {"status": selectors.public_status(complaint), "track_url": reverse("complaints_public:track")},
        )
    )


@require_GET
def public_track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.GET.get("code"):
        if abuse.throttled(request, "track"):
            context["throttled"] = True
            status = 429
        else:
            complaint = selectors.complaint_by_code(request.GET["code"])
            if complaint is None:
                context["not_found"] = True
                status = 404
            else:
                context["status"] = selectors.public_status(complaint)
                context["feedback_form"] = FeedbackForm(initial={"code": complaint.tracking_code})
    return _no_store(render(request, "complaints/public_track.html", context, status=status))


@require_POST
def public_feedback(request: HttpRequest) -> HttpResponse:
    if abuse.throttled(request, "track"):
        return _no_store(
            render(
                request,
                "complaints/public_refused.html",
                {"message": _("Too many requests; wait a moment and try again.")},
                status=429,
            )
        )
    form = FeedbackForm(request.POST)
    complaint = selectors.complaint_by_code(request.POST.get("code", ""))
    if complaint is None:
        raise Http404
    if form.is_valid():
        try:
            services.complaint_feedback(
                actor=None,
                complaint=complaint,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            place_domain_error(form, exc)
        else:
            return redirect(
                reverse("complaints_public:track") + "?" + urlencode({"code": complaint.tracking_code})
            )
    context = {
        "form": TrackForm(initial={"code": complaint.tracking_code}),
        "status": selectors.public_status(complaint),
        "feedback_form": form,
    }
    return _no_store(render(request, "complaints/public_track.html", context, status=400))


# --- officers --------------------------------------------------------------------------------------


@login_required
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    qs = selectors.visible_complaints(request.user)
    if form.is_valid():
        cd = form.cleaned_data
        if cd["status"]:
            qs = qs.filter(status=cd["status"])
        if cd["category"]:
            qs = qs.filter(category=cd["category"])
        if cd["mine"]:
            officer = officer_for(request.user)
            qs = qs.filter(owner_id=officer.pk if officer else 0)
        if cd["q"]:
            code = abuse.normalise_code(cd["q"])
            qs = (
                qs.filter(Q(tracking_code=code) | Q(description__contains=cd["q"]))
                if code
                else qs.filter(description__contains=cd["q"])
            )
    page = Paginator(qs.order_by("-received_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "complaints/list.html", {"form": form, "page": page, "query": query.urlencode()})


ACTIONS = ("accept", "identify", "assign", "handover", "convert", "no_lead", "reply", "close")


def _act(request: HttpRequest, complaint: Any, action: str) -> None:
    user, post = request.user, request.POST
    if action == "accept":
        services.complaint_accept(actor=user, complaint=complaint)
    elif action == "identify":
        services.complaint_identify(actor=user, complaint=complaint, officer_id=post.get("officer"))
    elif action == "assign":
        services.complaint_assign(
            actor=user,
            complaint=complaint,
            department_id=post.get("department"),
            officer_id=post.get("officer"),
            note=post.get("note", ""),
        )
    elif action == "handover":
        services.complaint_handover(
            actor=user, complaint=complaint, officer_id=post.get("officer"), note=post.get("note", "")
        )
    elif action == "convert":
        services.complaint_convert(actor=user, complaint=complaint, title=post.get("title", ""))
    elif action == "no_lead":
        services.complaint_no_lead(actor=user, complaint=complaint, reason=post.get("reason", ""))
    elif action == "reply":
        services.complaint_reply(
            actor=user, complaint=complaint, text=post.get("text", ""), finding=post.get("finding", "")
        )
    elif action == "close":
        services.complaint_close(actor=user, complaint=complaint)


def _get(request: HttpRequest, pk: int) -> Any:
    try:
        return selectors.complaint_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
@require_http_methods(["GET", "POST"])
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _get(request, pk)
    if not policies.can(request.user, "view", complaint):
        raise Http404
    error: DomainError | None = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            error, status = DomainError(_("Unknown action."), code="unknown_action"), 400
        else:
            try:
                _act(request, complaint, action)
            except DomainPermissionDenied as exc:
                error, status = exc, 403
            except DomainError as exc:
                error, status = exc, 400 if exc.status < 500 else exc.status
            else:
                messages.success(request, _("Done."))
                return redirect("complaints:detail", pk=complaint.pk)
            complaint = _get(request, pk)
    agency_id = complaint.agency_id
    may = {verb: policies.can(request.user, verb, complaint) for verb in policies.VERBS}
    context = {
        "c": complaint,
        "code": abuse.display_code(complaint.tracking_code),
        "error": error,
        "may": may,
        "S": Status,
        "is_violation": complaint.category == Category.VIOLATION,
        "is_conduct": complaint.category == Category.CONDUCT,
        "deadlines": selectors.complaint_deadlines(complaint=complaint),
        "handovers": complaint.handovers.select_related("from_officer", "to_officer", "department", "by"),
        "attachments": complaint.attachments.all(),
        "departments": selectors.agency_departments(agency_id=agency_id).filter(active=True),
        "officers": selectors.agency_officers(agency_id=agency_id),
        "posted": request.POST if request.method == "POST" else {},
        "findings": Finding.choices,
    }
    return render(request, "complaints/detail.html", context, status=status)


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int, att: int) -> FileResponse:
    complaint = _get(request, pk)
    item = complaint.attachments.select_related("file").filter(pk=att).first()
    if item is None:
        raise Http404
    response = FileResponse(
        file_open(item.file), content_type=item.content_type, as_attachment=True, filename=item.filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
