"""Reads of supervision, scoped to the actor: the deadline watch, 督办, review results, rankings,
targets, discretion consistency and the dashboard charts (each with the records behind a number).

Other domains are read only through their selectors (cases.selectors.visible_cases, org.selectors,
publicity.selectors, core Deadline). Heads and legal reviewers read their own agency, supervisors
their agency and its subordinates (org.selectors.read_agency_ids).
"""

from __future__ import annotations

import datetime
import json
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import selectors as case_selectors
from core.models import Deadline
from org import selectors as org_selectors
from org.roles import Role
from supervision import metrics
from supervision.models import (
    AssessmentRun,
    AutoReview,
    CaseReviewState,
    Consequence,
    Level,
    ReviewSample,
    ReviewScore,
    SupervisionOrder,
    Target,
)

WATCH_STATUSES = (Deadline.Status.OVERDUE, Deadline.Status.DUE_SOON)
RUNNING = (Deadline.Status.OPEN, Deadline.Status.DUE_SOON, Deadline.Status.OVERDUE, Deadline.Status.PAUSED)
FINISHED = ("closed", "archived", "declined", "transferred", "no_penalty")


def scope_ids(actor: Any) -> list[int]:
    """Agency ids whose supervision data the actor reads."""
    return org_selectors.visible_agency_ids(actor)


def _scope(actor: Any, agency_id: int | None) -> list[int]:
    ids = scope_ids(actor)
    if agency_id is not None:
        return [agency_id] if agency_id in ids else []
    return ids


def case_ct() -> ContentType:
    return ContentType.objects.get_by_natural_key("cases", "case")


# --- helpers the services use ------------------------------------------------------------------


def case_of_agency(*, case_id: int, agency_id: int) -> Any:
    return case_selectors.visible_cases(None).filter(pk=case_id, agency_id=agency_id).first()


def case_id_of_deadline(deadline: Deadline) -> int | None:
    if deadline.subject_type_id == case_ct().pk and deadline.subject_id.isdigit():
        return int(deadline.subject_id)
    return None


def lead_officer(*, case_id: int) -> Any:
    """The case's active lead officer (org Officer) or None."""
    officer_id = (
        case_selectors.visible_cases(None)
        .filter(pk=case_id, officers__role="lead", officers__active=True)
        .values_list("officers__officer_id", flat=True)
        .first()
    )
    if officer_id is None:
        return None
    return org_selectors.visible_officers(None).filter(pk=officer_id).first()


def cases_to_autoreview(*, agency_id: int | None = None) -> QuerySet[Any]:
    """Closed or archived cases not checked since they last changed."""
    newer = CaseReviewState.objects.filter(case_id=OuterRef("pk"), ran_at__gte=OuterRef("updated_at"))
    qs = case_selectors.visible_cases(None).filter(status__in=("closed", "archived")).filter(~Exists(newer))
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return qs.select_related("agency").order_by("pk")


def closed_case_ids(*, agency_id: int, closed_from: datetime.date, closed_to: datetime.date) -> list[int]:
    return sorted(
        case_selectors.visible_cases(None)
        .filter(
            agency_id=agency_id, status__in=("closed", "archived"), closed_on__range=(closed_from, closed_to)
        )
        .values_list("pk", flat=True)
    )


def assessment_subjects(*, agency_id: int, level: str) -> dict[int, str]:
    """The departments, or the active non-auxiliary enforcement officers, of the agency: {id: name}."""
    if level == Level.DEPARTMENT:
        return dict(
            org_selectors.visible_departments(None).filter(agency_id=agency_id).values_list("pk", "name")
        )
    qs = org_selectors.visible_officers(None).filter(
        agency_id=agency_id,
        active=True,
        is_auxiliary=False,
        role_assignments__role__in=[Role.OFFICER, Role.HEAD],
    )
    return dict(qs.distinct().values_list("pk", "name"))


# --- deadline watch -----------------------------------------------------------------------------


@dataclass
class WatchFilters:
    agency_id: int | None = None
    status: str = ""
    kind: str = ""
    responsible_id: int | None = None
    due_to: datetime.date | None = None


def deadline_watch(*, actor: Any, filters: WatchFilters | None = None) -> QuerySet[Deadline]:
    """Every overdue or nearly due deadline of the agencies the actor reads, most overdue first,
    with the responsible person (user → officer name) and department."""
    f = filters or WatchFilters()
    statuses = [f.status] if f.status in WATCH_STATUSES else list(WATCH_STATUSES)
    qs = Deadline.objects.filter(agency_id__in=_scope(actor, f.agency_id), status__in=statuses)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.responsible_id:
        qs = qs.filter(responsible__officer__id=f.responsible_id)
    if f.due_to:
        qs = qs.filter(due_date__lte=f.due_to)
    return qs.select_related("responsible__officer__department", "subject_type").order_by("due_date", "pk")


def watch_kinds(*, actor: Any) -> list[str]:
    return list(
        Deadline.objects.filter(agency_id__in=scope_ids(actor), status__in=WATCH_STATUSES)
        .values_list("kind", flat=True)
        .distinct()
        .order_by("kind")
    )


def deadline_get(*, actor: Any, pk: int) -> Deadline | None:
    return Deadline.objects.filter(pk=pk, agency_id__in=scope_ids(actor)).first()


# --- 督办 -----------------------------------------------------------------------------------------


def visible_orders(actor: Any) -> QuerySet[SupervisionOrder]:
    """Orders of the agencies the actor reads, plus those addressed to or issued by the actor."""
    qs = SupervisionOrder.objects.select_related("addressee", "agency", "issued_by")
    if org_selectors.is_unrestricted(actor):
        return qs
    officer = org_selectors.officer_for(actor)
    cond = Q(issued_by=actor)
    if officer is not None:
        cond |= Q(addressee=officer)
        if org_selectors.roles_of(user=actor) & {Role.HEAD, Role.SUPERVISOR, Role.LEGAL_REVIEWER}:
            cond |= Q(agency_id__in=scope_ids(actor))
    return qs.filter(cond)


def order_get(*, actor: Any, pk: int) -> SupervisionOrder | None:
    return visible_orders(actor).filter(pk=pk).first()


def orders_for_case(*, actor: Any, case_id: int) -> QuerySet[SupervisionOrder]:
    """督办 history of one case (for the case page): every order on it, oldest first."""
    return visible_orders(actor).filter(case_id=case_id).order_by("pk")


@dataclass
class CaseOrder:
    """One 督办 (or return for correction) on a case, with every step recorded in the ledger:
    issued, each response (a rejected response is followed by a new one), acceptance or rejection,
    withdrawal."""

    order: SupervisionOrder
    steps: list[dict[str, Any]]


ORDER_STEP_ACTS = {
    "supervision.supervision_issue": "requirement",
    "supervision.correction_issue": "requirement",
    "supervision.order_respond": "response",
    "supervision.order_accept": "conclusion",
    "supervision.order_reject": "conclusion",
    "supervision.order_withdraw": "reason",
}


def case_readable(*, actor: Any, case_id: int) -> Any:
    """The case if the actor may read its 督办 history, else None: supervision's readers of the
    case's agency (heads, legal reviewers, supervisors above — policies `view`), and whoever the
    cases app lets read the case (its officers), who then see the orders addressed to or issued by
    them (visible_orders)."""
    from supervision import policies

    case = case_selectors.visible_cases(None).filter(pk=case_id).first()
    if case is None:
        return None
    if policies.can(actor, "view", case.agency_id):
        return case
    if case_selectors.visible_cases(actor).filter(pk=case_id).exists():
        return case
    return None


def case_duban(*, actor: Any, case_id: int) -> list[CaseOrder] | None:
    """督办 history of one case: every order on it in any state, oldest first, each with its steps
    (texts of the requirement, responses and conclusions as recorded). None when the actor may not
    read the case."""
    from core.models import LedgerEntry

    if case_readable(actor=actor, case_id=case_id) is None:
        return None
    orders = list(orders_for_case(actor=actor, case_id=case_id))
    entries = LedgerEntry.objects.filter(
        object_type="supervision.supervisionorder",
        object_id__in=[str(o.pk) for o in orders],
        act__in=list(ORDER_STEP_ACTS),
    ).order_by("seq")
    steps: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in entries:
        payload = json.loads(e.payload or "{}")
        steps[e.object_id].append(
            {
                "act": e.act,
                "at": e.recorded_at,
                "actor": e.actor_label,
                "text": str(payload.get(ORDER_STEP_ACTS[e.act]) or ""),
            }
        )
    return [CaseOrder(order=o, steps=steps.get(str(o.pk), [])) for o in orders]


def duban_count_for_case(case_id: int, actor: Any) -> dict[str, int]:
    """For the case page: how many 督办 on the case the actor sees, and how many are still open
    (issued or not accepted). Zeros when the actor may not read the case."""
    if case_readable(actor=actor, case_id=case_id) is None:
        return {"total": 0, "open": 0}
    counts = orders_for_case(actor=actor, case_id=case_id).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=("issued", "responded", "rejected"))),
    )
    return {"total": counts["total"] or 0, "open": counts["open"] or 0}


def order_deadline(order: SupervisionOrder) -> Deadline | None:
    ct = ContentType.objects.get_for_model(SupervisionOrder)
    return Deadline.objects.filter(subject_type=ct, subject_id=str(order.pk)).order_by("-pk").first()


def order_history(order: SupervisionOrder) -> list[Any]:
    from core.models import LedgerEntry

    return list(
        LedgerEntry.objects.filter(
            object_type="supervision.supervisionorder", object_id=str(order.pk)
        ).order_by("seq")
    )


def addressees(*, agency_id: int) -> QuerySet[Any]:
    return (
        org_selectors.visible_officers(None)
        .filter(agency_id=agency_id, active=True)
        .order_by("department__name", "name")
    )


# --- automatic review and scores -----------------------------------------------------------------


def latest_autoreviews(*, actor: Any, agency_id: int | None = None) -> QuerySet[AutoReview]:
    """The latest automatic review of each closed case in scope."""
    return AutoReview.objects.filter(agency_id__in=_scope(actor, agency_id), current__isnull=False)


def autoreview_for_case(*, actor: Any, case_id: int) -> AutoReview | None:
    return latest_autoreviews(actor=actor).filter(case_id=case_id).first()


def failed_by_check(*, actor: Any, agency_id: int | None = None) -> list[dict[str, Any]]:
    from supervision.checks import CHECKS

    counts = CaseReviewState.objects.filter(agency_id__in=_scope(actor, agency_id)).aggregate(
        total=Count("pk"),
        **{c.code: Count("pk", filter=Q(failed_codes__contains=f" {c.code} ")) for c in CHECKS},
    )
    total = counts["total"]
    return [
        {"key": c.code, "label": str(c.label), "basis": c.basis, "value": counts[c.code], "total": total}
        for c in CHECKS
    ]


def samples_visible(*, actor: Any) -> QuerySet[ReviewSample]:
    return ReviewSample.objects.filter(agency_id__in=scope_ids(actor)).select_related("sheet", "agency")


def score_results(*, actor: Any, by: str, agency_id: int | None = None) -> list[dict[str, Any]]:
    """Average reviewer score per case, officer or department."""
    key = {"case": "case_id", "officer": "officer_id", "department": "department_id"}[by]
    rows = (
        ReviewScore.objects.filter(agency_id__in=_scope(actor, agency_id))
        .values(key)
        .annotate(n=Count("pk"), total=Sum("score"))
        .order_by(key)
    )
    names = _names(by, [r[key] for r in rows])
    return [
        {
            "key": r[key],
            "name": names.get(r[key], "—"),
            "n": r["n"],
            "avg": (r["total"] / r["n"]).quantize(Decimal("0.1")),
        }
        for r in rows
    ]


def _names(by: str, ids: list[Any]) -> dict[Any, str]:
    ids = [i for i in ids if i is not None]
    if by == "officer":
        return dict(org_selectors.visible_officers(None).filter(pk__in=ids).values_list("pk", "name"))
    if by == "department":
        return dict(org_selectors.visible_departments(None).filter(pk__in=ids).values_list("pk", "name"))
    if by == "agency":
        return dict(org_selectors.visible_agencies(None).filter(pk__in=ids).values_list("pk", "name"))
    return dict(case_selectors.visible_cases(None).filter(pk__in=ids).values_list("pk", "case_number"))


# --- assessment -----------------------------------------------------------------------------------


def runs_visible(*, actor: Any) -> QuerySet[AssessmentRun]:
    return AssessmentRun.objects.filter(agency_id__in=scope_ids(actor)).select_related("agency")


def consequences_visible(*, actor: Any) -> QuerySet[Consequence]:
    return Consequence.objects.filter(result__run__agency_id__in=scope_ids(actor)).select_related(
        "result__run"
    )


# --- targets --------------------------------------------------------------------------------------


@dataclass
class Progress:
    target: Target
    label: str
    subject: str
    actual: Decimal
    share: int  # percent of the target reached, capped at 100 for the bar
    elapsed: int  # percent of the period elapsed


def target_progress(targets: list[Target], *, today: datetime.date | None = None) -> list[Progress]:
    """Progress of each target, computed from the records now (never stored)."""
    today = today or timezone.localdate()
    out = []
    cache: dict[tuple[Any, ...], dict[int, dict[str, Decimal]]] = {}
    for t in targets:
        level = metrics.OFFICER if t.officer_id else metrics.DEPARTMENT
        key = (level, t.agency_id, t.period_start, t.period_end, t.metric)
        if key not in cache:
            cache[key] = metrics.compute(
                level=level, agency_id=t.agency_id, start=t.period_start, end=t.period_end, codes={t.metric}
            )
        sid = t.officer_id or t.department_id
        actual = cache[key].get(int(sid or 0), {}).get(t.metric, Decimal(0))
        span = max((t.period_end - t.period_start).days, 1)
        elapsed = min(max((today - t.period_start).days, 0), span)
        metric = metrics.METRICS.get(t.metric)
        out.append(
            Progress(
                target=t,
                label=str(metric.label) if metric else t.metric,
                subject=_subject_name(t),
                actual=actual,
                share=min(int(actual * 100 / t.target) if t.target else 0, 100),
                elapsed=int(elapsed * 100 / span),
            )
        )
    return out


def _subject_name(t: Target) -> str:
    if t.officer is not None:
        return t.officer.name
    return t.department.name if t.department is not None else "—"


def targets_visible(*, actor: Any) -> QuerySet[Target]:
    return Target.objects.filter(agency_id__in=scope_ids(actor)).select_related(
        "department", "officer", "agency"
    )


def my_targets(*, actor: Any, on: datetime.date | None = None) -> list[Target]:
    """Targets running today for the actor and for the actor's department (for the home panel)."""
    officer = org_selectors.officer_for(actor)
    if officer is None:
        return []
    on = on or timezone.localdate()
    cond = Q(officer_id=officer.pk)
    if officer.department_id:
        cond |= Q(department_id=officer.department_id)
    return list(
        Target.objects.filter(cond, period_start__lte=on, period_end__gte=on).select_related(
            "department", "officer"
        )
    )


# --- dashboard --------------------------------------------------------------------------------


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # bar | pie | line
    rows: list[dict[str, Any]] = field(default_factory=list)  # {label, value, key, [value2]}
    series: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class Period:
    start: datetime.date
    end: datetime.date


def default_period(today: datetime.date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period(datetime.date(today.year, 1, 1), today)


def by_agency(actor: Any) -> bool:
    """Group by agency (a supervisor over several agencies) or by department (one agency)."""
    return len(scope_ids(actor)) > 1


def _group_key(actor: Any) -> tuple[str, str]:
    if by_agency(actor):
        return "agency_id", "agency"
    return "lead_co__officer__department_id", "department"


def _lead(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.annotate(  # type: ignore[no-any-return]
        lead_co=FilteredRelation("officers", condition=Q(officers__role="lead", officers__active=True))
    )


def scoped_cases(actor: Any, agency_id: int | None = None) -> QuerySet[Any]:
    return case_selectors.visible_cases(None).filter(agency_id__in=_scope(actor, agency_id))


def chart_workload(actor: Any, period: Period, agency_id: int | None = None) -> Chart:
    key, by = _group_key(actor)
    qs = _lead(scoped_cases(actor, agency_id).exclude(status__in=FINISHED).exclude(status="lead"))
    rows = list(qs.values(key).annotate(v=Count("pk")).order_by("-v"))
    names = _names(by, [r[key] for r in rows])
    return Chart(
        "workload",
        _("Workload: open cases"),
        "bar",
        [
            {"label": names.get(r[key], _("no lead officer")), "value": r["v"], "key": f"{by}:{r[key] or 0}"}
            for r in rows
        ],
    )


def chart_overdue(actor: Any, period: Period, agency_id: int | None = None) -> Chart:
    if by_agency(actor):
        key, by = "agency_id", "agency"
    else:
        key, by = "responsible__officer__department_id", "department"
    qs = Deadline.objects.filter(agency_id__in=_scope(actor, agency_id), status=Deadline.Status.OVERDUE)
    rows = list(qs.values(key).annotate(v=Count("pk")).order_by("-v"))
    names = _names(by, [r[key] for r in rows])
    return Chart(
        "overdue",
        _("Overdue deadlines"),
        "bar",
        [
            {
                "label": names.get(r[key], _("nobody responsible")),
                "value": r["v"],
                "key": f"{by}:{r[key] or 0}",
            }
            for r in rows
        ],
    )


def _status_labels() -> dict[str, str]:
    model = case_selectors.visible_cases(None).model
    return {k: str(v) for k, v in model._meta.get_field("status").choices or []}


def chart_outcomes(actor: Any, period: Period, agency_id: int | None = None) -> Chart:
    qs = scoped_cases(actor, agency_id).filter(registered_on__range=(period.start, period.end))
    rows = list(qs.values("status").annotate(v=Count("pk")).order_by("-v"))
    labels = _status_labels()
    return Chart(
        "outcomes",
        _("Cases registered in the period, by status"),
        "pie",
        [
            {"label": labels.get(r["status"], r["status"]), "value": r["v"], "key": f"status:{r['status']}"}
            for r in rows
        ],
    )


def chart_fines(actor: Any, period: Period, agency_id: int | None = None) -> Chart:
    base = scoped_cases(actor, agency_id)
    imposed = {
        r["m"]: r["v"]
        for r in base.filter(decided_on__range=(period.start, period.end))
        .annotate(m=TruncMonth("decided_on"))
        .values("m")
        .annotate(v=Sum("decided_amount"))
        .order_by()
    }
    collected = {
        r["m"]: r["v"]
        for r in base.filter(payments__paid_on__range=(period.start, period.end))
        .annotate(m=TruncMonth("payments__paid_on"))
        .values("m")
        .annotate(v=Sum("payments__amount"))
        .order_by()
    }
    months = sorted({_month(m) for m in [*imposed, *collected] if m is not None})
    imp = {_month(k): v for k, v in imposed.items() if k is not None}
    col = {_month(k): v for k, v in collected.items() if k is not None}
    return Chart(
        "fines",
        _("Fines imposed and collected (yuan)"),
        "bar",
        [
            {
                "label": m.strftime("%Y-%m"),
                "value": imp.get(m) or Decimal(0),
                "value2": col.get(m) or Decimal(0),
                "key": f"month:{m:%Y-%m}",
            }
            for m in months
        ],
        series=[_("imposed"), _("collected")],
    )


def _month(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1)  # type: ignore[no-any-return]


def chart_review(actor: Any, period: Period, agency_id: int | None = None) -> Chart:
    rows = failed_by_check(actor=actor, agency_id=agency_id)
    total = rows[0]["total"] if rows else 0
    return Chart(
        "review",
        _("Automatic case-file review: cases failing each check"),
        "bar",
        [{"label": r["label"], "value": r["value"], "key": f"check:{r['key']}"} for r in rows],
        note=_("%(n)d closed cases checked") % {"n": total},
    )


def chart_ranking(actor: Any, period: Period, agency_id: int | None = None) -> Chart:
    run = runs_visible(actor=actor).filter(agency_id__in=_scope(actor, agency_id)).order_by("-pk").first()
    if run is None:
        return Chart(
            "ranking", _("Ranking (latest assessment)"), "bar", note=_("No assessment has been run yet.")
        )
    results = list(run.results.order_by("rank"))
    return Chart(
        "ranking",
        _("Ranking: %(agency)s, %(level)s, %(a)s – %(b)s")
        % {
            "agency": run.agency.name,
            "level": run.get_level_display(),
            "a": run.period_start,
            "b": run.period_end,
        },
        "bar",
        [{"label": f"{r.rank}. {r.subject_name}", "value": r.score, "key": f"run:{run.pk}"} for r in results],
    )


CHARTS = {
    "workload": chart_workload,
    "overdue": chart_overdue,
    "outcomes": chart_outcomes,
    "fines": chart_fines,
    "review": chart_review,
    "ranking": chart_ranking,
}


def drill_cases(actor: Any, chart: str, key: str, period: Period) -> QuerySet[Any] | None:
    """The cases behind one number of a chart (None when the number is not about cases)."""
    kind, _sep, value = key.partition(":")
    qs = scoped_cases(actor)
    if chart == "workload":
        qs = _lead(qs.exclude(status__in=FINISHED).exclude(status="lead"))
        if kind == "agency":
            return qs.filter(agency_id=int(value or 0))
        if kind == "department":
            return (
                qs.filter(lead_co__officer__department_id=int(value))
                if value != "0"
                else qs.filter(lead_co__officer__department_id__isnull=True)
            )
    if chart == "outcomes" and kind == "status":
        return qs.filter(registered_on__range=(period.start, period.end), status=value)
    if chart == "fines" and kind == "month":
        year, month = (int(x) for x in value.split("-"))
        start = datetime.date(year, month, 1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        start, end = max(start, period.start), min(end, period.end)
        return qs.filter(
            Q(decided_on__range=(start, end)) | Q(payments__paid_on__range=(start, end))
        ).distinct()
    return None


def drill_deadlines(actor: Any, key: str) -> QuerySet[Deadline]:
    kind, _sep, value = key.partition(":")
    qs = Deadline.objects.filter(agency_id__in=scope_ids(actor), status=Deadline.Status.OVERDUE)
    if kind == "agency":
        qs = qs.filter(agency_id=int(value))
    elif kind == "department":
        qs = (
            qs.filter(responsible__officer__department_id=int(value))
            if value != "0"
            else qs.filter(responsible__officer__department_id__isnull=True)
        )
    return qs.select_related("responsible__officer").order_by("due_date", "pk")


def drill_autoreviews(actor: Any, check: str) -> QuerySet[AutoReview]:
    rows = latest_autoreviews(actor=actor).filter(current__failed_codes__contains=f" {check} ")
    return rows.order_by("-case_id")


def reviewer_ratios(actor: Any) -> list[Any]:
    """Each agency in scope against the legal-reviewer ratio (seed 002, default ≥ 5 %)."""
    agencies = org_selectors.visible_agencies(None).filter(pk__in=scope_ids(actor)).order_by("path")
    return [(a, org_selectors.legal_reviewer_ratio(agency=a)) for a in agencies]


# --- consistency of discretion (同案不同罚) ----------------------------------------------------------


@dataclass
class Point:
    case_id: int
    case_number: str
    agency_id: int
    officer: str
    department: str
    area: Decimal | None
    amount: Decimal
    unit: Decimal | None  # yuan per m²
    reason: str
    flags: list[str] = field(default_factory=list)
    tier: str = ""
    range_min: Decimal | None = None
    range_max: Decimal | None = None


MAX_CONSISTENCY_CASES = 2000
ROBUST_Z = Decimal("3.5")


def _area(facts: Any) -> Decimal | None:
    try:
        value = Decimal(str((facts or {}).get("area_m2")))
    except Exception:
        return None
    return value if value.is_finite() and value > 0 else None


def consistency(
    *,
    actor: Any,
    period: Period,
    violation_code: str = "",
    agency_id: int | None = None,
    with_ranges: bool = True,
) -> dict[str, list[Point]]:
    """Fines decided in the period per violation type, each case flagged when outside the
    discretion range without a reason, or far from similar cases (robust z-score of the amount
    per m² above 3.5 among the same violation type)."""
    qs = (
        _lead(scoped_cases(actor, agency_id))
        .filter(decided_on__range=(period.start, period.end), decided_amount__isnull=False)
        .exclude(violation_code="")
    )
    if violation_code:
        qs = qs.filter(violation_code=violation_code)
    rows = list(
        qs.select_related("agency")
        .annotate(
            officer_name=F("lead_co__officer__name"), department_name=F("lead_co__officer__department__name")
        )
        .order_by("-decided_on", "-pk")[:MAX_CONSISTENCY_CASES]
    )
    groups: dict[str, list[Point]] = defaultdict(list)
    for case in rows:
        area = _area(case.facts)
        amount = Decimal(case.decided_amount)
        p = Point(
            case_id=case.pk,
            case_number=case.case_number,
            agency_id=case.agency_id,
            officer=case.officer_name or "—",
            department=case.department_name or "—",
            area=area,
            amount=amount,
            unit=(amount / area).quantize(Decimal("0.01")) if area else None,
            reason=case.amount_reason,
        )
        if with_ranges:
            ex = case_selectors.discretion_explanation(case=case, today=case.decided_on)
            if ex.available:
                p.tier, p.range_min, p.range_max = ex.tier, ex.range_min, ex.range_max
                outside = (ex.range_min is not None and amount < ex.range_min) or (
                    ex.range_max is not None and amount > ex.range_max
                )
                if outside and not case.amount_reason.strip():
                    p.flags.append(str(_("outside the recommended range without a reason")))
        groups[case.violation_code].append(p)
    for points in groups.values():
        flag_far(points)
    return dict(groups)


def flag_far(points: list[Point]) -> None:
    """Flag the points whose amount per m² is far from the others of the same violation type:
    robust z-score (0.6745 × |x − median| / MAD) above 3.5; with MAD 0, more than half the median
    away. Fewer than four comparable cases: nothing is compared."""
    units = [p.unit for p in points if p.unit is not None]
    if len(units) < 4:
        return
    med = Decimal(statistics.median(units))
    mad = Decimal(statistics.median([abs(u - med) for u in units]))
    for p in points:
        if p.unit is None:
            continue
        if mad > 0:
            z = Decimal("0.6745") * abs(p.unit - med) / mad
            far = z > ROBUST_Z
        else:
            far = abs(p.unit - med) > med / 2
        if far:
            p.flags.append(
                str(_("far from similar cases (median %(m)s yuan/m²)") % {"m": med.quantize(Decimal("0.01"))})
            )


def consistency_by(points: list[Point], attr: str) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for p in points:
        row = out.setdefault(getattr(p, attr), {"name": getattr(p, attr), "n": 0, "flagged": 0, "units": []})
        row["n"] += 1
        row["flagged"] += 1 if p.flags else 0
        if p.unit is not None:
            row["units"].append(p.unit)
    return [
        {
            **r,
            "median": Decimal(statistics.median(r["units"])).quantize(Decimal("0.01"))
            if r["units"]
            else None,
        }
        for r in sorted(out.values(), key=lambda r: -r["flagged"])
    ]
