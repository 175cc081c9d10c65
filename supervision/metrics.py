"""Named metrics computed from the records, per agency, department or officer, for a period.

These are the only names an indicator formula (supervision.formula) or a responsibility target may
use. Every figure is a query over the other domains' data through their selectors: cases (by the
case's active lead officer and that officer's department), payments, legal reviews, publications,
deadlines, follow-ups (followups.selectors), complaints (complaints.selectors), exam results
(training.selectors), and this app's automatic review and reviewer scores. One grouped query per
metric, so an assessment over a million cases is a handful of aggregate queries.

"Complaints upheld" (`complaints_upheld`) counts the conduct complaints answered in the period as
upheld or partly upheld (the finding is recorded with the answer); `complaints_conduct` counts
those received about an identified officer, whatever the finding.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from cases import selectors as case_selectors
from complaints import selectors as complaint_selectors
from core.models import Deadline
from followups import selectors as followup_selectors
from publicity import selectors as publicity_selectors
from supervision.models import AutoReview, ReviewScore
from training import selectors as training_selectors

AGENCY, DEPARTMENT, OFFICER = "agency", "department", "officer"
CASE_KEY = {
    AGENCY: "agency_id",
    DEPARTMENT: "lead_co__officer__department_id",
    OFFICER: "lead_co__officer_id",
}
DEADLINE_KEY = {
    AGENCY: "agency_id",
    DEPARTMENT: "responsible__officer__department_id",
    OFFICER: "responsible__officer__id",
}


@dataclass(frozen=True)
class Metric:
    code: str
    label: Any
    compute: Callable[[str, int, datetime.date, datetime.date], dict[int, Decimal]]


def lead_cases(agency_id: int) -> QuerySet[Any]:
    """The agency's cases, with `lead` = the case's active lead officer assignment (left join)."""
    return (
        case_selectors.visible_cases(None)
        .filter(agency_id=agency_id)
        .annotate(
            lead_co=FilteredRelation("officers", condition=Q(officers__role="lead", officers__active=True))
        )
    )


def _grouped(qs: QuerySet[Any], key: str, agg: Any) -> dict[int, Decimal]:
    out: dict[int, Decimal] = {}
    for row in qs.values(key).annotate(v=agg).order_by():
        if row[key] is not None:
            out[int(row[key])] = Decimal(row["v"] or 0)
    return out


def _case_metric(
    field: str, extra: Callable[[], Q] | None = None, agg: Any = None
) -> Callable[..., dict[int, Decimal]]:
    def compute(level: str, agency_id: int, start: datetime.date, end: datetime.date) -> dict[int, Decimal]:
        qs = lead_cases(agency_id).filter(**{f"{field}__range": (start, end)})
        if extra is not None:
            qs = qs.filter(extra())
        return _grouped(qs, CASE_KEY[level], agg if agg is not None else Count("pk"))

    return compute


def decision_days() -> int:
    return case_selectors.legal_setting_int("cases.decision_calendar_days", 90)


def _on_time() -> Q:
    return Q(decided_on__lte=F("registered_on") + datetime.timedelta(days=decision_days()))


def _fines_collected(
    level: str, agency_id: int, start: datetime.date, end: datetime.date
) -> dict[int, Decimal]:
    qs = lead_cases(agency_id).filter(payments__paid_on__range=(start, end))
    return _grouped(qs, CASE_KEY[level], Sum("payments__amount"))


def _reviews(passed: bool) -> Callable[..., dict[int, Decimal]]:
    def compute(level: str, agency_id: int, start: datetime.date, end: datetime.date) -> dict[int, Decimal]:
        cond = Q(legal_reviews__round=1, legal_reviews__submitted_at__date__range=(start, end))
        if passed:
            cond &= Q(legal_reviews__opinion="pass")
        return _grouped(lead_cases(agency_id).filter(cond), CASE_KEY[level], Count("pk", distinct=True))

    return compute


def _published(on_time: bool) -> Callable[..., dict[int, Decimal]]:
    def compute(level: str, agency_id: int, start: datetime.date, end: datetime.date) -> dict[int, Decimal]:
        pubs = publicity_selectors.publications_for(None).filter(
            case_id=OuterRef("pk"), published_at__isnull=False
        )
        if on_time:
            pubs = pubs.filter(published_at__date__lte=F("due_on"))
        qs = lead_cases(agency_id).filter(decided_on__range=(start, end)).filter(Exists(pubs))
        return _grouped(qs, CASE_KEY[level], Count("pk"))

    return compute


def _missed_deadlines(
    level: str, agency_id: int, start: datetime.date, end: datetime.date
) -> dict[int, Decimal]:
    late = Q(status=Deadline.Status.OVERDUE) | Q(
        status=Deadline.Status.SATISFIED, satisfied_at__date__gt=F("due_date")
    )
    qs = Deadline.objects.filter(agency_id=agency_id, due_date__range=(start, end)).filter(late)
    return _grouped(qs, DEADLINE_KEY[level], Count("pk"))


def _latest_autoreviews(agency_id: int, start: datetime.date, end: datetime.date) -> list[dict[str, Any]]:
    rows = (
        AutoReview.objects.filter(agency_id=agency_id, closed_on__range=(start, end))
        .order_by("case_id", "-pk")
        .values("case_id", "agency_id", "department_id", "officer_id", "failed")
    )
    seen: set[int] = set()
    out = []
    for row in rows:
        if row["case_id"] not in seen:
            seen.add(row["case_id"])
            out.append(row)
    return out


def _autoreview(clean: bool) -> Callable[..., dict[int, Decimal]]:
    key = {AGENCY: "agency_id", DEPARTMENT: "department_id", OFFICER: "officer_id"}

    def compute(level: str, agency_id: int, start: datetime.date, end: datetime.date) -> dict[int, Decimal]:
        out: dict[int, Decimal] = defaultdict(Decimal)
        for row in _latest_autoreviews(agency_id, start, end):
            if row[key[level]] is not None and (not clean or row["failed"] == 0):
                out[int(row[key[level]])] += 1
        return dict(out)

    return compute


def _scores(total: bool) -> Callable[..., dict[int, Decimal]]:
    key = {AGENCY: "agency_id", DEPARTMENT: "department_id", OFFICER: "officer_id"}

    def compute(level: str, agency_id: int, start: datetime.date, end: datetime.date) -> dict[int, Decimal]:
        qs = ReviewScore.objects.filter(agency_id=agency_id, scored_at__date__range=(start, end))
        return _grouped(qs, key[level], Sum("score") if total else Count("pk"))

    return compute


SATISFIED = ("very_satisfied", "satisfied")
FOLLOWUP_KEY = {DEPARTMENT: "officer__officer__department_id", OFFICER: "officer__officer__id"}


def _followups(satisfied: bool) -> Callable[..., dict[int, Decimal]]:
    """Questionnaires answered on the follow-ups due in the period; `satisfied`: (very) satisfied.
    The agency's figure is followups.selectors.satisfaction_summary's; a department's and an
    officer's count the follow-ups of the cases they handled (the follow-up's officer)."""

    def compute(level: str, agency_id: int, start: datetime.date, end: datetime.date) -> dict[int, Decimal]:
        if level == AGENCY:
            summary = followup_selectors.satisfaction_summary([agency_id], start, end)
            by = summary["satisfaction"]
            value = sum(by.get(k, 0) for k in SATISFIED) if satisfied else summary["answered"]
            return {agency_id: Decimal(value)} if value else {}
        qs = followup_selectors.visible_followups(None).filter(
            agency_id=agency_id, due_on__range=(start, end), answer__isnull=False
        )
        if satisfied:
            qs = qs.filter(answer__satisfaction__in=SATISFIED)
        return _grouped(qs, FOLLOWUP_KEY[level], Count("pk"))

    return compute


COMPLAINT_KEY = {
    AGENCY: "agency_id",
    DEPARTMENT: "subject_officer__department_id",
    OFFICER: "subject_officer_id",
}


def _complaints_conduct(
    level: str, agency_id: int, start: datetime.date, end: datetime.date
) -> dict[int, Decimal]:
    qs = complaint_selectors.visible_complaints(None).filter(
        agency_id=agency_id,
        category="conduct",
        subject_officer__isnull=False,
        received_on__range=(start, end),
    )
    return _grouped(qs, COMPLAINT_KEY[level], Count("pk"))


def _complaints_upheld(
    level: str, agency_id: int, start: datetime.date, end: datetime.date
) -> dict[int, Decimal]:
    qs = complaint_selectors.upheld_conduct_complaints().filter(
        agency_id=agency_id, replied_at__date__range=(start, end)
    )
    return _grouped(qs, COMPLAINT_KEY[level], Count("pk"))


EXAM_KEY = {AGENCY: "agency_id", DEPARTMENT: "officer__department_id", OFFICER: "officer_id"}


def _exams(what: str) -> Callable[..., dict[int, Decimal]]:
    """Marked exam results (online and paper) in the period: attempts, passes, or the sum of the
    percentages (so that `exam_percent_sum / exam_taken` is the average percentage)."""

    def compute(level: str, agency_id: int, start: datetime.date, end: datetime.date) -> dict[int, Decimal]:
        out: dict[int, Decimal] = defaultdict(Decimal)
        for row in training_selectors.exam_results([agency_id], start, end):
            subject = row[EXAM_KEY[level]]
            if subject is None:
                continue
            if what == "taken":
                out[int(subject)] += 1
            elif what == "passed":
                out[int(subject)] += 1 if row["passed"] else 0
            else:
                out[int(subject)] += Decimal(row["percent"] or 0)
        return dict(out)

    return compute


METRICS: dict[str, Metric] = {
    m.code: m
    for m in [
        Metric("registered", _("cases registered"), _case_metric("registered_on")),
        Metric("decided", _("cases decided"), _case_metric("decided_on")),
        Metric("closed", _("cases closed"), _case_metric("closed_on")),
        Metric(
            "closed_on_time",
            _("cases closed, decided within the time limit from registration"),
            _case_metric("closed_on", _on_time),
        ),
        Metric("reversed", _("decisions revoked or found unlawful"), _case_metric("decision_revoked_on")),
        Metric(
            "fines_imposed", _("fines imposed (yuan)"), _case_metric("decided_on", agg=Sum("decided_amount"))
        ),
        Metric("fines_collected", _("fines collected (yuan)"), _fines_collected),
        Metric("review_submitted", _("cases first submitted to legal review"), _reviews(passed=False)),
        Metric(
            "review_first_pass",
            _("cases passing legal review at the first submission"),
            _reviews(passed=True),
        ),
        Metric("published", _("decisions published"), _published(on_time=False)),
        Metric("published_on_time", _("decisions published within the time limit"), _published(on_time=True)),
        Metric("missed_deadlines", _("deadlines missed"), _missed_deadlines),
        Metric("autoreview_checked", _("closed cases checked automatically"), _autoreview(clean=False)),
        Metric("autoreview_clean", _("closed cases with no failed automatic check"), _autoreview(clean=True)),
        Metric("file_scored", _("case files scored by reviewers"), _scores(total=False)),
        Metric("file_score_sum", _("sum of reviewers' scores"), _scores(total=True)),
        Metric("followup_answered", _("follow-up questionnaires answered"), _followups(satisfied=False)),
        Metric(
            "followup_satisfied",
            _("follow-up questionnaires answered satisfied or very satisfied"),
            _followups(satisfied=True),
        ),
        Metric(
            "complaints_conduct",
            _("conduct complaints received about an identified officer"),
            _complaints_conduct,
        ),
        Metric(
            "complaints_upheld",
            _("conduct complaints answered as upheld or partly upheld"),
            _complaints_upheld,
        ),
        Metric("exam_taken", _("exams taken (marked)"), _exams("taken")),
        Metric("exam_passed", _("exams passed"), _exams("passed")),
        Metric("exam_percent_sum", _("sum of exam percentages"), _exams("percent")),
    ]
}

NAMES = set(METRICS)


def compute(
    *, level: str, agency_id: int, start: datetime.date, end: datetime.date, codes: set[str] | None = None
) -> dict[int, dict[str, Decimal]]:
    """{subject id: {metric: value}} for every subject with any data (missing metrics are 0)."""
    out: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for code, metric in METRICS.items():
        if codes is not None and code not in codes:
            continue
        for subject, value in metric.compute(level, agency_id, start, end).items():
            out[subject][code] = value
    return dict(out)
