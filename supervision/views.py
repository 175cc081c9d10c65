"""Officer screens of supervision: dashboard (ECharts), deadline watch and 督办, case-file review,
assessment and ranking, responsibility targets, consistency of discretion; XLSX exports."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.forms import place_domain_error
from org import selectors as org_selectors
from supervision import checks, forms, metrics, policies, selectors, services
from supervision.models import Indicator, OrderKind, ScoringSheet

PAGE_SIZE = 25


def _require_reader(request: HttpRequest) -> None:
    reason = policies.reason_refused(request.user, "view")
    if reason:  # the 403 handler records the denial in the ledger (core.denials)
        raise PermissionDenied(reason)


def _period(request: HttpRequest) -> tuple[forms.PeriodForm, selectors.Period]:
    form = forms.PeriodForm(request.GET or None)
    start, end = form.period()
    return form, selectors.Period(start, end)


def _page(request: HttpRequest, items: Any) -> Any:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _query(request: HttpRequest) -> str:
    return urlencode([(k, str(v)) for k, v in request.GET.items() if k != "page" and v])


def _agency_choices(actor: Any) -> list[tuple[int, str]]:
    return list(
        org_selectors.visible_agencies(None)
        .filter(pk__in=selectors.scope_ids(actor))
        .order_by("path")
        .values_list("pk", "name")
    )


# --- dashboard ---------------------------------------------------------------------------------


def _chart_payload(chart: selectors.Chart, period: selectors.Period) -> dict[str, Any]:
    q = urlencode({"start": period.start.isoformat(), "end": period.end.isoformat()})
    links = [reverse("supervision:drill", args=[chart.key]) + f"?key={r['key']}&{q}" for r in chart.rows]
    return {
        "key": chart.key,
        "title": chart.title,
        "kind": chart.kind,
        "labels": [str(r["label"]) for r in chart.rows],
        "values": [float(r["value"]) for r in chart.rows],
        "values2": [float(r.get("value2", 0)) for r in chart.rows] if chart.series else [],
        "series": [str(s) for s in chart.series],
        "links": links,
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The heads' and supervisors' dashboard."""
    _require_reader(request)
    form, period = _period(request)
    charts = [fn(request.user, period) for fn in selectors.CHARTS.values()]
    payload = [_chart_payload(c, period) for c in charts]
    q = urlencode({"start": period.start.isoformat(), "end": period.end.isoformat()})
    rows = [
        {"chart": c, "data": p, "rows": list(zip(c.rows, p["links"], strict=True))}
        for c, p in zip(charts, payload, strict=True)
    ]
    context = {
        "form": form,
        "period": period,
        "charts": rows,
        "payload": payload,
        "query": q,
        "ratios": selectors.reviewer_ratios(request.user),
        "progress": selectors.target_progress(
            list(selectors.targets_visible(actor=request.user).filter(period_end__gte=period.start)[:20])
        ),
        "watch_count": selectors.deadline_watch(actor=request.user).count(),
    }
    return render(request, "supervision/index.html", context)


@login_required
def drill(request: HttpRequest, chart: str) -> HttpResponse:
    """The records behind one number of a chart."""
    _require_reader(request)
    if chart not in selectors.CHARTS:
        raise Http404
    _form, period = _period(request)
    key = request.GET.get("key", "")
    if chart == "overdue":
        items: Any = selectors.drill_deadlines(request.user, key)
        template = "supervision/drill_deadlines.html"
    elif chart == "review":
        check = key.partition(":")[2]
        items = selectors.drill_autoreviews(request.user, check)
        template = "supervision/drill_reviews.html"
    elif chart == "ranking":
        return redirect("supervision:run_detail", pk=int(key.partition(":")[2] or 0))
    else:
        try:
            items = selectors.drill_cases(request.user, chart, key, period)
        except ValueError:
            items = None
        if items is None:
            raise Http404
        items = items.select_related("agency").order_by("-pk")
        template = "supervision/drill_cases.html"
    chart_obj = selectors.CHARTS[chart](request.user, period)
    label = next((str(r["label"]) for r in chart_obj.rows if r["key"] == key), key)
    return render(
        request,
        template,
        {
            "page": _page(request, items),
            "chart": chart_obj,
            "label": label,
            "query": _query(request),
            "case_ct": selectors.case_ct().pk,
        },
    )


@login_required
def export(request: HttpRequest, chart: str) -> HttpResponse:
    """One chart's figures as XLSX (openpyxl)."""
    from openpyxl import Workbook

    _require_reader(request)
    if chart not in selectors.CHARTS:
        raise Http404
    _form, period = _period(request)
    c = selectors.CHARTS[chart](request.user, period)
    wb = Workbook()
    ws = wb.active
    ws.title = chart
    ws.append([c.title])
    ws.append([_("Period"), period.start.isoformat(), period.end.isoformat()])
    ws.append([_("Item"), *(c.series or [_("Value")])])
    for r in c.rows:
        values = [r["value"], r.get("value2")] if c.series else [r["value"]]
        ws.append([str(r["label"]), *[float(v) if isinstance(v, Decimal) else v for v in values]])
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(
        buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="supervision-{chart}-{period.end}.xlsx"'
    return response


# --- deadline watch and 督办 -------------------------------------------------------------------


@login_required
def watch(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    form = forms.WatchForm(
        request.GET or None,
        agencies=_agency_choices(request.user),
        kinds=selectors.watch_kinds(actor=request.user),
    )
    filters = selectors.WatchFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.WatchFilters(
            agency_id=d.get("agency"),
            status=d.get("status") or "",
            kind=d.get("kind") or "",
            due_to=d.get("due_to"),
        )
    page = _page(request, selectors.deadline_watch(actor=request.user, filters=filters))
    case_ct = selectors.case_ct().pk
    return render(
        request,
        "supervision/watch.html",
        {
            "form": form,
            "page": page,
            "query": _query(request),
            "case_ct": case_ct,
        },
    )


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.visible_orders(request.user).order_by("-pk")
    status = request.GET.get("status", "")
    if status:
        qs = qs.filter(status=status)
    return render(
        request,
        "supervision/order_list.html",
        {"page": _page(request, qs), "query": _query(request), "status": status},
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_new(request: HttpRequest) -> HttpResponse:
    """Issue a 督办 on a case (?case=) or on a deadline (?deadline=)."""
    deadline = None
    case = None
    if request.GET.get("deadline", "").isdigit():
        deadline = selectors.deadline_get(actor=request.user, pk=int(request.GET["deadline"]))
        if deadline is None:
            raise Http404
        agency_id = deadline.agency_id
    elif request.GET.get("case", "").isdigit():
        case = selectors.scoped_cases(request.user).filter(pk=int(request.GET["case"])).first()
        if case is None:
            raise Http404
        agency_id = case.agency_id
    else:
        raise Http404
    reason = policies.reason_refused(request.user, "issue_order", agency_id)
    if reason:
        raise PermissionDenied(reason)
    officers = [
        (o.pk, f"{o.name}（{o.department.name if o.department_id else '—'}）")
        for o in selectors.addressees(agency_id=agency_id)
    ]
    initial: dict[str, Any] = {}
    if deadline is not None and deadline.responsible_id:
        officer = org_selectors.officer_for(deadline.responsible)
        if officer is not None:
            initial["addressee"] = officer.pk
    form = forms.OrderForm(request.POST or None, officers=officers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_issue(
                actor=request.user,
                agency_id=agency_id,
                addressee_id=form.cleaned_data["addressee"],
                requirement=form.cleaned_data["requirement"],
                workdays=form.cleaned_data["workdays"],
                case_id=case.pk if case is not None else None,
                deadline_id=deadline.pk if deadline is not None else None,
            )
        except DomainError as exc:
            place_domain_error(form, exc)
        else:
            messages.success(request, _("Supervision order %(number)s issued.") % {"number": order.number})
            return redirect("supervision:order_detail", pk=order.pk)
    return render(request, "supervision/order_new.html", {"form": form, "deadline": deadline, "case": case})


@login_required
@require_http_methods(["GET", "POST"])
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(actor=request.user, pk=pk)
    if order is None:
        raise Http404
    respond_form = forms.RespondForm(request.POST if request.POST.get("act") == "respond" else None)
    conclude_form = forms.ConcludeForm(request.POST if request.POST.get("act") == "conclude" else None)
    if request.method == "POST":
        try:
            if request.POST.get("act") == "respond" and respond_form.is_valid():
                services.order_respond(
                    actor=request.user, order=order, response=respond_form.cleaned_data["response"]
                )
                messages.success(request, _("Response recorded."))
                return redirect("supervision:order_detail", pk=pk)
            if request.POST.get("act") == "conclude" and conclude_form.is_valid():
                services.order_conclude(
                    actor=request.user,
                    order=order,
                    accepted=conclude_form.cleaned_data["accepted"],
                    conclusion=conclude_form.cleaned_data["conclusion"],
                )
                messages.success(request, _("Conclusion recorded."))
                return redirect("supervision:order_detail", pk=pk)
        except DomainError as exc:
            place_domain_error(respond_form if request.POST.get("act") == "respond" else conclude_form, exc)
    return render(
        request,
        "supervision/order_detail.html",
        {
            "order": order,
            "deadline": selectors.order_deadline(order),
            "history": selectors.order_history(order),
            "respond_form": respond_form,
            "conclude_form": conclude_form,
            "may_respond": order.status in ("issued", "rejected")
            and policies.can(request.user, "respond", order),
            "may_conclude": order.status == "responded" and policies.can(request.user, "conclude", order),
            "autoreview": selectors.autoreview_for_case(actor=request.user, case_id=order.case_id)
            if order.case_id
            else None,
        },
    )


@login_required
def case_duban(request: HttpRequest, case_id: int) -> HttpResponse:
    """督办 history of one case: every order in any state, with its responses and conclusions.
    Readers of the case's agency see all of them, the case's officers those addressed to them."""
    history = selectors.case_duban(actor=request.user, case_id=case_id)
    if history is None:
        raise Http404
    case = selectors.case_readable(actor=request.user, case_id=case_id)
    may_issue = policies.can(request.user, "issue_order", case.agency_id)
    return render(
        request,
        "supervision/case_duban.html",
        {"case": case, "history": history, "may_issue": may_issue, "case_ct": selectors.case_ct().pk},
    )


# --- case-file review ------------------------------------------------------------------------------


def _labelled(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**f, "label": checks.check_label(f["check"])} for f in findings]


@login_required
def review(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    check = request.GET.get("check", "")
    if check:
        items: Any = selectors.drill_autoreviews(request.user, check)
    else:
        items = selectors.latest_autoreviews(actor=request.user).order_by("-case_id")
    officer_agency = org_selectors.actor_agency_id(request.user)
    return render(
        request,
        "supervision/review.html",
        {
            "page": _page(request, items),
            "query": _query(request),
            "check": check,
            "checks": checks.CHECKS,
            "by_check": selectors.failed_by_check(actor=request.user),
            "by_officer": selectors.score_results(actor=request.user, by="officer"),
            "by_department": selectors.score_results(actor=request.user, by="department"),
            "samples": selectors.samples_visible(actor=request.user)[:20],
            "may_sample": officer_agency is not None
            and policies.can(request.user, "draw_sample", officer_agency),
            "sheet": ScoringSheet.objects.filter(active=True).first(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sheet_edit(request: HttpRequest) -> HttpResponse:
    """The scoring sheet (评查标准): the active version, a form that saves a new one, the history."""
    _require_reader(request)
    sheet = ScoringSheet.objects.filter(active=True).first()
    may_edit = policies.can(request.user, "edit_config")
    initial = (
        {"name": sheet.name, "total": sheet.total, "items": forms.sheet_text(sheet.items)} if sheet else {}
    )
    form = forms.SheetForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(policies.reason_refused(request.user, "edit_config"))
        if form.is_valid():
            try:
                services.sheet_save(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    total=form.cleaned_data["total"],
                    items=form.cleaned_data["items"],
                )
            except DomainError as exc:
                place_domain_error(form, exc)
            else:
                messages.success(request, _("Scoring sheet saved as a new version."))
                return redirect("supervision:sheet")
    return render(
        request,
        "supervision/sheet.html",
        {
            "sheet": sheet,
            "form": form,
            "may_edit": may_edit,
            "versions": ScoringSheet.objects.select_related("created_by").order_by("-pk")[:50],
        },
    )


@login_required
@require_POST
def review_run(request: HttpRequest) -> HttpResponse:
    agency_id = org_selectors.actor_agency_id(request.user)
    if agency_id is None or not policies.can(request.user, "draw_sample", agency_id):
        raise PermissionDenied(_("The automatic review is run by the agency's legal reviewers and heads."))
    n = services.autoreview_run(actor=request.user, agency_id=agency_id)
    messages.success(request, _("%(n)d closed cases checked.") % {"n": n})
    return redirect("supervision:review")


@login_required
@require_http_methods(["GET", "POST"])
def sample_new(request: HttpRequest) -> HttpResponse:
    agency_id = org_selectors.actor_agency_id(request.user)
    reason = policies.reason_refused(request.user, "draw_sample", agency_id or 0)
    if reason:
        raise PermissionDenied(reason)
    form = forms.SampleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            sample = services.sample_draw(
                actor=request.user,
                agency_id=agency_id or 0,
                closed_from=d["closed_from"],
                closed_to=d["closed_to"],
                size=d["size"],
                seed=d.get("seed"),
                title=d.get("title") or "",
            )
        except DomainError as exc:
            place_domain_error(form, exc)
        else:
            return redirect("supervision:sample_detail", pk=sample.pk)
    return render(request, "supervision/sample_new.html", {"form": form})


@login_required
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    sample = selectors.samples_visible(actor=request.user).filter(pk=pk).first()
    if sample is None:
        raise Http404
    scores = {s.case_id: s for s in sample.scores.all()}
    numbers = dict(
        selectors.scoped_cases(request.user).filter(pk__in=sample.case_ids).values_list("pk", "case_number")
    )
    rows = [
        {"case_id": cid, "number": numbers.get(cid, cid), "score": scores.get(cid)} for cid in sample.case_ids
    ]
    return render(request, "supervision/sample_detail.html", {"sample": sample, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def score_case(request: HttpRequest, pk: int, case_id: int) -> HttpResponse:
    """Score one sampled case on the sheet, with the automatic findings beside it; or return the
    case file for correction with a deadline."""
    _require_reader(request)
    sample = selectors.samples_visible(actor=request.user).filter(pk=pk).first()
    if sample is None or case_id not in sample.case_ids:
        raise Http404
    case = selectors.scoped_cases(request.user).filter(pk=case_id).first()
    existing = sample.scores.filter(case_id=case_id).first()
    errors: list[str] = []
    correction_form = forms.CorrectionForm(request.POST if request.POST.get("act") == "correct" else None)
    if request.method == "POST" and request.POST.get("act") == "score":
        chosen = [
            {
                "item": v.partition(":")[0],
                "deduction": v.partition(":")[2],
                "note": request.POST.get(f"note-{v}", ""),
            }
            for v in request.POST.getlist("deduction")
        ]
        try:
            services.score_record(
                actor=request.user,
                sample=sample,
                case_id=case_id,
                deductions=chosen,
                comment=request.POST.get("comment", ""),
            )
        except DomainError as exc:
            errors.append(exc.message)
        else:
            messages.success(request, _("Score recorded."))
            return redirect("supervision:sample_detail", pk=pk)
    if request.method == "POST" and request.POST.get("act") == "correct" and correction_form.is_valid():
        lead = selectors.lead_officer(case_id=case_id)
        try:
            if lead is None:
                raise DomainError(_("The case has no lead officer to return it to."), code="no_lead_officer")
            order = services.order_issue(
                actor=request.user,
                agency_id=sample.agency_id,
                addressee_id=lead.pk,
                requirement=correction_form.cleaned_data["requirement"],
                workdays=correction_form.cleaned_data["workdays"],
                case_id=case_id,
                kind=OrderKind.CORRECTION,
            )
        except DomainError as exc:
            place_domain_error(correction_form, exc)
        else:
            messages.success(request, _("Case file returned for correction (%(n)s).") % {"n": order.number})
            return redirect("supervision:order_detail", pk=order.pk)
    auto = selectors.autoreview_for_case(actor=request.user, case_id=case_id)
    return render(
        request,
        "supervision/score.html",
        {
            "sample": sample,
            "case": case,
            "case_id": case_id,
            "existing": existing,
            "findings": _labelled(auto.findings) if auto else [],
            "errors": errors,
            "chosen": set(request.POST.getlist("deduction")),
            "comment": request.POST.get("comment", ""),
            "correction_form": correction_form,
            "may_score": policies.can(request.user, "score", sample.agency_id),
            "orders": selectors.orders_for_case(actor=request.user, case_id=case_id),
        },
    )


# --- assessment ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    agency_id = org_selectors.actor_agency_id(request.user)
    indicator_form = forms.IndicatorForm(request.POST if request.POST.get("act") == "indicator" else None)
    today = datetime.date.today()
    run_form = forms.RunForm(
        request.POST if request.POST.get("act") == "run" else None,
        initial={"level": "department", "period_start": datetime.date(today.year, 1, 1), "period_end": today},
    )
    if request.method == "POST":
        try:
            if request.POST.get("act") == "indicator" and indicator_form.is_valid():
                d = indicator_form.cleaned_data
                services.indicator_save(
                    actor=request.user,
                    code=d["code"],
                    name=d["name"],
                    formula_text=d["formula"],
                    weight=d["weight"],
                    direction=d["direction"],
                    active=d["active"],
                )
                messages.success(request, _("Indicator saved."))
                return redirect("supervision:assessment")
            if request.POST.get("act") == "circular":
                on = services.circular_setting_set(
                    actor=request.user, enabled=request.POST.get("enabled") == "1"
                )
                messages.success(
                    request,
                    _("Assessment runs now issue the ranking as a circular (通报).")
                    if on
                    else _("Assessment runs no longer issue a circular (通报)."),
                )
                return redirect("supervision:assessment")
            if request.POST.get("act") == "run" and run_form.is_valid():
                d = run_form.cleaned_data
                run = services.assessment_run(
                    actor=request.user,
                    agency_id=agency_id or 0,
                    level=d["level"],
                    period_start=d["period_start"],
                    period_end=d["period_end"],
                )
                return redirect("supervision:run_detail", pk=run.pk)
        except DomainError as exc:
            place_domain_error(indicator_form if request.POST.get("act") == "indicator" else run_form, exc)
    return render(
        request,
        "supervision/assessment.html",
        {
            "indicators": Indicator.objects.order_by("-active", "code"),
            "metrics": metrics.METRICS.values(),
            "indicator_form": indicator_form,
            "run_form": run_form,
            "runs": selectors.runs_visible(actor=request.user)[:30],
            "may_edit": policies.can(request.user, "edit_config"),
            "may_run": agency_id is not None and policies.can(request.user, "run_assessment", agency_id),
            "circular": services.circular_enabled(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    run = selectors.runs_visible(actor=request.user).filter(pk=pk).first()
    if run is None:
        raise Http404
    results = list(run.results.order_by("rank"))
    consequences = {
        c.result_id: c for c in selectors.consequences_visible(actor=request.user).filter(result__run=run)
    }
    record_form = forms.RecordForm(request.POST or None)
    if request.method == "POST" and record_form.is_valid():
        consequence = consequences.get(int(request.POST.get("result", "0") or 0))
        if consequence is None:
            raise Http404
        try:
            services.consequence_record(
                actor=request.user, consequence=consequence, record=record_form.cleaned_data["record"]
            )
        except DomainError as exc:
            place_domain_error(record_form, exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect("supervision:run_detail", pk=pk)
    rows = [{"result": r, "consequence": consequences.get(r.pk)} for r in results]
    chart = {
        "key": "ranking",
        "title": _("Ranking"),
        "kind": "bar",
        "labels": [f"{r.rank}. {r.subject_name}" for r in results],
        "values": [float(r.score) for r in results],
        "values2": [],
        "series": [],
        "links": [],
    }
    return render(
        request,
        "supervision/run_detail.html",
        {
            "run": run,
            "rows": rows,
            "record_form": record_form,
            "payload": [chart],
            "may_record": policies.can(request.user, "record_consequence", run.agency_id),
        },
    )


# --- targets -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    agency_id = org_selectors.actor_agency_id(request.user) or 0
    subjects = [
        (f"d{pk}", name)
        for pk, name in selectors.assessment_subjects(agency_id=agency_id, level="department").items()
    ]
    subjects += [
        (f"o{pk}", name)
        for pk, name in selectors.assessment_subjects(agency_id=agency_id, level="officer").items()
    ]
    form = forms.TargetForm(
        request.POST or None,
        subjects=subjects,
        metrics=[(m.code, str(m.label)) for m in metrics.METRICS.values()],
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        subject = d["subject"]
        try:
            services.target_set(
                actor=request.user,
                agency_id=agency_id,
                metric=d["metric"],
                target=d["target"],
                period_start=d["period_start"],
                period_end=d["period_end"],
                department_id=int(subject[1:]) if subject.startswith("d") else None,
                officer_id=int(subject[1:]) if subject.startswith("o") else None,
                note=d.get("note") or "",
            )
        except DomainError as exc:
            place_domain_error(form, exc)
        else:
            messages.success(request, _("Target set."))
            return redirect("supervision:targets")
    rows = list(selectors.targets_visible(actor=request.user).order_by("-period_end", "pk")[:200])
    return render(
        request,
        "supervision/targets.html",
        {
            "form": form,
            "progress": selectors.target_progress(rows),
            "may_set": policies.can(request.user, "set_target", agency_id),
        },
    )


def home_targets_panel(request: HttpRequest) -> str:
    """Hook for core's home (settings.ZHIFA_HOME_PANELS): my and my department's targets, with
    progress computed from the records."""
    mine = selectors.my_targets(actor=request.user)
    if not mine:
        return ""
    return render_to_string(
        "supervision/includes/targets_panel.html", {"progress": selectors.target_progress(mine)}, request
    )


# --- consistency of discretion ------------------------------------------------------------------


@login_required
def consistency(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    form, period = _period(request)
    code = request.GET.get("violation", "")
    groups = selectors.consistency(actor=request.user, period=period, violation_code=code)
    sections = []
    payload = []
    for violation, points in sorted(groups.items()):
        sections.append(
            {
                "code": violation,
                "points": points,
                "flagged": [p for p in points if p.flags],
                "by_officer": selectors.consistency_by(points, "officer"),
                "by_department": selectors.consistency_by(points, "department"),
            }
        )
        payload.append(
            {
                "key": f"consistency-{violation}",
                "title": violation,
                "kind": "scatter",
                "normal": [[float(p.area), float(p.amount)] for p in points if p.area and not p.flags],
                "flagged": [[float(p.area), float(p.amount)] for p in points if p.area and p.flags],
                "series": [_("cases"), _("flagged")],
                "xname": _("area (m²)"),
                "yname": _("fine (yuan)"),
            }
        )
    return render(
        request,
        "supervision/consistency.html",
        {"form": form, "sections": sections, "payload": payload, "violation": code},
    )


def payload_json(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False)
