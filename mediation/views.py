"""Officers' mediation screens and the public application form (/gongkai/mediation/)."""

from __future__ import annotations

import datetime
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
from mediation import policies, selectors, services
from mediation.forms import GROUND_CHOICES, SIDE_CHOICES, ApplicationForm, FilterForm, StatsForm, TrackForm
from mediation.models import Mediation, Status

PAGE_SIZE = 20
SESSION_KEY = "mediation.new_code"
APPLICATIONS_PER_HOUR = 5
LOOKUPS_PER_MINUTE = 30


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value or ""))
    except ValueError:
        return None


def _apply(form: ApplicationForm, *, actor: Any, channel: str) -> Mediation:
    cd = form.cleaned_data
    return services.mediation_apply(
        actor=actor,
        agency_id=cd["agency"],
        kind=cd["kind"],
        channel=channel,
        summary=cd["summary"],
        request=cd["request"],
        location=cd["location"],
        applicant=form.party("applicant"),
        respondent=form.party("respondent"),
    )


# --- public ----------------------------------------------------------------------------------------


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return _no_store(render(request, "mediation/public_refused.html", {"message": message}, status=status))


@require_http_methods(["GET", "POST"])
def public_apply(request: HttpRequest) -> HttpResponse:
    agencies = selectors.public_agencies()
    if request.method != "POST":
        return _no_store(
            render(request, "mediation/public_form.html", {"form": ApplicationForm(agencies=agencies)})
        )
    wait = rate_limited(request, scope="mediation:apply", limit=APPLICATIONS_PER_HOUR, period=3600)
    if wait:
        response = _refused(
            request,
            _(
                "Too many applications were sent from your address; please try again in %(minutes)d "
                "minutes, or call the agency."
            )
            % {"minutes": max(wait // 60, 1)},
            429,
        )
        response["Retry-After"] = str(wait)
        return response
    form = ApplicationForm(request.POST, agencies=agencies)
    if request.POST.get("website"):
        return _refused(
            request, _("The form could not be accepted. Send it again without filling in hidden fields."), 400
        )
    if form.is_valid():
        try:
            mediation = _apply(form, actor=None, channel="online")
        except DomainError as exc:
            place_domain_error(form, exc)
        else:
            request.session[SESSION_KEY] = mediation.tracking_code
            return redirect("mediation_public:submitted")
    return _no_store(render(request, "mediation/public_form.html", {"form": form}, status=400))


@require_GET
def public_submitted(request: HttpRequest) -> HttpResponse:
    code = request.session.get(SESSION_KEY)
    mediation = selectors.mediation_by_code(code or "")
    if mediation is None:
        return redirect("mediation_public:track")
    return _no_store(
        render(request, "mediation/public_submitted.html", {"status": selectors.public_status(mediation)})
    )


@require_GET
def public_track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.GET.get("code"):
        if rate_limited(request, scope="mediation:track", limit=LOOKUPS_PER_MINUTE, period=60):
            context["throttled"], status = True, 429
        else:
            mediation = selectors.mediation_by_code(request.GET["code"])
            if mediation is None:
                context["not_found"], status = True, 404
            else:
                context["status"] = selectors.public_status(mediation)
    return _no_store(render(request, "mediation/public_track.html", context, status=status))


# --- officers --------------------------------------------------------------------------------------


@login_required
@require_GET
def mediation_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    qs = selectors.visible_mediations(request.user)
    if form.is_valid():
        cd = form.cleaned_data
        if cd["status"]:
            qs = qs.filter(status=cd["status"])
        if cd["kind"]:
            qs = qs.filter(kind=cd["kind"])
        if cd["q"]:
            qs = qs.filter(
                Q(number__contains=cd["q"])
                | Q(summary__contains=cd["q"])
                | Q(parties__name__contains=cd["q"])
            ).distinct()
    page = Paginator(qs.order_by("-received_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mediation/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_apply": policies.can(request.user, "apply", None),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mediation_new(request: HttpRequest) -> HttpResponse:
    agencies = [
        (a, n) for a, n in selectors.public_agencies() if a == getattr(_officer(request), "agency_id", None)
    ]
    form = ApplicationForm(request.POST or None, agencies=agencies, channels=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                mediation = _apply(form, actor=request.user, channel=form.cleaned_data["channel"])
            except DomainError as exc:
                place_domain_error(form, exc)
            else:
                messages.success(request, _("The application was recorded."))
                return redirect("mediation:detail", pk=mediation.pk)
        status = 400
    return render(request, "mediation/new.html", {"form": form}, status=status)


def _officer(request: HttpRequest) -> Any:
    from org.selectors import officer_for

    return officer_for(request.user)


ACTIONS = (
    "accept", "refuse", "assign", "party", "session", "extend", "agreement", "sign", "conclude", "fail",
    "withdraw", "recuse", "decide_recusal",
)  # fmt: skip


def _act(request: HttpRequest, m: Mediation, action: str) -> None:
    user, post = request.user, request.POST
    if action == "accept":
        services.mediation_accept(actor=user, mediation=m, mediator_id=post.get("mediator"))
    elif action == "refuse":
        services.mediation_refuse(actor=user, mediation=m, reason=post.get("reason", ""))
    elif action == "assign":
        services.mediation_mediator_assign(actor=user, mediation=m, mediator_id=post.get("mediator"))
    elif action == "party":
        data = {
            k: post.get(k, "")
            for k in ("name", "id_number", "address", "phone", "representative", "representative_role")
        }
        services.mediation_party_add(actor=user, mediation=m, side=post.get("side", ""), data=data)
    elif action == "session":
        services.mediation_session_record(
            actor=user,
            mediation=m,
            held_on=_date(post.get("held_on")),
            place=post.get("place", ""),
            attendees=post.get("attendees", ""),
            record=post.get("record", ""),
        )
    elif action == "extend":
        services.mediation_extend(
            actor=user,
            mediation=m,
            days=post.get("days"),
            agreed_on=_date(post.get("agreed_on")),
            note=post.get("note", ""),
        )
    elif action == "agreement":
        services.mediation_agreement_draft(
            actor=user, mediation=m, terms=post.get("terms", ""), performance=post.get("performance", "")
        )
    elif action == "sign":
        services.mediation_signature_record(
            actor=user,
            mediation=m,
            party_id=post.get("party"),
            signed_on=_date(post.get("signed_on")),
        )
    elif action == "conclude":
        services.mediation_conclude(actor=user, mediation=m)
    elif action == "fail":
        services.mediation_fail(
            actor=user, mediation=m, reason=post.get("reason", ""), routes=post.get("routes", "")
        )
    elif action == "withdraw":
        services.mediation_withdraw(actor=user, mediation=m, reason=post.get("reason", ""))
    elif action == "recuse":
        services.recusal_apply(
            actor=user,
            mediation=m,
            ground=post.get("ground", ""),
            reason=post.get("reason", ""),
            applied_by=post.get("applied_by", ""),
        )
    elif action == "decide_recusal":
        recusal = m.recusals.filter(pk=int(post.get("recusal") or 0)).first()
        if recusal is None:
            raise DomainError(_("Choose a recusal of this mediation."), code="mediation_recusal_unknown")
        services.recusal_decide(actor=user, recusal=recusal, granted=post.get("granted") == "1")


def _get(request: HttpRequest, pk: int) -> Mediation:
    try:
        return selectors.mediation_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
@require_http_methods(["GET", "POST"])
def mediation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    m = _get(request, pk)
    error: DomainError | None = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action not in ACTIONS:
                raise DomainError(_("Unknown action."), code="unknown_action")
            _act(request, m, action)
        except DomainPermissionDenied as exc:
            error, status = exc, 403
        except DomainError as exc:
            error, status = exc, 400 if exc.status < 500 else exc.status
        else:
            messages.success(request, _("Done."))
            return redirect("mediation:detail", pk=m.pk)
        m = _get(request, pk)
    may = {verb: policies.can(request.user, verb, m) for verb in policies.VERBS}
    context = {
        "m": m,
        "S": Status,
        "error": error,
        "may": may,
        "open": m.status in (Status.ACCEPTED, Status.MEDIATING),
        "parties": m.parties.all(),
        "sessions": m.sessions.select_related("recorded_by"),
        "extensions": m.extensions.all(),
        "recusals": m.recusals.select_related("officer"),
        "deadlines": selectors.mediation_deadlines(mediation=m),
        "conclusion_due": selectors.conclusion_due(m),
        "officers": selectors.agency_officers(agency_id=m.agency_id),
        "sides": SIDE_CHOICES,
        "grounds": GROUND_CHOICES,
        "code": selectors.display_code(m.tracking_code),
        "posted": request.POST if request.method == "POST" else {},
        "default_routes": services.DEFAULT_ROUTES,
        "today": selectors.today().isoformat(),
    }
    return render(request, "mediation/detail.html", context, status=status)


@login_required
@require_GET
def mediation_stats(request: HttpRequest) -> HttpResponse:
    form = StatsForm(request.GET or None)
    start = end = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    stats = selectors.mediation_statistics(actor=request.user, start=start, end=end)
    return render(request, "mediation/stats.html", {"form": form, "stats": stats})
