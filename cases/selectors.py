"""Reads of penalty cases, scoped to the actor, and the hooks other apps use."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.memo import memo_active, memo_fill, memoised
from cases.models import Case, CaseEvent, CaseOfficer, Delivery, Party, Payment, Recusal, Remedy
from core.errors import DomainError, NotFound
from core.models import Deadline, LegalSetting
from core.prepared import PreparedRead, fetch_together
from org.selectors import read_agency_ids, visible_agency_ids

OPEN_DEADLINE = (
    Deadline.Status.OPEN,
    Deadline.Status.DUE_SOON,
    Deadline.Status.OVERDUE,
    Deadline.Status.PAUSED,
)


# The case page's reads, each compiled once per process (core.prepared): a case page runs about
# twenty reads and compiling them was a quarter of its CPU (benchmarks/RESULTS.md, session 15).
_PARTIES: PreparedRead[Party] = PreparedRead(lambda case_id: Party.objects.filter(case_id=case_id))


# Each list's filter and order is written once, as a function of ids: the querysets below
# (`case_payments` …) and the prepared reads share it.
def _events_q(case_id: int) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case_id=case_id).order_by("seq")


def _payments_q(case_id: int) -> QuerySet[Payment]:
    return Payment.objects.filter(case_id=case_id).order_by("paid_on", "pk")


def _deliveries_q(case_id: int) -> QuerySet[Delivery]:
    return Delivery.objects.filter(case_id=case_id).order_by("delivered_on", "pk")


def _remedies_q(case_id: int) -> QuerySet[Remedy]:
    return Remedy.objects.filter(case_id=case_id).order_by("filed_on", "pk")


def _recusals_q(case_id: int) -> QuerySet[Recusal]:
    return Recusal.objects.filter(case_id=case_id).select_related("officer", "decided_by").order_by("pk")


def _deadlines_q(content_type_id: int, case_id: int) -> QuerySet[Deadline]:
    return Deadline.objects.filter(subject_type_id=content_type_id, subject_id=str(case_id)).order_by(
        "due_date", "pk"
    )


_EVENTS: PreparedRead[CaseEvent] = PreparedRead(lambda case_id: _events_q(case_id).select_related("actor"))
_PAYMENTS: PreparedRead[Payment] = PreparedRead(_payments_q)
_DELIVERIES: PreparedRead[Delivery] = PreparedRead(
    lambda case_id: _deliveries_q(case_id).select_related("receipt_document")
)
_REMEDIES: PreparedRead[Remedy] = PreparedRead(_remedies_q)
_RECUSALS: PreparedRead[Recusal] = PreparedRead(_recusals_q)
_DEADLINES: PreparedRead[Deadline] = PreparedRead(_deadlines_q)


def with_case[R: Any](rows: list[R], case: Case) -> list[R]:
    """The rows' `case` is the page's case object (as a related manager would set it: no query)."""
    for row in rows:
        row.case = case
    return rows


def case_party_list(case: Case) -> list[Party]:
    """The case's parties in the order they were recorded; asked once per page (cases.memo)."""
    return memoised(("parties", case.pk), lambda: with_case(_PARTIES(case.pk), case))


def case_event_list(case: Case) -> list[CaseEvent]:
    """The timeline, oldest first, with each event's actor."""
    return memoised(("events", case.pk), lambda: with_case(_EVENTS(case.pk), case))


def case_payment_list(case: Case) -> list[Payment]:
    """Payments by date; asked once per page (the panel and the amount paid)."""
    return memoised(("payments", case.pk), lambda: with_case(_PAYMENTS(case.pk), case))


def case_delivery_list(case: Case) -> list[Delivery]:
    """Deliveries by date, with the 送达回证 document each produced."""
    return memoised(("deliveries", case.pk), lambda: with_case(_DELIVERIES(case.pk), case))


def case_remedy_list(case: Case) -> list[Remedy]:
    return memoised(("remedies", case.pk), lambda: with_case(_REMEDIES(case.pk), case))


def prefetch_case_page(case: Case) -> None:
    """The case page's lists about one case, fetched in one round trip into the page's memo
    (core.prepared.fetch_together): parties, timeline, payments, deliveries, remedies, recusals,
    deadlines and the active case officers — eight waits for the database become one."""
    from cases.documents import ACTIVE_OFFICERS

    if not memo_active():
        return
    pk, content_type_id = case.pk, ContentType.objects.get_for_model(Case).pk
    reads: dict[tuple[str, int], tuple[PreparedRead[Any], tuple[int, ...]]] = {
        ("parties", pk): (_PARTIES, (pk,)),
        ("events", pk): (_EVENTS, (pk,)),
        ("payments", pk): (_PAYMENTS, (pk,)),
        ("deliveries", pk): (_DELIVERIES, (pk,)),
        ("remedies", pk): (_REMEDIES, (pk,)),
        ("recusals", pk): (_RECUSALS, (pk,)),
        ("case_officers", pk): (ACTIVE_OFFICERS, (pk,)),
        ("deadlines", pk): (_DEADLINES, (content_type_id, pk)),
    }
    lists = fetch_together(*reads.values())
    memo_fill(
        {
            key: rows if key[0] == "deadlines" else with_case(rows, case)
            for key, rows in zip(reads, lists, strict=True)
        }
    )


def case_deadline_list(case: Case) -> list[Deadline]:
    """Every deadline of the case by due date, once per page (the panel, the payment due date);
    `case_deadlines` to filter."""
    content_type_id = ContentType.objects.get_for_model(Case).pk
    return memoised(("deadlines", case.pk), lambda: _DEADLINES(content_type_id, case.pk))


def legal_setting(key: str, default: Any) -> Any:
    """A legal figure kept as data (core.LegalSetting, seeded by cases/0002); `default` if absent."""
    if memo_active():  # one query for all the settings a page asks (cases.memo)
        row = memoised(("legal_settings",), _all_legal_settings).get(key)
    else:
        row = LegalSetting.objects.filter(key=key).values_list("value", flat=True).first()
    return default if row is None else row


def _all_legal_settings() -> dict[str, Any]:
    return dict(LegalSetting.objects.values_list("key", "value"))


def legal_setting_int(key: str, default: int) -> int:
    value = legal_setting(key, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def visible_cases(actor: Any) -> QuerySet[Case]:
    """The cases of the agencies `actor` may read (org.selectors.visible_agency_ids)."""
    return Case.objects.filter(agency_id__in=visible_agency_ids(actor)).select_related("lead")


_CASE_BY_ID: PreparedRead[Case] = PreparedRead(
    lambda case_id: Case.objects.select_related("lead", "agency").filter(pk=case_id)
)


def case_get(*, case_id: int, actor: Any) -> Case:
    """One case the actor may read; NotFound otherwise (no hint whether it exists elsewhere).
    Read by id (compiled once, core.prepared), then checked against the actor's agencies."""
    case = _CASE_BY_ID.first(int(case_id))
    if case is not None:
        readable = read_agency_ids(actor)
        if readable is None or case.agency_id in readable:
            return case
    raise NotFound(
        _("Case %(id)s does not exist or is outside your agencies.") % {"id": case_id},
        code="case_not_found",
    )


def case_events(*, case: Case) -> QuerySet[CaseEvent]:
    return _events_q(case.pk)


def case_officer_ids(*, case: Case, active_only: bool = True) -> list[int]:
    qs = CaseOfficer.objects.filter(case=case)
    if active_only:
        qs = qs.filter(active=True)
    return list(qs.values_list("officer_id", flat=True))


def case_handler_user_ids(*, case_id: int) -> set[int]:
    """Users who handled (investigated) the case, including officers who later withdrew (回避).

    For the review app: a legal reviewer never reviews a case they handled.
    """
    return set(CaseOfficer.objects.filter(case_id=case_id).values_list("officer__user_id", flat=True))


def case_deadlines(*, case: Case, kind: str | None = None, open_only: bool = False) -> QuerySet[Deadline]:
    qs = _deadlines_q(ContentType.objects.get_for_model(Case).pk, case.pk)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if open_only:
        qs = qs.filter(status__in=OPEN_DEADLINE)
    return qs


# ---------------------------------------------------------------- the case page's panels


def case_payments(*, case: Case) -> QuerySet[Payment]:
    return _payments_q(case.pk)


def case_deliveries(*, case: Case) -> QuerySet[Delivery]:
    return _deliveries_q(case.pk)


def case_remedies(*, case: Case) -> QuerySet[Remedy]:
    return _remedies_q(case.pk)


def case_remedy_get(*, case: Case, remedy_id: int) -> Remedy:
    remedy = Remedy.objects.filter(case=case, pk=remedy_id).first()
    if remedy is None:
        raise NotFound(
            _("This case has no reconsideration or litigation %(id)s.") % {"id": remedy_id},
            code="remedy_not_found",
        )
    return remedy


def case_recusals(*, case: Case) -> QuerySet[Recusal]:
    return _recusals_q(case.pk)


def case_recusal_list(case: Case) -> list[Recusal]:
    """The case's recusals as a list, read once per page (the guards and the recusal panel)."""
    return memoised(("recusals", case.pk), lambda: with_case(_RECUSALS(case.pk), case))


def case_recusal_get(*, case: Case, recusal_id: int) -> Recusal:
    recusal = Recusal.objects.filter(case=case, pk=recusal_id).select_related("case").first()
    if recusal is None:
        raise NotFound(
            _("This case has no recusal application %(id)s.") % {"id": recusal_id},
            code="recusal_not_found",
        )
    return recusal


@dataclass
class PaymentStatus:
    """What the party has paid and owes on `on` (行政处罚法 Arts.66–67, 72)."""

    fine: Decimal | None
    paid_total: Decimal
    due_date: datetime.date | None
    surcharge: Decimal
    outstanding: Decimal
    on: datetime.date

    @property
    def paid_in_full(self) -> bool:
        return self.fine is not None and self.fine > 0 and self.outstanding <= 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "fine": self.fine,
            "paid_total": self.paid_total,
            "due_date": self.due_date,
            "surcharge": self.surcharge,
            "outstanding": self.outstanding,
            "paid_in_full": self.paid_in_full,
            "on": self.on,
        }


def payment_status(*, case: Case, on: datetime.date | None = None) -> PaymentStatus:
    """Paid total, the late surcharge (3 %/day, capped at the fine, Art.72) and what is still owed."""
    from cases.services.execution import case_late_surcharge, paid_total, payment_due_date

    day = on or timezone.localdate()
    fine = case.decided_amount if "fine" in (case.decided_kinds or []) else None
    paid = paid_total(case)
    surcharge = case_late_surcharge(case=case, on=day) if fine else Decimal("0.00")
    outstanding = max((fine or Decimal("0")) + surcharge - paid, Decimal("0")).quantize(Decimal("0.01"))
    return PaymentStatus(
        fine=fine,
        paid_total=paid,
        due_date=payment_due_date(case),
        surcharge=surcharge,
        outstanding=outstanding,
        on=day,
    )


def _act_date(case: Case, today: datetime.date) -> datetime.date | None:
    """The day whose rules apply (行政处罚法 Art.37): the end of the act; for an act that still
    continues, today (a continuing act is committed until it ends); None when no date is known."""
    if case.act_ended_on is not None:
        return case.act_ended_on
    if case.act_started_on is not None:
        return today
    return None


def case_discretion_evaluate(*, case: Case, act_date: datetime.date, today: datetime.date) -> Any:
    """The catalog's discretion evaluation of the case facts for `act_date` (raises DomainError
    when the catalog cannot evaluate them); asked once per page (cases.memo)."""
    from catalog.services import discretion_evaluate

    def compute() -> tuple[Any, DomainError | None]:
        try:
            return (
                discretion_evaluate(
                    agency=case.agency,
                    act_date=act_date,
                    facts=case.facts,
                    violation_code=case.violation_code,
                    today=today,
                ),
                None,
            )
        except DomainError as exc:
            return None, exc

    evaluation, error = memoised(("discretion", case.pk, case.violation_code, act_date, today), compute)
    if error is not None:
        raise error
    return evaluation


@dataclass
class DiscretionExplanation:
    """The case page's read-only account of the discretion standard applied to the case facts."""

    available: bool
    problem: str = ""
    act_date: datetime.date | None = None
    code: str = ""
    violation_name: str = ""
    version: int | None = None
    effective_from: datetime.date | None = None
    act_date_version: int | None = None
    tier: str = ""
    range_min: Decimal | None = None
    range_max: Decimal | None = None
    recommended: Decimal | None = None
    outcome: str = ""
    mitigations: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    comparisons: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _compare(label: str, amount: Decimal | None, ex: DiscretionExplanation) -> dict[str, Any] | None:
    if amount is None:
        return None
    if ex.range_min is not None and amount < ex.range_min:
        position = "below_range"
    elif ex.range_max is not None and amount > ex.range_max:
        position = "above_range"
    elif ex.range_min is not None:
        position = "within_range"
    else:
        position = "no_range"
    difference = amount - ex.recommended if ex.recommended is not None else None
    return {"which": label, "amount": amount, "position": position, "difference": difference}


def discretion_explanation(*, case: Case, today: datetime.date | None = None) -> DiscretionExplanation:
    """The catalog's discretion standard applied to the case facts (catalog.services.discretion_evaluate):
    version chosen per 行政处罚法 Art.37, tier, range, recommended amount, Art.32 mitigations and
    Art.33 exemptions, and the proposed / decided amounts compared with the recommendation."""
    day = today or timezone.localdate()
    if not case.violation_code:
        return DiscretionExplanation(
            available=False,
            problem=_("Choose the violation (discretion standard) in the case facts to see the discretion."),
        )
    act_date = _act_date(case, day)
    if act_date is None:
        return DiscretionExplanation(
            available=False,
            code=case.violation_code,
            problem=_("Enter the date the act started (and ended, unless it continues) in the case facts."),
        )
    try:
        evaluation = case_discretion_evaluate(case=case, act_date=act_date, today=day)
    except DomainError as exc:
        return DiscretionExplanation(
            available=False, code=case.violation_code, act_date=act_date, problem=str(exc.message)
        )
    standard = evaluation.standard
    ex = DiscretionExplanation(
        available=True,
        act_date=act_date,
        code=standard.code,
        violation_name=standard.violation_name,
        version=standard.version,
        effective_from=standard.effective_from,
        act_date_version=getattr(evaluation.act_date_standard, "version", None),
        tier=evaluation.tier.name if evaluation.tier is not None else "",
        range_min=evaluation.range_min,
        range_max=evaluation.range_max,
        recommended=evaluation.recommended,
        outcome=evaluation.outcome,
        mitigations=list(evaluation.mitigations),
        reasons=[str(r) for r in evaluation.reasons],
    )
    for label, amount in (
        ("proposed", case.proposed_amount),
        ("notified", case.notified_amount),
        ("decided", case.decided_amount),
    ):
        row = _compare(label, amount, ex)
        if row is not None:
            ex.comparisons.append(row)
    return ex


REVIEW_KINDS = ("legal_review", "deliberation", "risk_assessment")
REVIEW_DONE = ("passed", "concluded", "approved")


def case_decision_requirements(*, case: Case, proposed: dict[str, Any], on: datetime.date) -> list[Any]:
    """What the catalog requires (legal review, deliberation, risk assessment, hearing) for the
    decision `proposed` (cases.workflow.guards.proposed_for_catalog); asked once per page."""
    from catalog.services import decision_requirements

    key = ("requirements", case.pk, on, json.dumps(proposed, sort_keys=True, default=str))
    return memoised(key, lambda: list(decision_requirements(agency=case.agency, proposed=proposed, on=on)))


def review_steps(*, case: Case, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """For legal review, collective deliberation and risk assessment: required by the catalog for
    the decision as it stands (the rule and its basis), and the review app's status."""
    from cases.workflow.guards import proposed_for_catalog, review_status

    day = today or timezone.localdate()
    try:
        found = case_decision_requirements(case=case, proposed=proposed_for_catalog(case, {}), on=day)
    except DomainError:
        found = []
    out = []
    for kind in REVIEW_KINDS:
        req = next((r for r in found if r.kind == kind), None)
        status = review_status(kind, case.pk)
        out.append(
            {
                "kind": kind,
                "required": req is not None,
                "rule": (getattr(req.rule, "name", "") or req.basis) if req is not None else "",
                "basis": req.basis if req is not None else "",
                "status": status,
                "done": status in REVIEW_DONE,
            }
        )
    return out


# ---------------------------------------------------------------- the officer's to-do list and the case list

DUE_SOON_DAYS = 7  # a deadline of one's cases within this many days is listed as due soon
FINISHED = ("closed", "archived")  # cases whose procedure has ended (CaseStatus.CLOSED, ARCHIVED)
RUNNING_DEADLINE = (Deadline.Status.OPEN, Deadline.Status.DUE_SOON, Deadline.Status.OVERDUE)


def _mine(actor: Any) -> Exists:
    return Exists(
        CaseOfficer.objects.filter(
            case=OuterRef("pk"), officer__user_id=getattr(actor, "pk", None) or 0, active=True
        )
    )


def _case_deadlines_q(today: datetime.date, *, overdue_only: bool) -> QuerySet[Deadline]:
    """Running deadlines of a case (joined on the outer case's pk): overdue, or due within DUE_SOON_DAYS.
    Overdue by the date too, so a deadline is listed before the nightly scan marked it."""
    overdue = Q(status=Deadline.Status.OVERDUE) | Q(due_date__lt=today)
    cond = (
        overdue
        if overdue_only
        else overdue
        | Q(status=Deadline.Status.DUE_SOON)
        | Q(due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
    )
    return Deadline.objects.filter(
        cond,
        subject_type=ContentType.objects.get_for_model(Case),
        subject_id=Cast(OuterRef("pk"), CharField()),
        status__in=RUNNING_DEADLINE,
    )


def cases_filtered(
    *,
    actor: Any,
    q: str = "",
    status: str = "",
    procedure: str = "",
    mine: bool = False,
    overdue: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Case]:
    """The case list: visible cases filtered by status, procedure, "my cases only" (an active case
    officer), "overdue only" (a running deadline past its due date); `q` searches the case number,
    the title, the lead's description and the parties' names; newest first. Rows are not annotated
    with "mine": on PostgreSQL that EXISTS becomes a hashed subplan over all the officer's case
    assignments (85–150 ms at 1M cases); mark a page's rows with `mine_among` instead."""
    day = today or timezone.localdate()
    qs = visible_cases(actor)
    if status:
        qs = qs.filter(status=status)
    if procedure:
        qs = qs.filter(procedure=procedure)
    if mine:
        qs = qs.filter(_mine(actor))
    if overdue:
        qs = qs.filter(Exists(_case_deadlines_q(day, overdue_only=True)))
    q = (q or "").strip()
    if q:
        party = Party.objects.filter(case=OuterRef("pk"), name__icontains=q)
        qs = qs.filter(
            Q(case_number__icontains=q)
            | Q(title__icontains=q)
            | Q(lead__description__icontains=q)
            | Exists(party)
        )
    return qs.order_by("-pk")


def mine_among(*, actor: Any, case_ids: list[int]) -> set[int]:
    """Which of these cases the actor handles (an active case officer): one indexed query."""
    return set(
        CaseOfficer.objects.filter(
            case_id__in=case_ids, officer__user_id=getattr(actor, "pk", None) or 0, active=True
        ).values_list("case_id", flat=True)
    )


def my_cases(*, actor: Any) -> QuerySet[Case]:
    """我的案件: the visible cases in which `actor` is an active case officer and whose procedure has
    not ended (closed or archived), the most recently changed first."""
    return (
        visible_cases(actor).filter(_mine(actor)).exclude(status__in=FINISHED).order_by("-updated_at", "-pk")
    )


def my_deadlines(*, actor: Any, today: datetime.date | None = None) -> QuerySet[Deadline]:
    """What is due soon and overdue in my cases: running deadlines of `my_cases` that are overdue
    (by status or date) or due within DUE_SOON_DAYS, each annotated with its case (`case_pk`,
    `case_number`) and `overdue`; the oldest due date first."""
    day = today or timezone.localdate()
    mine = my_cases(actor=actor).annotate(sid=Cast("pk", CharField())).values("sid")
    case = Case.objects.filter(pk=Cast(OuterRef("subject_id"), BigIntegerField()))
    overdue = Q(status=Deadline.Status.OVERDUE) | Q(due_date__lt=day)
    return (
        Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(Case),
            subject_id__in=mine,
            status__in=RUNNING_DEADLINE,
        )
        .filter(
            overdue
            | Q(status=Deadline.Status.DUE_SOON)
            | Q(due_date__lte=day + datetime.timedelta(days=DUE_SOON_DAYS))
        )
        .annotate(
            case_pk=Subquery(case.values("pk")[:1]),
            case_number=Subquery(case.values("case_number")[:1]),
            case_title=Subquery(case.values("title")[:1]),
            overdue=ExpressionWrapper(overdue, output_field=BooleanField()),
        )
        .order_by("due_date", "pk")
    )


def case_documents(*, case: Case, actor: Any) -> list[Any]:
    """The official documents issued for the case (documents app), oldest first, scoped to the actor:
    what the case page lists with number, kind, date and a link to the PDF."""
    from documents.selectors import subject_document_list

    return subject_document_list(actor=actor, subject_type="cases.case", subject_id=case.pk)


# --- hooks for the reminders and follow-up apps (issue 8 §2, §4) -------------------------------


def case_party_contact(case_id: int) -> dict[str, str]:
    """The first party's contact for reminders of the case's deadlines (no login, no scoping: the
    caller is the system's reminder job): name, phone, address, and the number the party knows
    (decision number, else case number). Parties have no e-mail address in the case file."""
    case = Case.objects.filter(pk=case_id).only("case_number", "decision_number").first()
    party = Party.objects.filter(case_id=case_id).order_by("pk").first()
    if case is None or party is None:
        return {}
    return {
        "name": party.name,
        "email": "",
        "phone": party.phone,
        "address": party.address,
        "number": case.decision_number or case.case_number,
    }


def cases_closed_between(*, start: datetime.date, end: datetime.date) -> list[dict[str, Any]]:
    """Cases closed on a day in [start, end] (system read for the follow-up job): id, agency,
    closed_on, number, the first party's name/phone/address and the lead officer's user id."""
    rows = (
        Case.objects.filter(status__in=["closed", "archived"], closed_on__gte=start, closed_on__lte=end)
        .order_by("pk")
        .values("pk", "agency_id", "closed_on", "case_number", "decision_number", "title")
    )
    result = []
    for row in rows:
        party = Party.objects.filter(case_id=row["pk"]).order_by("pk").first()
        lead = (
            CaseOfficer.objects.filter(case_id=row["pk"], active=True)
            .order_by("-role", "pk")  # "lead" sorts after "assistant"
            .values_list("officer__user_id", flat=True)
            .first()
        )
        result.append(
            {
                "case_id": row["pk"],
                "agency_id": row["agency_id"],
                "closed_on": row["closed_on"],
                "number": row["decision_number"] or row["case_number"],
                "title": row["title"],
                "party_name": party.name if party else "",
                "party_phone": party.phone if party else "",
                "party_address": party.address if party else "",
                "officer_user_id": lead,
            }
        )
    return result
