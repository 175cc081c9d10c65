"""Case screens: each view fetches through a selector, validates a form, calls ONE service.

A permission refusal is a 403 (recorded in the ledger by `policies.ensure`); a case outside the
user's agencies is a 404; any other refusal is shown on the page with its rule and article.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import policies, selectors, services
from cases.documents import active_case_officers
from cases.forms import (
    FACT_AMOUNTS,
    FACT_FLAGS,
    FACT_TEXTS,
    LAND_CLASSES,
    ROW_MAX,
    SQM_PER_MU,
    ActionForm,
    CaseFactsForm,
    CaseFilterForm,
    DeliveryScanForm,
    LeadForm,
    OfficerAssignForm,
    PartyForm,
    PaymentForm,
    RecusalApplyForm,
    RecusalDecideForm,
    RemedyForm,
    RemedyOutcomeForm,
    SummaryCaseForm,
    action_needs_data,
    add_action_violations,
    add_domain_error,
    add_violations,
)
from cases.memo import memo_scope
from cases.models import Case, PenaltyKind, Procedure, RecusalOutcome
from cases.services.summary import summary_case_record
from cases.services.transitions import workflow_for
from cases.services.ui_support import recusal_decide_and_reassign
from cases.workflow.flowchart import render_svg
from cases.workflow.summary import summary_facts
from core.errors import Conflict, DomainError, PermissionDenied
from org.roles import Role
from org.selectors import (
    enforcement_fields,
    is_unrestricted,
    officer_for,
    officers_certified,
    roles_of,
    visible_certificates,
    visible_officers,
)

PAGE_SIZE = 25
SUMMARY_FIELD = "land"  # the wizard's default field of enforcement (the service's default too)
LIST_CAP = 1000  # the list counts at most this many matches; narrower filters find the rest

EVENT_LABELS = {
    "create": gettext_lazy("lead registered"),
    "facts_updated": gettext_lazy("facts updated"),
    "party_added": gettext_lazy("party added"),
    "officer_assigned": gettext_lazy("officer assigned"),
    "recusal_applied": gettext_lazy("recusal applied for"),
    "recusal_decided": gettext_lazy("recusal decided"),
    "payment_record": gettext_lazy("payment recorded"),
    "remedy_record": gettext_lazy("reconsideration or litigation recorded"),
    "remedy_outcome": gettext_lazy("outcome of reconsideration or litigation recorded"),
}


def _case(request: HttpRequest, case_id: int) -> Case:
    try:
        return selectors.case_get(case_id=case_id, actor=request.user)
    except DomainError as exc:
        raise Http404 from exc


def _forbidden(exc: PermissionDenied) -> DjangoPermissionDenied:
    return DjangoPermissionDenied(exc.message)


def _filtered(request: HttpRequest, form: CaseFilterForm) -> QuerySet[Case]:
    if not form.is_valid():
        return selectors.visible_cases(request.user).none()
    cd = form.cleaned_data
    return selectors.cases_filtered(
        actor=request.user,
        q=cd["q"],
        status=cd["status"],
        procedure=cd["procedure"],
        mine=cd["mine"],
        overdue=cd["overdue"],
    )


# What a row of the case list shows (cases/case_list.html).
LIST_COLUMNS = (
    "case_number",
    "title",
    "status",
    "procedure",
    "registered_on",
    "lead__description",
    "lead__discovered_on",
)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """案件列表: filters (status, procedure, my cases only, overdue only) and search (case number,
    party name, title, description); at most LIST_CAP matches are paged."""
    form = CaseFilterForm(request.GET or None)
    qs = _filtered(request, form) if request.GET else selectors.cases_filtered(actor=request.user)
    qs = qs.only(*LIST_COLUMNS)  # not the facts and the other JSON columns: 13 decodes a row
    page = Paginator(qs[:LIST_CAP], PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    mine = selectors.mine_among(actor=request.user, case_ids=[c.pk for c in rows])
    for c in rows:
        c.mine = c.pk in mine  # type: ignore[attr-defined]
    page.object_list = rows
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "cap": LIST_CAP,
            "capped": page.paginator.count >= LIST_CAP,
        },
    )


TODO_PAGE_SIZE = 10


def _todo_context(request: HttpRequest) -> dict[str, Any]:
    """我的待办 for cases: my cases and what is due soon or overdue in them, each list paged."""
    user = request.user
    cases_page = Paginator(selectors.my_cases(actor=user), TODO_PAGE_SIZE).get_page(
        request.GET.get("cases_page")
    )
    due_page = Paginator(selectors.my_deadlines(actor=user), TODO_PAGE_SIZE).get_page(
        request.GET.get("due_page")
    )
    keep = request.GET.copy()
    for key in ("cases_page", "due_page"):
        keep.pop(key, None)
    due_query, cases_query = keep.copy(), keep.copy()
    due_query["cases_page"] = str(cases_page.number)
    cases_query["due_page"] = str(due_page.number)
    return {
        "cases_page": cases_page,
        "due_page": due_page,
        "cases_query": cases_query.urlencode(),
        "due_query": due_query.urlencode(),
        "due_soon_days": selectors.DUE_SOON_DAYS,
        "today": timezone.localdate(),
    }


def home_todo_panel(request: HttpRequest) -> str:
    """Hook for core's home (settings.ZHIFA_HOME_PANELS): the cases part of 我的待办, rendered here so
    that core never imports cases."""
    if officer_for(request.user) is None:
        return ""
    return render_to_string(
        "cases/includes/todo.html", {**_todo_context(request), "base_url": request.path}, request
    )


@login_required
def my_todo(request: HttpRequest) -> HttpResponse:
    """我的待办 (cases): the same panel on a page of its own, linked from the case list."""
    return render(request, "cases/todo.html", {**_todo_context(request), "base_url": request.path})


@login_required
def lead_new(request: HttpRequest) -> HttpResponse:
    """案源登记 → lead_register."""
    form = LeadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        officer = officer_for(request.user)
        try:
            if officer is None:
                raise PermissionDenied(_("Only officers of an agency may register its leads."))
            case = services.lead_register(actor=request.user, agency=officer.agency, **form.cleaned_data)
        except PermissionDenied as exc:
            raise _forbidden(exc) from exc
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Lead registered."))
            return redirect("cases:case_detail", case_id=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/lead_form.html", {"form": form}, status=status)


def _summary_fields(officer: Any) -> list[tuple[str, str]]:
    """The fields of enforcement the officer holds a current certificate for (行政处罚法 Art.42), as
    (code, name); all active fields when none (the guards then refuse with the article)."""
    if officer is None:
        return []
    today = timezone.localdate()
    active = {f.code: f.name for f in enforcement_fields(include_inactive=False)}
    held: dict[str, str] = {}
    for cert in visible_certificates(None).filter(officer=officer):
        if cert.is_current_on(today):
            for f in cert.fields.all():
                if f.code in active:
                    held[f.code] = f.name
    return sorted((held or active).items(), key=lambda item: (item[0] != SUMMARY_FIELD, item[0]))


def _co_officers(officer: Any, field_code: str) -> list[Any]:
    """The wizard's choice of second officer: the agency's other officers who may enforce in the
    field today (行政处罚法 Arts.42, 52), in one query; the guards check it again when deciding."""
    if officer is None or not field_code:
        return []
    return list(
        officers_certified(agency=officer.agency, field_code=field_code, on=timezone.localdate()).exclude(
            pk=officer.pk
        )
    )


@login_required
def summary_new(request: HttpRequest) -> HttpResponse:
    """简易程序 wizard → summary_case_record (one transaction: register, record, decide, deliver, pay).

    A refusal re-renders the form with everything that was typed: form errors (400), or the rules
    that refused (409), listed on top and next to the fields they concern, each with its article.
    """
    officer = officer_for(request.user)
    fields = _summary_fields(officer)
    codes = [code for code, _name in fields]
    chosen = request.POST.get("field_code") if request.method == "POST" else ""
    field_code = chosen if chosen in codes else (codes[0] if codes else SUMMARY_FIELD)
    form = SummaryCaseForm(
        request.POST or None,
        co_officers=_co_officers(officer, field_code),
        enforcement_fields=fields,
        initial={"field_code": field_code},
    )
    violations: list[dict[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            if officer is None:
                raise PermissionDenied(_("Only officers of the agency may decide on the spot."))
            case = summary_case_record(actor=request.user, agency=officer.agency, **form.data_for_service())
        except PermissionDenied as exc:
            raise _forbidden(exc) from exc
        except services.TransitionRefused as exc:
            violations = [v.as_dict() for v in exc.violations]
            add_violations(form, violations)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Summary-procedure case %(case)s recorded.") % {"case": case})
            return redirect("cases:case_detail", case_id=case.pk)
    status = 200 if request.method != "POST" else (409 if violations else 400)
    return render(request, "cases/summary_form.html", {"form": form, "violations": violations}, status=status)


@lru_cache(maxsize=8)
def _svg(workflow_name: str, language: str) -> str:
    from cases.services.transitions import WORKFLOWS

    workflow = next(w for w in WORKFLOWS.values() if w.name == workflow_name)
    return render_svg(workflow, language=language)


def _flowchart(case: Case) -> SafeString:
    """The procedure's SVG with the case's current state filled in amber."""
    svg = _svg(workflow_for(case).name, get_language() or "zh-hans")
    pattern = (
        rf'(<g class="state" data-state="{re.escape(case.status)}"><rect [^>]*?)fill="[^"]*" stroke="[^"]*"'
    )
    svg = re.sub(pattern, r'\1fill="#ffe39a" stroke="#b45309" stroke-width="3"', svg, count=1)
    return mark_safe(svg)  # drawn by our code from the declaration; its labels are escaped there


def _is_head(user: Any) -> bool:
    return is_unrestricted(user) or Role.HEAD in roles_of(user=user)


def _agency_officers(case: Case) -> Any:
    return visible_officers(None).filter(agency_id=case.agency_id, active=True)


def _events(case: Case) -> list[dict[str, Any]]:
    workflow = workflow_for(case)
    out = []
    for e in selectors.case_event_list(case):
        transition = workflow.transition(e.action)
        label = transition.label if transition is not None else EVENT_LABELS.get(e.action, e.action)
        moved = e.from_status and e.from_status != e.to_status
        at = timezone.localtime(e.at)
        out.append(
            {
                "event": e,
                "at_iso": at.isoformat(),  # the template's date filter, twice a row, cost more
                "at_text": at.strftime("%Y-%m-%d %H:%M"),
                "label": label,
                "to": workflow.state_label(e.to_status) if moved or e.action == "create" else "",
                "actor": (e.actor.get_full_name() or e.actor.get_username()) if e.actor else _("system"),
            }
        )
    return out


def _violations(actor: Any) -> list[tuple[str, str]]:
    """(code, name) of the discretion standards the actor's catalog offers, for the facts form."""
    from catalog import selectors as catalog_selectors

    seen: dict[str, str] = {}
    for code, name in catalog_selectors.standards_list(actor).values_list("code", "violation_name"):
        seen.setdefault(code, f"{code} {name}")
    return sorted(seen.items())


REVIEW_SCREENS = {
    "legal_review": ("review:submit", gettext_lazy("legal review (法制审核)")),
    "deliberation": ("review:deliberation", gettext_lazy("collective deliberation (集体讨论)")),
    "risk_assessment": ("review:risk_assessment", gettext_lazy("risk assessment (风险评估)")),
}
REVIEW_STATUS_LABELS = {
    "none": gettext_lazy("not started"),
    "pending": gettext_lazy("pending"),
    "passed": gettext_lazy("passed"),
    "returned": gettext_lazy("returned for correction"),
    "not_passed": gettext_lazy("not passed"),
    "concluded": gettext_lazy("concluded"),
    "approved": gettext_lazy("approved"),
}


def _review_steps(case: Case) -> list[dict[str, Any]]:
    from django.urls import NoReverseMatch, reverse

    steps = []
    for step in selectors.review_steps(case=case):
        name, label = REVIEW_SCREENS[step["kind"]]
        try:
            url = reverse(name, kwargs={"case_id": case.pk})
        except NoReverseMatch:
            url = ""
        steps.append(
            {
                **step,
                "label": label,
                "status_label": REVIEW_STATUS_LABELS.get(step["status"], step["status"]),
                "url": url if step["required"] and not step["done"] else "",
            }
        )
    return steps


def _area_mu(case: Case) -> Decimal | None:
    try:
        area = Decimal(str(case.facts.get("area_m2") or ""))
    except ArithmeticError:
        return None
    return (area / SQM_PER_MU).quantize(Decimal("0.01")) if area.is_finite() else None


def _fact_rows(case: Case) -> list[tuple[Any, Any]]:
    """The recorded facts with their labels (area is shown apart, with 亩)."""
    labels: dict[str, Any] = dict(FACT_FLAGS + FACT_AMOUNTS + FACT_TEXTS)
    classes = dict(LAND_CLASSES)
    rows: list[tuple[Any, Any]] = []
    for key, value in (case.facts or {}).items():
        if key in ("area_m2", "summary") or value in ("", None, False) or isinstance(value, dict):
            continue
        if key == "land_class":
            rows.append((_("Land class"), classes.get(str(value), value)))
        elif value is True:
            rows.append((labels.get(key, key), _("yes")))
        else:
            rows.append((labels.get(key, key), value))
    return rows


def _summary(case: Case) -> dict[str, Any] | None:
    """What was recorded on the spot (case.facts["summary"], cases/workflow/summary.py), for the page."""
    if case.procedure != Procedure.SUMMARY:
        return None
    facts = summary_facts(case)
    raw = facts.get("delivery")
    delivery: dict[str, Any] = raw if isinstance(raw, dict) else {}
    return {
        **facts,
        "delivered": bool(delivery),
        "party_signed": bool(delivery.get("party_signed")),
        "refusal_note": delivery.get("refusal_note") or "",
        "filed_on": _iso(facts.get("filed_on")),
        "filing_due": _iso(facts.get("filing_due")),
        "recorded_on": _iso(facts.get("recorded_on")),
    }


def _deliveries(
    request: HttpRequest, case: Case, may_act: bool, bound: tuple[int, Any]
) -> list[dict[str, Any]]:
    """Each delivery with its 送达回证 and the signed scan, or a form to link the scan."""
    from records.selectors import case_files

    deliveries = selectors.case_delivery_list(case)
    offered: list[tuple[int, str]] | None = None
    out = []
    for d in deliveries:
        form = None
        if may_act and not d.receipt_file_id:
            if offered is None:
                offered = [(f.pk, f.filename) for f in case_files(actor=request.user, case=case)]
            if bound[0] == d.pk:
                form = bound[1]
                form.fields["file_id"].widget.choices = [("", "—"), *offered]
            else:
                form = DeliveryScanForm(prefix=f"s{d.pk}", files_offered=offered)
        out.append({"delivery": d, "scan_form": form})
    return out


def _iso(raw: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def _detail(request: HttpRequest, case: Case, *, status: int = 200, **extra: Any) -> HttpResponse:
    """The case page; `extra` may carry bound forms with errors, or a conflict/refusal notice.
    Read-only, so the lookups its guards and panels share are asked once (cases.memo)."""
    with memo_scope():
        return _detail_page(request, case, status=status, **extra)


def _detail_page(request: HttpRequest, case: Case, *, status: int = 200, **extra: Any) -> HttpResponse:
    from cases.services.publication import case_publication

    selectors.prefetch_case_page(case)  # the per-case lists in one round trip
    current = services.available_actions(case=case, actor=request.user, current_only=True)
    may_act = policies.can(request.user, "act", case)
    head = may_act and _is_head(request.user)
    officers = active_case_officers(case)  # the guards asked already (memo)
    has_fine = PenaltyKind.FINE in (case.decided_kinds or [])
    remedies = selectors.case_remedy_list(case)
    recusals = selectors.case_recusal_list(case)
    outcome_bound: tuple[int, Any] = extra.pop("outcome_bound", (0, None))
    decide_bound: tuple[int, Any] = extra.pop("decide_bound", (0, None))
    scan_bound: tuple[int, Any] = extra.pop("scan_bound", (0, None))
    agency_officers = list(_agency_officers(case)) if head else []
    context: dict[str, Any] = {
        "case": case,
        "parties": selectors.case_party_list(case),
        "officers": officers,
        "events": _events(case),
        "deadlines": selectors.case_deadline_list(case),
        "actions": current,
        "flowchart": _flowchart(case),
        "may_act": may_act,
        "area_mu": _area_mu(case),
        "fact_rows": _fact_rows(case),
        "summary": _summary(case),
        "discretion": selectors.discretion_explanation(case=case),
        "reviews": _review_steps(case),
        "deliveries": _deliveries(request, case, may_act, scan_bound),
        "publication": case_publication(case),
        "case_documents": selectors.case_documents(case=case, actor=request.user),
        "has_fine": has_fine,
        "payments": selectors.case_payment_list(case) if has_fine else [],
        "payment_status": selectors.payment_status(case=case) if has_fine else None,
        "remedies": [
            {
                "remedy": r,
                "form": (
                    outcome_bound[1] if outcome_bound[0] == r.pk else RemedyOutcomeForm(prefix=f"r{r.pk}")
                )
                if may_act and not r.outcome
                else None,
            }
            for r in remedies
        ],
        "recusals": [
            {
                "recusal": r,
                "form": (
                    decide_bound[1]
                    if decide_bound[0] == r.pk
                    else RecusalDecideForm(prefix=f"d{r.pk}", officers=agency_officers)
                )
                if head and r.outcome == RecusalOutcome.PENDING
                else None,
            }
            for r in recusals
        ],
        "party_form": PartyForm() if may_act else None,
        "assign_form": OfficerAssignForm(officers=_agency_officers(case)) if head else None,
        # the facts form is fetched when its panel is opened (facts_edit GET); a bound one with errors
        # comes in `extra` and is shown open
        "facts_form": None,
        "payment_form": PaymentForm() if may_act and has_fine else None,
        "remedy_form": RemedyForm() if may_act and case.decided_on else None,
        # like the facts form, fetched when its panel is opened (recusal_new GET); a bound one with
        # errors comes in `extra`
        "may_apply_recusal": may_act and bool(officers),
        "recusal_form": None,
        **extra,
    }
    return render(request, "cases/case_detail.html", context, status=status)


def _submit(
    request: HttpRequest,
    case: Case,
    form: Any,
    call: Callable[[], Any],
    *,
    success: str,
    form_key: str,
    bound: Any = None,
) -> HttpResponse:
    """POST of a case-page form: one service call; refusals re-render the page with what was typed."""
    status = 400
    if form.is_valid():
        try:
            call()
        except PermissionDenied as exc:
            raise _forbidden(exc) from exc
        except DomainError as exc:
            add_domain_error(form, exc)
            status = 409 if exc.status == 409 else 400
        else:
            messages.success(request, success)
            return redirect("cases:case_detail", case_id=case.pk)
    fresh = _case(request, case.pk)
    return _detail(request, fresh, status=status, **{form_key: bound if bound is not None else form})


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """案件页: header, parties, facts, timeline, deadlines, flowchart and the actions available now."""
    return _detail(request, _case(request, case_id))


def _verifiers(case: Case) -> list[Any]:
    """The case's active officers certified for its field today (行政处罚法 Arts.42, 55), in one query."""
    ids = selectors.case_officer_ids(case=case)
    return list(
        officers_certified(agency=case.agency, field_code=case.field_code, on=timezone.localdate()).filter(
            pk__in=ids
        )
    )


def _default_subject(case: Case) -> str:
    """What a reminder or court application most likely concerns: the fine while one is owed."""
    from cases.services.execution import outstanding_fine

    if PenaltyKind.FINE in (case.decided_kinds or []) and outstanding_fine(case) > 0:
        return "fine"
    return "orders" if any(o.get("status") == "pending" for o in case.orders or []) else "fine"


def _action_form(request: HttpRequest, case: Case, action: str, data: Any = None) -> ActionForm:
    from cases.services.execution import outstanding_fine

    return ActionForm(
        data,
        action=action,
        officers=_agency_officers(case),
        verifiers=_verifiers(case) if action == "verify_order" else (),
        orders=case.orders,
        owed=outstanding_fine(case) if action == "approve_payment_plan" else None,
        subject=_default_subject(case) if action in SUBJECT_ACTIONS else "",
        initial={"version": case.version},
    )


SUBJECT_ACTIONS = ("serve_reminder", "apply_to_court", "record_court_outcome")


def _with_row_added(post: Any, form: ActionForm) -> Any:
    """The POST with one more row in the list named by the "add_row" button (no JavaScript needed)."""
    data = post.copy()
    name = post.get("add_row")
    if name in form.rows:
        key = f"{name}-TOTAL_FORMS"
        try:
            total = int(data.get(key) or 0)
        except ValueError:
            total = 0
        data[key] = str(min(total + 1, ROW_MAX))
    return data


@login_required
def case_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    """One action: GET its form (or confirmation), POST → case_act with the version the officer saw.

    Refusals re-render the form with what was typed: the service's field errors and the rules that
    refused, on top and next to the fields they concern, each with its article. "Add a row" re-renders
    the form with one more row of a list (orders, instalments) and submits nothing.
    """
    case = _case(request, case_id)
    workflow = workflow_for(case)
    transition = workflow.transition(action)
    if transition is None:
        raise Http404
    form = _action_form(request, case, action, request.POST or None)
    violations: list[dict[str, str]] = []
    adding = request.method == "POST" and bool(request.POST.get("add_row"))
    if adding:
        form = _action_form(request, case, action, _with_row_added(request.POST, form)).quiet()
    elif request.method == "POST" and form.is_valid() and form.rows_valid():
        try:
            services.case_act(case=case, actor=request.user, action=action, data=form.data_for_service())
        except PermissionDenied as exc:
            raise _forbidden(exc) from exc
        except services.TransitionRefused as exc:
            violations = [v.as_dict() for v in exc.violations]
            add_action_violations(form, violations)
        except Conflict as exc:
            fresh = _case(request, case_id)
            return _detail(request, fresh, status=409, conflict=exc.message)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": transition.label})
            return redirect("cases:case_detail", case_id=case.pk)
    context = {
        "case": case,
        "form": form,
        "label": transition.label,
        "needs_data": action_needs_data(action),
        "violations": violations,
        "row_sets": form.row_sets(),
    }
    status = 200 if request.method != "POST" or adding else (409 if violations else 400)
    return render(request, "cases/action_form.html", context, status=status)


@login_required
@require_POST
def party_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """当事人 → party_add; errors re-render the case page with what was typed."""
    case = _case(request, case_id)
    form = PartyForm(request.POST)
    if form.is_valid():
        try:
            services.party_add(actor=request.user, case=case, **form.cleaned_data)
        except PermissionDenied as exc:
            raise _forbidden(exc) from exc
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Party recorded."))
            return redirect("cases:case_detail", case_id=case.pk)
    return _detail(request, case, status=400, party_form=form)


@login_required
@require_POST
def officer_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    """The head assigns an officer → case_officer_assign."""
    case = _case(request, case_id)
    form = OfficerAssignForm(request.POST, officers=_agency_officers(case))
    if form.is_valid():
        try:
            services.case_officer_assign(
                actor=request.user,
                case=case,
                officer_id=int(form.cleaned_data["officer_id"]),
                role=form.cleaned_data["role"],
            )
        except PermissionDenied as exc:
            raise _forbidden(exc) from exc
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Officer assigned."))
            return redirect("cases:case_detail", case_id=case.pk)
    return _detail(request, case, status=400, assign_form=form)


def _panel_form(
    request: HttpRequest, case: Case, key: str, form: forms.Form, *, title: str, intro: str = ""
) -> HttpResponse:
    """A case-page panel's form, fetched when the panel opens: the bare fragment
    (`cases/includes/<key>.html`) for the panel's htmx request, else a page of its own, so that the
    link works without JavaScript. Only someone who may act on the case gets it."""
    try:
        policies.ensure(request.user, "act", case)
    except PermissionDenied as exc:
        raise _forbidden(exc) from exc
    fragment = f"cases/includes/{key}.html"
    context = {"case": case, key: form, "fragment": fragment, "title": title, "intro": intro}
    htmx = bool(getattr(request, "htmx", False))
    return render(request, fragment if htmx else "cases/panel_page.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def facts_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    """事实 used by discretion and the guards → case_facts_update. GET gives the form: the bare form
    when the case page's panel fetches it (htmx), else a page of its own (without JavaScript)."""
    case = _case(request, case_id)
    if request.method == "GET":
        return _panel_form(
            request,
            case,
            "facts_form",
            CaseFactsForm(case=case, violations=_violations(request.user)),
            title=_("Edit the facts"),
        )
    form = CaseFactsForm(request.POST, case=case, violations=_violations(request.user))
    return _submit(
        request,
        case,
        form,
        lambda: services.case_facts_update(actor=request.user, case=case, **form.data_for_service()),
        success=_("Facts saved."),
        form_key="facts_form",
    )


@login_required
@require_POST
def payment_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """缴款 → payment_record (行政处罚法 Arts.66–67)."""
    case = _case(request, case_id)
    form = PaymentForm(request.POST)
    return _submit(
        request,
        case,
        form,
        lambda: services.payment_record(actor=request.user, case=case, **form.cleaned_data),
        success=_("Payment recorded."),
        form_key="payment_form",
    )


@login_required
@require_POST
def delivery_receipt_scan(request: HttpRequest, case_id: int, delivery_id: int) -> HttpResponse:
    """The signed 送达回证's scan, uploaded here (→ delivery_receipt_scan_upload) or a records file
    of the case (→ delivery_receipt_scan_link)."""
    from cases.services.execution import delivery_receipt_scan_link, delivery_receipt_scan_upload

    case = _case(request, case_id)
    form = DeliveryScanForm(request.POST, request.FILES, prefix=f"s{delivery_id}")

    def perform() -> Any:
        if form.cleaned_data.get("scan"):
            return delivery_receipt_scan_upload(
                actor=request.user, case=case, delivery_id=delivery_id, upload=form.cleaned_data["scan"]
            )
        return delivery_receipt_scan_link(
            actor=request.user, case=case, delivery_id=delivery_id, file_id=form.cleaned_data["file_id"]
        )

    return _submit(
        request,
        case,
        form,
        perform,
        success=_("The signed receipt is linked to the delivery."),
        form_key="scan_bound",
        bound=(delivery_id, form),
    )


@login_required
@require_POST
def remedy_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """复议 / 诉讼 application → remedy_record."""
    case = _case(request, case_id)
    form = RemedyForm(request.POST)
    return _submit(
        request,
        case,
        form,
        lambda: services.remedy_record(actor=request.user, case=case, **form.cleaned_data),
        success=_("Reconsideration or litigation recorded."),
        form_key="remedy_form",
    )


@login_required
@require_POST
def remedy_outcome(request: HttpRequest, case_id: int, remedy_id: int) -> HttpResponse:
    """The outcome (upheld, changed, revoked, confirmed unlawful) → remedy_outcome_record."""
    case = _case(request, case_id)
    try:
        remedy = selectors.case_remedy_get(case=case, remedy_id=remedy_id)
    except DomainError as exc:
        raise Http404 from exc
    form = RemedyOutcomeForm(request.POST, prefix=f"r{remedy.pk}")
    return _submit(
        request,
        case,
        form,
        lambda: services.remedy_outcome_record(actor=request.user, remedy=remedy, **form.data_for_service()),
        success=_("Outcome recorded."),
        form_key="outcome_bound",
        bound=(remedy.pk, form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def recusal_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """回避 application by the officer or the party (行政处罚法 Art.43) → recusal_apply. GET gives the
    form: bare when the case page's panel fetches it (htmx), else a page of its own."""
    case = _case(request, case_id)
    officers = [co.officer for co in active_case_officers(case)]
    if request.method == "GET":
        return _panel_form(
            request,
            case,
            "recusal_form",
            RecusalApplyForm(officers=officers),
            title=_("Apply for a recusal"),
            intro=_(
                "An officer withdraws, or the party asks for it, where the officer has a direct interest "
                "in the case (行政处罚法 Art.43); the head decides."
            ),
        )
    form = RecusalApplyForm(request.POST, officers=officers)
    return _submit(
        request,
        case,
        form,
        lambda: services.recusal_apply(
            actor=request.user,
            case=case,
            officer_id=int(form.cleaned_data["officer_id"]),
            applied_by=form.cleaned_data["applied_by"],
            reason=form.cleaned_data["reason"],
        ),
        success=_("Recusal application recorded; the head decides."),
        form_key="recusal_form",
    )


@login_required
@require_POST
def recusal_decide(request: HttpRequest, case_id: int, recusal_id: int) -> HttpResponse:
    """The head decides a recusal and names who takes over → recusal_decide (+ case_officer_assign)."""
    case = _case(request, case_id)
    try:
        recusal = selectors.case_recusal_get(case=case, recusal_id=recusal_id)
    except DomainError as exc:
        raise Http404 from exc
    form = RecusalDecideForm(request.POST, prefix=f"d{recusal.pk}", officers=_agency_officers(case))
    return _submit(
        request,
        case,
        form,
        lambda: recusal_decide_and_reassign(
            actor=request.user,
            recusal=recusal,
            granted=form.cleaned_data["decision"] == "granted",
            reason=form.cleaned_data.get("reason") or "",
            replacement_id=int(form.cleaned_data["replacement_id"])
            if form.cleaned_data.get("replacement_id")
            else None,
        ),
        success=_("Recusal decided."),
        form_key="decide_bound",
        bound=(recusal.pk, form),
    )
