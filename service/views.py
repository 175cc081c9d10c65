"""The portal's application pages (一网通办, no login) and the officers' licence screens."""

from __future__ import annotations

import datetime
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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import DomainError, NotFound
from core.errors import PermissionDenied as DomainPermissionDenied
from core.services.files import file_open
from documents import selectors as document_selectors
from documents import services as document_services
from org.selectors import officer_for
from service import abuse, policies, selectors, services
from service.forms import ApplicationFilter, ApplicationForm, LicenceFilter, TrackForm
from service.models import AppStatus, DeliveryMethod, HearingStatus, RiskLevel
from service.services.hearings import OPEN_HEARING
from service.services.inspections import licences_of
from service.services.notices import OFFICER_METHODS

PAGE_SIZE = 20
ENDING_CHOICES = (
    ("revoke", "撤销（《行政许可法》第六十九条）"),
    ("withdraw", "撤回（《行政许可法》第八条第二款）"),
    ("cancel", "注销（《行政许可法》第七十条）"),
)
SESSION_KEY = "service.new_code"


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _add_errors(form: Any, exc: DomainError) -> None:
    placed = False
    for name, errors in exc.field_errors.items():
        for error in errors:
            target = {"renewal_of": "renewal_of", "kind": "kind", "agency": "agency"}.get(name, name)
            if target in form.fields:
                form.add_error(target, error)
                placed = True
    if not placed:
        form.add_error(None, exc.message)


def _uploads(files: list[Any]) -> list[services.Upload]:
    return [services.Upload(name=f.name or "", size=int(f.size or 0), fileobj=f) for f in files]


def _kinds() -> list[tuple[int, str]]:
    return [(k.pk, k.name) for k in selectors.licence_kinds()]


def _renewal_id(agency_id: Any, number: str) -> int | None:
    number = (number or "").strip()
    if not number:
        return None
    return selectors.licence_id_by_number(agency_id=agency_id, number=number) or -1


def _submit(request: HttpRequest, form: ApplicationForm, *, actor: Any) -> Any:
    cd = form.cleaned_data
    return services.application_submit(
        actor=actor,
        agency_id=cd["agency"],
        kind_id=cd["kind"],
        applicant_name=cd["applicant_name"],
        applicant_id_number=cd["applicant_id_number"],
        applicant_phone=cd["applicant_phone"],
        applicant_email=cd["applicant_email"],
        applicant_address=cd["applicant_address"],
        project=cd["project"],
        location=cd["location"],
        description=cd["description"],
        joint=cd["joint"],
        renewal_of_id=_renewal_id(cd["agency"], cd["renewal_of"]),
        files=_uploads(request.FILES.getlist("attachments")),
    )


def _paginate(request: HttpRequest, qs: Any) -> tuple[Any, str]:
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# --- public ----------------------------------------------------------------------------------------


@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    kinds = [(k, selectors.kind_power_item(k)) for k in selectors.licence_kinds()]
    return render(request, "service/public_index.html", {"kinds": kinds})


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return _no_store(render(request, "service/public_refused.html", {"message": message}, status=status))


@require_http_methods(["GET", "POST"])
def public_apply(request: HttpRequest) -> HttpResponse:
    agencies, kinds = selectors.public_agencies(), _kinds()
    if request.method != "POST":
        initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") else None
        form = ApplicationForm(agencies=agencies, kinds=kinds, initial=initial)
        return _no_store(render(request, "service/public_apply.html", {"form": form}))
    wait = abuse.throttled(request, "submit")
    if wait:
        response = _refused(
            request,
            _(
                "Too many applications were sent from your address; "
                "please try again in %(minutes)d minutes, or "
                "apply at the service window."
            )
            % {"minutes": max(wait // 60, 1)},
            429,
        )
        response["Retry-After"] = str(wait)
        return response
    try:
        data = request.POST
        request.FILES  # noqa: B018  (parse now, inside the try)
    except (RequestDataTooBig, TooManyFieldsSent, MultiPartParserError):
        return _refused(request, _("The form is too large: send fewer or smaller attachments."), 413)
    if data.get(abuse.HONEYPOT_FIELD):
        return _refused(
            request,
            _(
                "The form could not be accepted. If you are a person, "
                "please send it again without filling in "
                "hidden fields, or apply at the service window."
            ),
            400,
        )
    form = ApplicationForm(data, request.FILES, agencies=agencies, kinds=kinds)
    if form.is_valid():
        try:
            app = _submit(request, form, actor=None)
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            request.session[SESSION_KEY] = app.tracking_code
            return redirect("service_public:submitted")
    return _no_store(render(request, "service/public_apply.html", {"form": form}, status=400))


@require_GET
def public_submitted(request: HttpRequest) -> HttpResponse:
    code = request.session.get(SESSION_KEY)
    app = selectors.application_by_code(code or "")
    if app is None:
        return redirect("service_public:track")
    status = selectors.public_status(app)
    return _no_store(
        render(
            request,
            "service/public_submitted.html",
            {"status": status, "display_code": abuse.display_code(app.tracking_code)},
        )
    )


@require_GET
def public_track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.GET.get("code"):
        if abuse.throttled(request, "track"):
            context["throttled"], status = True, 429
        else:
            app = selectors.application_by_code(request.GET["code"])
            if app is None:
                context["not_found"], status = True, 404
            else:
                context["status"] = selectors.public_status(app)
                context["display_code"] = abuse.display_code(app.tracking_code)
                context["notices"] = selectors.public_notices(app)
                context["code"] = app.tracking_code
    return _no_store(render(request, "service/public_track.html", context, status=status))


@require_GET
def public_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """A notice of the application, for whoever holds the tracking code (given again as ?code=);
    the first download is recorded as delivery online."""
    if abuse.throttled(request, "track"):
        return _refused(request, _("Too many look-ups from your address; please try again in a minute."), 429)
    app = selectors.application_by_code(request.GET.get("code", ""))
    document = next((d for d in selectors.public_notices(app) if d.pk == pk), None) if app else None
    if app is None or document is None:
        raise Http404
    services.notice_downloaded(application=app, document=document)
    response = HttpResponse(
        document_services.document_pdf(actor=None, document=document), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="notice-{document.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return _no_store(response)


@require_GET
def public_refusals(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    page, query = _paginate(request, selectors.public_refusals(q=q))
    rows = [
        {
            "a": app,
            "applicant": selectors.public_applicant(app),
            "project": selectors.public_application_text(app, app.project),
            "reason": selectors.public_application_text(app, app.decision_reason),
        }
        for app in page.object_list
    ]
    return render(
        request, "service/public_refusals.html", {"page": page, "rows": rows, "q": q, "query": query}
    )


@require_GET
def public_licences(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    page, query = _paginate(request, selectors.public_licences(q=q))
    rows = [(lic, selectors.public_holder(lic)) for lic in page.object_list]
    return render(
        request, "service/public_licences.html", {"page": page, "rows": rows, "q": q, "query": query}
    )


@require_GET
def public_draws(request: HttpRequest) -> HttpResponse:
    page, query = _paginate(request, selectors.public_draws())
    return render(request, "service/public_draws.html", {"page": page, "query": query})


@require_GET
def public_draw(request: HttpRequest, pk: int) -> HttpResponse:
    draw = selectors.public_draws().filter(pk=pk).first()
    if draw is None:
        raise Http404
    return render(request, "service/public_draw.html", {"draw": draw, **_draw_rows(draw, public=True)})


def _draw_rows(draw: Any, *, public: bool) -> dict[str, Any]:
    licences = licences_of([p["licence"] for p in draw.picks])
    officers = {
        o.pk: o for o in selectors.agency_officers(agency_id=draw.agency_id).filter(pk__in=draw.officer_pool)
    }
    inspections = {i.licence_id: i for i in draw.inspections.all()}
    rows = []
    for pick in draw.picks:
        lic = licences.get(pick["licence"])
        inspection = inspections.get(pick["licence"])
        findings = inspection.findings if inspection and inspection.done_on else ""
        rows.append(
            {
                "licence": lic,
                "findings": selectors.public_text(lic, findings) if public and lic and findings else findings,
                "holder": (selectors.public_holder(lic) if public else lic.holder_name) if lic else "",
                "officers": [officers[o].name if o in officers else str(o) for o in pick["officers"]],
                "inspection": inspection,
            }
        )
    return {"rows": rows, "reproduces": services.draw_reproduces(draw)}


# --- officers: applications -----------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = ApplicationFilter(request.GET or None)
    qs = selectors.visible_applications(request.user)
    if form.is_valid():
        cd = form.cleaned_data
        if cd["status"]:
            qs = qs.filter(status=cd["status"])
        if cd["mine"]:
            officer = officer_for(request.user)
            qs = qs.filter(owner_id=officer.pk if officer else 0)
        if cd["q"]:
            code = abuse.normalise_code(cd["q"])
            text = Q(applicant_name__contains=cd["q"]) | Q(project__contains=cd["q"])
            qs = qs.filter(text | Q(tracking_code=code)) if code else qs.filter(text)
    page, query = _paginate(request, qs.order_by("-received_on", "-pk"))
    overdue = selectors.overdue_applications(request.user).count()
    return render(
        request, "service/index.html", {"form": form, "page": page, "query": query, "overdue": overdue}
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest) -> HttpResponse:
    officer = officer_for(request.user)
    agencies = [(officer.agency_id, officer.agency.name)] if officer else []
    form = ApplicationForm(request.POST or None, request.FILES or None, agencies=agencies, kinds=_kinds())
    if request.method == "POST" and form.is_valid():
        try:
            app = _submit(request, form, actor=request.user)
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Application registered; tracking code %(code)s.")
                % {"code": abuse.display_code(app.tracking_code)},
            )
            return redirect("service:application", pk=app.pk)
    return render(
        request,
        "service/application_new.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _get_app(request: HttpRequest, pk: int) -> Any:
    try:
        return selectors.application_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


APP_ACTIONS = (
    "take",
    "handover",
    "correction",
    "accept",
    "reject",
    "pause",
    "resume",
    "extend",
    "grant",
    "refuse",
    "issue",
    "hearing_notify",
    "hearing_request",
    "hearing_waive",
    "hearing_schedule",
    "hearing_record",
    "delivery",
)


def _hearing(app: Any, post: Any) -> Any:
    pk = str(post.get("hearing", ""))
    hearing = app.hearings.filter(pk=int(pk) if pk.isdigit() else 0).first()
    if hearing is None:
        raise NotFound(_("No such hearing on this application."), code="hearing_not_found")
    return hearing


def _act(request: HttpRequest, app: Any, action: str) -> None:
    user, post = request.user, request.POST
    if action == "take":
        services.application_take(actor=user, application=app)
    elif action == "handover":
        services.application_handover(
            actor=user, application=app, officer_id=post.get("officer"), note=post.get("note", "")
        )
    elif action == "correction":
        services.application_request_correction(
            actor=user, application=app, missing=post.get("missing", "").splitlines()
        )
    elif action == "accept":
        services.application_accept(actor=user, application=app)
    elif action == "reject":
        services.application_reject(actor=user, application=app, reason=post.get("reason", ""))
    elif action == "pause":
        services.application_pause(actor=user, application=app, reason=post.get("reason", ""))
    elif action == "resume":
        services.application_resume(actor=user, application=app)
    elif action == "extend":
        services.application_extend(actor=user, application=app, reason=post.get("reason", ""))
    elif action == "grant":
        terms = {
            "scope": post.get("scope", ""),
            "location": post.get("location", ""),
            "conditions": post.get("conditions", ""),
            "risk_level": post.get("risk_level", ""),
            "valid_from": _date(post.get("valid_from")),
            "valid_until": _date(post.get("valid_until")),
            "return_date": _date(post.get("return_date")),
        }
        services.application_decide(actor=user, application=app, grant=True, terms=terms)
    elif action == "refuse":
        services.application_decide(actor=user, application=app, grant=False, reason=post.get("reason", ""))
    elif action == "issue":
        services.application_issue(
            actor=user, application=app, supervision_number=post.get("supervision_number", "")
        )
    elif action == "hearing_notify":
        services.hearing_notify_right(actor=user, application=app, reason=post.get("hearing_reason", ""))
    elif action == "hearing_request":
        services.hearing_request(
            actor=user,
            hearing=_hearing(app, post),
            requested_by=post.get("requested_by", ""),
            on=_date(post.get("requested_on")),
        )
    elif action == "hearing_waive":
        services.hearing_waive(actor=user, hearing=_hearing(app, post), note=post.get("note", ""))
    elif action == "hearing_schedule":
        services.hearing_schedule(
            actor=user,
            hearing=_hearing(app, post),
            hearing_on=_date(post.get("hearing_on")),
            hearing_time=post.get("hearing_time", ""),
            place=post.get("place", ""),
            presiding=post.get("presiding", ""),
            public=post.get("public") == "on",
        )
    elif action == "hearing_record":
        services.hearing_record(
            actor=user,
            hearing=_hearing(app, post),
            record=post.get("record", ""),
            attendees=post.get("attendees", ""),
            held_on=_date(post.get("held_on")),
        )
    elif action == "delivery":
        _delivery(request, app)


def _delivery(request: HttpRequest, subject: Any) -> None:
    post = request.POST
    services.notice_delivery_record(
        actor=request.user,
        subject=subject,
        document_id=post.get("document"),
        method=post.get("method", ""),
        delivered_on=_date(post.get("delivered_on")),
        recipient=post.get("recipient", ""),
        note=post.get("note", ""),
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = _get_app(request, pk)
    error: DomainError | None = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in APP_ACTIONS:
            error, status = DomainError(_("Unknown action."), code="unknown_action"), 400
        else:
            try:
                _act(request, app, action)
            except DomainPermissionDenied as exc:
                error, status = exc, 403
            except DomainError as exc:
                error, status = exc, 400 if exc.status < 500 else exc.status
            else:
                messages.success(request, _("Done."))
                return redirect("service:application", pk=app.pk)
            app = _get_app(request, pk)
    today = timezone.localdate()
    context = {
        "a": app,
        "code": abuse.display_code(app.tracking_code),
        "error": error,
        "S": AppStatus,
        "may": {
            verb: policies.can(request.user, verb, app) for verb in ("take", "handle", "handover", "extend")
        },
        "deadlines": selectors.subject_deadlines(app),
        "handovers": app.handovers.select_related("from_officer", "to_officer"),
        "attachments": app.attachments.all(),
        "documents": document_selectors.documents_for_subject(
            actor=request.user, subject_type="service.application", subject_id=app.pk
        ),
        "officers": selectors.agency_officers(agency_id=app.agency_id),
        "risk_levels": RiskLevel.choices,
        "posted": request.POST if request.method == "POST" else {},
        "default_from": today.isoformat(),
        "default_until": (today + datetime.timedelta(days=30 * (app.kind.validity_months or 12))).isoformat(),
        "licence": getattr(app, "licence", None) if app.status == AppStatus.ISSUED else None,
        "hearings": app.hearings.order_by("pk"),
        "hearing_open": app.hearings.filter(status__in=OPEN_HEARING).exists(),
        "H": HearingStatus,
        "deliveries": selectors.deliveries_for(app),
        "delivery_methods": [(m.value, m.label) for m in DeliveryMethod if m in OFFICER_METHODS],
        "today": today.isoformat(),
    }
    return render(request, "service/application_detail.html", context, status=status)


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int, att: int) -> FileResponse:
    app = _get_app(request, pk)
    item = app.attachments.select_related("file").filter(pk=att).first()
    if item is None:
        raise Http404
    response = FileResponse(
        file_open(item.file), content_type=item.content_type, as_attachment=True, filename=item.filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    page, query = _paginate(request, selectors.overdue_applications(request.user))
    return render(request, "service/overdue.html", {"page": page, "query": query})


# --- officers: licences, inspections, patrols, draws ------------------------------------------------


@login_required
@require_GET
def licence_list(request: HttpRequest) -> HttpResponse:
    form = LicenceFilter(request.GET or None)
    qs = selectors.visible_licences(request.user)
    if form.is_valid():
        cd = form.cleaned_data
        if cd["status"]:
            qs = qs.filter(status=cd["status"])
        if cd["risk"]:
            qs = qs.filter(risk_level=cd["risk"])
        if cd["q"]:
            qs = qs.filter(
                Q(number__contains=cd["q"]) | Q(holder_name__contains=cd["q"]) | Q(scope__contains=cd["q"])
            )
    page, query = _paginate(request, qs.order_by("-issued_on", "-pk"))
    return render(request, "service/licence_list.html", {"form": form, "page": page, "query": query})


@login_required
@require_http_methods(["GET", "POST"])
def licence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        licence = selectors.licence_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    error: DomainError | None = None
    if request.method == "POST":
        action = request.POST.get("action", "risk")
        try:
            if action == "end":
                services.licence_end(
                    actor=request.user,
                    licence=licence,
                    how=request.POST.get("how", ""),
                    reason=request.POST.get("reason", ""),
                    legal_basis=request.POST.get("legal_basis", ""),
                )
            elif action == "delivery":
                _delivery(request, licence)
            else:
                services.licence_set_risk(
                    actor=request.user, licence=licence, risk_level=request.POST.get("risk_level", "")
                )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("Done."))
            return redirect("service:licence", pk=licence.pk)
    context = {
        "l": licence,
        "error": error,
        "may_end": policies.can(request.user, "revoke", licence),
        "endings": ENDING_CHOICES,
        "documents": services.subject_documents(licence),
        "deliveries": selectors.deliveries_for(licence),
        "delivery_methods": [(m.value, m.label) for m in DeliveryMethod if m in OFFICER_METHODS],
        "today": timezone.localdate().isoformat(),
        "posted": request.POST if request.method == "POST" else {},
        "deadlines": selectors.subject_deadlines(licence),
        "inspections": licence.inspections.prefetch_related("officers").order_by("-due_on"),
        "renewals": licence.renewals.all(),
        "risk_levels": RiskLevel.choices,
    }
    return render(request, "service/licence_detail.html", context, status=400 if error else 200)


@login_required
@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "due")
    qs = (
        selectors.due_inspections(request.user)
        if show == "due"
        else selectors.visible_inspections(request.user).order_by("-due_on", "-pk")
    )
    page, query = _paginate(request, qs)
    return render(request, "service/inspection_list.html", {"page": page, "query": query, "show": show})


@login_required
@require_http_methods(["GET", "POST"])
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.visible_inspections(request.user).filter(pk=pk).first()
    if inspection is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "lead":
                services.inspection_to_lead(
                    actor=request.user, inspection=inspection, title=request.POST.get("title", "")
                )
            else:
                services.inspection_record(
                    actor=request.user,
                    inspection=inspection,
                    officer_ids=request.POST.getlist("officers"),
                    findings=request.POST.get("findings", ""),
                    violation=request.POST.get("violation") == "on",
                    on=_date(request.POST.get("on")) or timezone.localdate(),
                )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("Done."))
            return redirect("service:inspection", pk=inspection.pk)
    context = {
        "i": inspection,
        "error": error,
        "officers": selectors.certified_officers(
            agency=inspection.licence.agency,
            field_code=inspection.licence.kind.field_code,
            on=timezone.localdate(),
        ),
        "chosen": [o.pk for o in inspection.officers.all()],
        "posted": request.POST if request.method == "POST" else {},
        "today": timezone.localdate().isoformat(),
    }
    return render(request, "service/inspection_detail.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def patrol_list(request: HttpRequest) -> HttpResponse:
    officer = officer_for(request.user)
    error = None
    if request.method == "POST":
        try:
            if officer is None:
                raise DomainPermissionDenied(_("Only officers of the agency may handle licence matters."))
            pk = request.POST.get("patrol")
            if pk:
                patrol = (
                    selectors.visible_patrols(request.user).filter(pk=int(pk) if pk.isdigit() else 0).first()
                )
                if patrol is None:
                    raise Http404
                services.patrol_to_lead(actor=request.user, patrol=patrol)
            else:
                services.patrol_record(
                    actor=request.user,
                    agency=officer.agency,
                    on=_date(request.POST.get("on")) or timezone.localdate(),
                    route=request.POST.get("route", ""),
                    officer_ids=request.POST.getlist("officers"),
                    findings=request.POST.get("findings", ""),
                    violation=request.POST.get("violation") == "on",
                    field_code=request.POST.get("field_code") or "land",
                )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("Done."))
            return redirect("service:patrols")
    page, query = _paginate(request, selectors.visible_patrols(request.user).order_by("-on", "-pk"))
    context = {
        "page": page,
        "query": query,
        "error": error,
        "officers": selectors.agency_officers(agency_id=officer.agency_id) if officer else [],
        "posted": request.POST if request.method == "POST" else {},
        "chosen": [int(x) for x in request.POST.getlist("officers") if x.isdigit()]
        if request.method == "POST"
        else [],
        "today": timezone.localdate().isoformat(),
    }
    return render(request, "service/patrol_list.html", context, status=400 if error else 200)


FIELDS = (("land", "土地管理"), ("mineral", "矿产资源"), ("planning", "城乡规划"))


@login_required
@require_http_methods(["GET", "POST"])
def draw_list(request: HttpRequest) -> HttpResponse:
    officer = officer_for(request.user)
    error = None
    if request.method == "POST":
        try:
            if officer is None:
                raise DomainPermissionDenied(_("Only officers of the agency may handle licence matters."))
            n = request.POST.get("n", "")
            draw = services.draw_make(
                actor=request.user,
                agency=officer.agency,
                title=request.POST.get("title", ""),
                field_code=request.POST.get("field_code", ""),
                n=int(n) if n.isdigit() else 0,
                seed=request.POST.get("seed", ""),
            )
        except DomainError as exc:
            error = exc
        else:
            return redirect("service:draw", pk=draw.pk)
    page, query = _paginate(request, selectors.visible_draws(request.user).order_by("-drawn_on", "-pk"))
    context = {
        "page": page,
        "query": query,
        "error": error,
        "fields": FIELDS,
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "service/draw_list.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draw = selectors.visible_draws(request.user).filter(pk=pk).first()
    if draw is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            services.draw_publish(actor=request.user, draw=draw)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("Done."))
            return redirect("service:draw", pk=draw.pk)
    return render(
        request,
        "service/draw_detail.html",
        {
            "draw": draw,
            "error": error,
            **_draw_rows(draw, public=False),
            "public_url": reverse("service_public:draw", args=[draw.pk]),
        },
        status=400 if error else 200,
    )
