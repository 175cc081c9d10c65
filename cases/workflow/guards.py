"""Guards and helpers shared by the procedures. Each guard returns a Violation naming its rule, or None."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from cases.documents import active_case_officers
from cases.memo import memoised
from cases.models import (
    PENALTY_ORDER,
    Case,
    CaseOfficer,
    PartyType,
    PenaltyKind,
    ProposedOutcome,
    RecusalOutcome,
)
from cases.selectors import case_party_list, case_recusal_list, legal_setting, legal_setting_int
from cases.workflow.engine import Context, Guard, Violation
from core.errors import ValidationFailed
from core.services.calendar import add_workdays, months_later
from org.roles import Role
from org.selectors import is_unrestricted, officer_for, officers_may_investigate, roles_of

SQM_PER_MU = Decimal("10000") / Decimal("15")  # 1 亩 = 666.67 m²
MAX_AMOUNT = Decimal("1000000000")

# ---------------------------------------------------------------- request bodies


def parse_date(data: Mapping[str, Any], key: str, *, required: bool = True) -> datetime.date | None:
    raw = data.get(key)
    if raw in (None, ""):
        if required:
            raise ValidationFailed(
                _("Give the date “%(field)s”.") % {"field": key},
                field_errors={key: [_("This date is required.")]},
            )
        return None
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(str(raw))
    except ValueError:
        raise ValidationFailed(
            _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": raw},
            field_errors={key: [_("Enter a date as YYYY-MM-DD.")]},
        ) from None


def parse_money(data: Mapping[str, Any], key: str, *, required: bool = False) -> Decimal | None:
    raw = data.get(key)
    if raw in (None, ""):
        if required:
            raise ValidationFailed(
                _("Give the amount “%(field)s” in yuan.") % {"field": key},
                field_errors={key: [_("This amount is required.")]},
            )
        return None
    if isinstance(raw, float):
        raise ValidationFailed(
            _('Amounts are given as decimal strings such as "2000.00", never as floats.'),
            field_errors={key: [_('Enter the amount as a string, e.g. "2000.00".')]},
        )
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise ValidationFailed(
            _("“%(value)s” is not an amount in yuan.") % {"value": raw},
            field_errors={key: [_("Enter an amount in yuan, e.g. 2000.00.")]},
        ) from None
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        raise ValidationFailed(
            _("An amount is a non-negative number of yuan with at most two decimal places."),
            field_errors={key: [_("Enter an amount in yuan with at most two decimal places.")]},
        )
    return value.quantize(Decimal("0.01"))


def parse_kinds(data: Mapping[str, Any], key: str) -> list[str] | None:
    raw = data.get(key)
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or any(k not in PenaltyKind.values for k in raw):
        raise ValidationFailed(
            _("Penalty kinds are a list of: %(kinds)s.") % {"kinds": ", ".join(PenaltyKind.values)},
            field_errors={key: [_("Choose penalty kinds from the list.")]},
        )
    return sorted(set(raw), key=lambda k: PENALTY_ORDER[k])


def require_text(data: Mapping[str, Any], key: str) -> str:
    value = str(data.get(key) or "").strip()
    if not value:
        raise ValidationFailed(
            _("Give the “%(field)s”.") % {"field": key}, field_errors={key: [_("This field is required.")]}
        )
    return value


# ---------------------------------------------------------------- who acts


def is_head(ctx: Context) -> bool:
    if is_unrestricted(ctx.actor):
        return True
    officer = officer_for(ctx.actor)
    return bool(officer and officer.agency_id == ctx.case.agency_id and Role.HEAD in roles_of(user=ctx.actor))


def head_required(basis: str) -> Guard:
    def head(ctx: Context) -> Violation | None:
        if is_head(ctx):
            return None
        return Violation("head_required", _("Only the head of the agency may approve this act."), basis)

    head.__name__ = "head"
    return head


def handler(ctx: Context) -> Violation | None:
    """The actor is an officer assigned to the case (or the head)."""
    if is_head(ctx):
        return None
    officer = officer_for(ctx.actor)
    if officer and any(co.officer_id == officer.pk for co in active_case_officers(ctx.case)):
        return None
    return Violation(
        "not_case_officer",
        _("Only an officer assigned to this case (or the head) may do this."),
        ("行政处罚法 Art.42"),
    )


def agency_officer(ctx: Context) -> Violation | None:
    """Any officer of the agency (a lead has no assigned officers yet)."""
    if is_unrestricted(ctx.actor):
        return None
    officer = officer_for(ctx.actor)
    if officer and officer.agency_id == ctx.case.agency_id:
        return None
    return Violation(
        "not_agency_officer", _("Only an officer of the agency may do this."), ("行政处罚法 Art.42")
    )


# ---------------------------------------------------------------- registration


def limitation_end(case: Case) -> datetime.date | None:
    """The last day on which the act can still be discovered (行政处罚法 Art.36); None = continuing."""
    if case.act_ended_on is None:
        return None
    extended = bool(case.facts.get("limitation_extended"))
    years = (
        legal_setting_int("cases.limitation_years_extended", 5)
        if extended
        else legal_setting_int("cases.limitation_years", 2)
    )
    return months_later(case.act_ended_on, 12 * years)


def not_time_barred(ctx: Context) -> Violation | None:
    case = ctx.case
    if case.act_started_on is None:
        return Violation(
            "act_date_unknown",
            _(
                "Record when the act began (and when it ended, unless it continues) before 立案: "
                "the limitation period runs from it."
            ),
            ("行政处罚法 Art.36"),
        )
    end = limitation_end(case)
    if end is not None and case.lead.discovered_on > end:
        return Violation(
            "time_barred",
            _(
                "The act ended on %(ended)s and was discovered on %(found)s, after the limitation period "
                "ended on %(end)s: no penalty may be imposed."
            )
            % {"ended": case.act_ended_on, "found": case.lead.discovered_on, "end": end},
            ("行政处罚法 Art.36"),
        )
    return None


def party_types(case: Case) -> set[str]:
    """The kinds of the case's parties (natural person, organisation…); asked once per page."""
    return {p.party_type for p in case_party_list(case)}


def party_identified(ctx: Context) -> Violation | None:
    if party_types(ctx.case):
        return None
    return Violation(
        "no_party",
        _("Record at least one party with an identity number: 立案 needs an identifiable actor."),
        ("自然资源行政处罚办法 立案条件"),
    )


# ---------------------------------------------------------------- investigation


def two_certified_officers(ctx: Context) -> Violation | None:
    def check() -> Any:
        officers = [co.officer for co in active_case_officers(ctx.case)]
        return officers_may_investigate(officers=officers, field_code=ctx.case.field_code, on=ctx.today)

    verdict = memoised(("may_investigate", ctx.case.pk, ctx.case.field_code, ctx.today), check)
    if verdict.allowed:
        return None
    return Violation("officers_not_certified", verdict.reason, ("行政处罚法 Arts.42, 55"))


def no_pending_recusal(ctx: Context) -> Violation | None:
    pending = sum(1 for r in case_recusal_list(ctx.case) if r.outcome == RecusalOutcome.PENDING)
    if not pending:
        return None
    return Violation(
        "recusal_pending",
        _(
            "%(count)d recusal application(s) await the head's decision; investigation acts "
            "wait until it is decided."
        )
        % {"count": pending},
        ("行政处罚法 Art.43"),
    )


# ---------------------------------------------------------------- notice, statement, hearing


def proposes_penalty(ctx: Context) -> Violation | None:
    if ctx.case.proposed_outcome == ProposedOutcome.PENALTY and ctx.case.proposed_kinds:
        return None
    return Violation(
        "no_proposed_penalty",
        _("The investigation report must propose a penalty before the party is notified of it."),
        ("行政处罚法 Art.44"),
    )


def proposes_no_penalty(ctx: Context) -> Violation | None:
    if (ctx.data.get("outcome") or ctx.case.proposed_outcome) in (
        ProposedOutcome.NO_PENALTY_MINOR,
        ProposedOutcome.FIRST_VIOLATION,
        ProposedOutcome.NO_PENALTY_FACTS,
    ):
        return None
    return Violation(
        "no_penalty_not_proposed",
        _(
            "The investigation report must propose no penalty (minor, first violation or facts "
            "not established) for a no-penalty decision."
        ),
        ("行政处罚法 Arts.33, 57"),
    )


def notice_delivered(ctx: Context) -> Violation | None:
    if ctx.case.notice_delivered_on and ctx.case.notified_kinds:
        return None
    return Violation(
        "no_notice",
        _(
            "Notify the party of the proposed penalty, its facts, reasons, basis and "
            "rights (事先告知) before deciding."
        ),
        ("行政处罚法 Art.44"),
    )


def statement_window_end(case: Case) -> datetime.date | None:
    if case.notice_delivered_on is None:
        return None
    days = legal_setting_int("cases.statement_window_workdays", 5)
    return add_workdays(case.notice_delivered_on, days).date


def statement_heard(ctx: Context) -> Violation | None:
    """The statement window elapsed, or the party's statement was recorded (Art.45)."""
    case = ctx.case
    if case.notice_delivered_on is None:
        return None  # notice_delivered reports it
    if case.statement.get("received_on") or case.statement.get("waived"):
        return None
    end = statement_window_end(case)
    if end is not None and ctx.today > end:
        return None
    return Violation(
        "statement_window_open",
        _(
            "The party may state and defend until %(end)s; decide after that day or once the "
            "statement is recorded."
        )
        % {"end": end},
        ("行政处罚法 Art.45"),
    )


def statement_answered(ctx: Context) -> Violation | None:
    points = ctx.case.statement.get("points") or []
    missing = [i + 1 for i, p in enumerate(points) if not str(p.get("response") or "").strip()]
    if not missing:
        return None
    return Violation(
        "statement_unanswered",
        _("Answer every point of the party's statement and defence (points %(points)s are unanswered).")
        % {"points": ", ".join(map(str, missing))},
        ("行政处罚法 Art.45"),
    )


def heavier(
    kinds: list[str], amount: Decimal | None, than_kinds: list[str], than_amount: Decimal | None
) -> str:
    """'' when (kinds, amount) is not heavier than (than_kinds, than_amount); else what is heavier."""
    new = [k for k in kinds if k not in than_kinds]
    top = max((PENALTY_ORDER[k] for k in kinds), default=-1)
    than_top = max((PENALTY_ORDER[k] for k in than_kinds), default=-1)
    if top > than_top or new:
        return "kind"
    if PenaltyKind.FINE in kinds and (amount or 0) > (than_amount or 0):
        return "amount"
    return ""


def decision_not_heavier(ctx: Context) -> Violation | None:
    case = ctx.case
    kinds = ctx.data.get("kinds") or case.proposed_kinds
    amount = ctx.data.get("amount", case.proposed_amount)
    if not case.notified_kinds:
        return None
    what = heavier(list(kinds), amount, list(case.notified_kinds), case.notified_amount)
    if not what:
        return None
    if what == "kind":
        msg = _(
            "The penalty (%(kinds)s) is heavier than or different from the one notified (%(notified)s): "
            "a new notice and a new statement window are needed."
        )
    else:
        msg = _(
            "The fine %(amount)s exceeds the notified %(notified_amount)s yuan: a new notice and a new "
            "statement window are needed."
        )
    return Violation(
        "heavier_than_notified",
        msg
        % {
            "kinds": "、".join(str(PenaltyKind(k).label) for k in kinds),
            "notified": "、".join(str(PenaltyKind(k).label) for k in case.notified_kinds),
            "amount": amount,
            "notified_amount": case.notified_amount,
        },
        ("行政处罚法 Art.45"),
    )


def hearing_request_end(case: Case) -> datetime.date | None:
    if case.notice_delivered_on is None:
        return None
    return add_workdays(case.notice_delivered_on, legal_setting_int("cases.hearing_request_workdays", 5)).date


def hearing_request_in_time(ctx: Context) -> Violation | None:
    end = hearing_request_end(ctx.case)
    on = ctx.data.get("requested_on") or ctx.today
    if end is None or on <= end:
        return None
    return Violation(
        "hearing_request_late",
        _(
            "A hearing must be requested within 5 working days of the notice (by %(end)s); this "
            "request came on %(on)s."
        )
        % {"end": end, "on": on},
        ("行政处罚法 Art.64(一)"),
    )


def hearing_window_closed(ctx: Context) -> Violation | None:
    """Where the party has a hearing right, no decision before the request window ended (Art.64)."""
    case = ctx.case
    if case.hearing_requested_on or case.statement.get("hearing_waived") or not hearing_right(ctx):
        return None
    end = hearing_request_end(case)
    if end is None or ctx.today > end:
        return None
    return Violation(
        "hearing_window_open",
        _("The party may request a hearing until %(end)s; decide after that day or once the party waived it.")
        % {"end": end},
        ("行政处罚法 Art.64(一)"),
    )


def hearing_notice_in_time(ctx: Context) -> Violation | None:
    date, notice_on = ctx.data.get("hearing_date"), ctx.data.get("notice_on")
    if ctx.preview or date is None or notice_on is None:
        return None
    need = legal_setting_int("cases.hearing_notice_min_workdays", 7)
    if add_workdays(notice_on, need).date <= date:
        return None
    return Violation(
        "hearing_notice_late",
        _(
            "The party must be told of the hearing at least %(days)d working days before it; "
            "notice on %(notice)s allows a hearing on %(earliest)s at the earliest."
        )
        % {"days": need, "notice": notice_on, "earliest": add_workdays(notice_on, need).date},
        ("行政处罚法 Art.64(二)"),
    )


def chair_not_investigator(ctx: Context) -> Violation | None:
    chair = ctx.data.get("chair")
    if ctx.preview or chair is None:
        return None
    if CaseOfficer.objects.filter(case=ctx.case, officer=chair).exists():
        return Violation(
            "chair_investigated",
            _("%(name)s investigated this case and may not chair its hearing.") % {"name": chair.name},
            ("行政处罚法 Art.64(四)"),
        )
    if chair.agency_id != ctx.case.agency_id:
        return Violation(
            "chair_other_agency",
            _("The hearing chair must be an officer of the agency."),
            ("行政处罚法 Art.64(四)"),
        )
    return None


# ---------------------------------------------------------------- requirements (review app)


def party_kind(case: Case) -> str:
    types = party_types(case)
    if not types:
        return ""
    return "individual" if types == {PartyType.NATURAL} else "organisation"


def proposed_for_catalog(case: Case, data: Mapping[str, Any]) -> dict[str, Any]:
    kinds = list(data.get("kinds") or case.decided_kinds or case.proposed_kinds or [])
    amount = data.get("amount", case.decided_amount if case.decided_kinds else case.proposed_amount)
    facts = case.facts
    return {
        "party_kind": party_kind(case),
        "fine": str(amount or 0) if PenaltyKind.FINE in kinds else "0",
        "confiscation_value": str(facts.get("confiscation_value") or 0),
        "revokes_licence": PenaltyKind.REVOCATION in kinds,
        "stops_production": PenaltyKind.STOP_PRODUCTION in kinds,
        "demolition": PenaltyKind.DEMOLITION in kinds,
        "confiscates_buildings": PenaltyKind.CONFISCATION in kinds and bool(facts.get("buildings")),
        "hearing_held": bool(case.hearing_record.get("held_on") and case.hearing_record.get("attended")),
        "major_rights": bool(facts.get("major_rights")),
        "major_public_interest": bool(facts.get("major_public_interest")),
        "complex_case": bool(facts.get("complex_case")),
    }


def crime_threshold_mu(case: Case) -> Decimal | None:
    """The 亩 threshold crossed by the case's land facts, or None (刑法 Art.342)."""
    try:
        area = Decimal(str(case.facts.get("area_m2") or 0))
    except InvalidOperation:
        return None
    thresholds = legal_setting("cases.crime_transfer_mu", {"basic_farmland": 5, "farmland": 10, "other": 20})
    land_class = str(case.facts.get("land_class") or "other")
    key = land_class if land_class in thresholds else "other"
    limit = Decimal(str(thresholds.get(key, 20)))
    return limit if area / SQM_PER_MU >= limit else None


def crime_transfer_decided(ctx: Context) -> Violation | None:
    limit = crime_threshold_mu(ctx.case)
    decided = ctx.case.crime_transfer.get("decision") or (ctx.data.get("crime_transfer") or {}).get(
        "decision"
    )
    if limit is None or decided:
        return None
    return Violation(
        "crime_transfer_undecided",
        _(
            "The land occupied reaches %(mu)s 亩, the threshold for a suspected crime: decide on "
            "transfer to the public security organ (and record why not) first."
        )
        % {"mu": limit},
        ("行政处罚法 Art.27; 刑法 Art.342"),
    )


def requirements(ctx: Context) -> list[Any]:
    """What the catalog requires for the decision as it now stands (re-evaluated at every act)."""
    if "_requirements" not in ctx.notes:
        from cases.selectors import case_decision_requirements

        ctx.notes["_requirements"] = case_decision_requirements(
            case=ctx.case, proposed=proposed_for_catalog(ctx.case, ctx.data), on=ctx.today
        )
    return list(ctx.notes["_requirements"])


def requirement(ctx: Context, kind: str) -> Any | None:
    return next((r for r in requirements(ctx) if r.kind == kind), None)


HEAVY_KINDS = {
    PenaltyKind.SUSPENSION,
    PenaltyKind.REVOCATION,
    PenaltyKind.STOP_PRODUCTION,
    PenaltyKind.DEMOLITION,
}


def hearing_right(ctx: Context) -> bool:
    """Art.63: the party may request a hearing (catalog rule, or a heavy kind of penalty)."""
    kinds = set(ctx.case.notified_kinds or ctx.case.proposed_kinds or [])
    return bool(kinds & HEAVY_KINDS) or requirement(ctx, "hearing_notice") is not None


def hearing_right_exists(ctx: Context) -> Violation | None:
    if hearing_right(ctx):
        return None
    return Violation(
        "no_hearing_right",
        _(
            "The proposed penalty does not carry a right to a hearing (large fines, confiscation of "
            "large value, revocation, stopping production, demolition and other heavy penalties do)."
        ),
        ("行政处罚法 Art.63"),
    )


def review_status(kind: str, case_id: int) -> str:
    """Ask the review app (`review.selectors.review_statuses`, all three kinds in one query);
    "none" while it does not exist."""
    return str(memoised(("review_statuses", case_id), lambda: _review_statuses(case_id)).get(kind, "none"))


def _review_statuses(case_id: int) -> dict[str, str]:
    try:
        from review import selectors as review_selectors  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return {}
    return dict(review_selectors.review_statuses(case_id=case_id))


REVIEW_STEPS = {
    # catalog requirement kind → (review selector prefix, violation code, message)
    "legal_review": ("legal_review", "legal_review_required"),
    "deliberation": ("deliberation", "deliberation_required"),
    "risk_assessment": ("risk_assessment", "risk_assessment_required"),
}


def review_passed(kind: str) -> Guard:
    """Required by the catalog ⇒ the review app reports it passed (or concluded)."""
    selector, code = REVIEW_STEPS[kind]

    def guard(ctx: Context) -> Violation | None:
        req = requirement(ctx, kind)
        if req is None:
            return None
        status = review_status(selector, ctx.case.pk)
        if status in ("passed", "concluded", "approved"):
            return None
        messages = {
            "legal_review": _(
                "This decision needs legal review (法制审核) under rule “%(rule)s”; the review "
                "is %(status)s. It must pass before the decision."
            ),
            "deliberation": _(
                "This decision needs collective deliberation (集体讨论) under rule “%(rule)s”; "
                "it is %(status)s. It must conclude before the decision."
            ),
            "risk_assessment": _(
                "This decision needs a risk assessment (风险评估) under rule “%(rule)s”; it "
                "is %(status)s. It must be completed before the decision."
            ),
        }
        labels = {
            "none": _("not started"),
            "pending": _("pending"),
            "returned": _("returned for correction"),
            "not_passed": _("not passed"),
        }
        return Violation(
            code,
            messages[kind]
            % {"rule": getattr(req.rule, "name", "") or req.basis, "status": labels.get(status, status)},
            req.basis or (("行政处罚法 Art.58") if kind == "legal_review" else ("行政处罚法 Art.57")),
        )

    guard.__name__ = f"{kind}_passed"
    return guard


# ---------------------------------------------------------------- 立案 time limit (a warning)

REGISTRATION_DEADLINE = "cases.registration"


def registration_late(ctx: Context) -> Violation | None:
    """立案 after the configured time limit from discovery: allowed, flagged with the overdue
    deadline (a time limit on the agency, not a bar; LEGAL.md §5 [U], 行政处罚法 Art.54)."""
    from cases.selectors import case_deadline_list

    # the case's deadlines as the page has them already (one read for the panel and the guards)
    started = [d for d in case_deadline_list(ctx.case) if d.kind == REGISTRATION_DEADLINE]
    dl = max(started, key=lambda d: d.pk, default=None)
    if dl is None or dl.status in ("satisfied", "cancelled"):
        return None
    on = ctx.data.get("registered_on") or ctx.today
    if on <= dl.due_date:
        return None
    return Violation(
        "registration_late",
        _(
            "立案 is late: the lead was discovered on %(found)s and the time limit for 立案 ended on "
            "%(due)s (%(days)d working days). The case may still be registered; the delay is recorded."
        )
        % {"found": ctx.case.lead.discovered_on, "due": dl.due_date, "days": dl.amount},
        ("自然资源行政处罚办法 立案期限 [U]; 行政处罚法 Art.54"),
    )


# ---------------------------------------------------------------- discretion (裁量基准)


def discretion_act_date(case: Case, today: datetime.date) -> datetime.date | None:
    """The day whose standard applies (行政处罚法 Art.37): the end of the act, today while it continues."""
    if case.act_ended_on is not None:
        return case.act_ended_on
    return today if case.act_started_on is not None else None


def discretion_evaluation(ctx: Context) -> Any:
    """The catalog's evaluation of the case facts, or None when the case names no standard or the
    catalog cannot evaluate it (then only the statutory checks of the catalog apply)."""
    if "_discretion" not in ctx.notes:
        from cases.selectors import case_discretion_evaluate
        from core.errors import DomainError

        evaluation = None
        act_date = discretion_act_date(ctx.case, ctx.today)
        if ctx.case.violation_code and act_date is not None:
            try:
                evaluation = case_discretion_evaluate(
                    case=ctx.case, act_date=min(act_date, ctx.today), today=ctx.today
                )
            except DomainError:
                evaluation = None
        ctx.notes["_discretion"] = evaluation
    return ctx.notes["_discretion"]


def statutory_maximum(ctx: Context) -> Decimal | None:
    """The statutory maximum fine in yuan for the case facts (the standard's 法定上限 × its base)."""
    from catalog.services.discretion import parse_facts
    from catalog.services.tiers import TierSpec, amount_range
    from core.errors import DomainError

    evaluation = discretion_evaluation(ctx)
    standard = getattr(evaluation, "standard", None)
    if standard is None or standard.legal_max is None or not standard.legal_kind:
        return None
    spec = TierSpec(
        name="法定",
        order=0,
        land_classes=(),
        range_min=Decimal(0),
        range_max=None,
        penalty_kind=standard.legal_kind,
        penalty_min=standard.legal_min or Decimal(0),
        penalty_max=standard.legal_max,
    )
    try:
        result = amount_range(spec, parse_facts(ctx.case.facts))
    except DomainError:
        return None
    return result[1] if isinstance(result, tuple) else None


def _fine_under_discretion(ctx: Context) -> Decimal | None:
    """The fine the act would set: the body's, else the case's (proposed, or decided)."""
    case = ctx.case
    if ctx.action == "report":
        kinds, amount = ctx.data.get("kinds") or [], ctx.data.get("amount")
    else:
        kinds = ctx.data.get("kinds") or case.proposed_kinds or []
        amount = ctx.data.get("amount", case.proposed_amount)
    return amount if PenaltyKind.FINE in kinds else None


def amount_within_statutory_maximum(ctx: Context) -> Violation | None:
    amount = _fine_under_discretion(ctx)
    if amount is None:
        return None
    top = statutory_maximum(ctx)
    if top is None or amount <= top:
        return None
    standard = discretion_evaluation(ctx).standard
    return Violation(
        "amount_above_statutory_maximum",
        _(
            "The fine of %(amount)s yuan exceeds the statutory maximum of %(max)s yuan for these facts "
            "(%(violation)s); no discretion allows it."
        )
        % {"amount": amount, "max": top, "violation": standard.violation_name},
        standard.basis or ("行政处罚法 Arts.4, 38"),
    )


def amount_reason_given(ctx: Context) -> Violation | None:
    """An amount outside the range the discretion standard gives for the facts needs a written
    reason (`amount_reason`), shown to the reviewer and the head (行政处罚法 Art.34)."""
    amount = _fine_under_discretion(ctx)
    if amount is None:
        return None
    evaluation = discretion_evaluation(ctx)
    low, high = getattr(evaluation, "range_min", None), getattr(evaluation, "range_max", None)
    if low is None or high is None or low <= amount <= high:
        return None
    reason = str(ctx.data.get("amount_reason") or ctx.case.amount_reason or "").strip()
    if reason:
        return None
    return Violation(
        "amount_reason_required",
        _(
            "The fine of %(amount)s yuan lies outside the range %(low)s–%(high)s yuan that the discretion "
            "standard “%(standard)s” (tier %(tier)s) gives for these facts: give the reason in writing "
            "(amount_reason)."
        )
        % {
            "amount": amount,
            "low": low,
            "high": high,
            "standard": evaluation.standard.violation_name,
            "tier": getattr(evaluation.tier, "name", "—"),
        },
        ("行政处罚法 Art.34"),
    )


# ---------------------------------------------------------------- whole-process records (records app)

AV_BASIS = "国办发〔2018〕118号"


def av_recorded(ctx: Context) -> Violation | None:
    """A step that an audio-video rule (records.AvRule, "required") names is blocked until the
    recording is attached to that step (or to the record the rule names): 国办发〔2018〕118号 and
    the local implementing rules. The rules are data; `records.selectors.av_missing` applies them."""
    from records.selectors import av_missing, required_av_rules

    rules = memoised(("av_required_rules",), required_av_rules)
    if not any(rule.action == ctx.action for rule in rules):  # no required rule names this step
        return None
    data = None if ctx.preview else ctx.data
    missing = av_missing(case_id=ctx.case.pk, action=ctx.action, data=data, rules=rules)
    if not missing:
        return None
    return Violation("av_missing", "；".join(str(m) for m in missing), AV_BASIS)


def archive_package_built(ctx: Context) -> Violation | None:
    """归档 needs the case file's archive package, built after the last record or evidence change
    (records.selectors.archive_missing; 行政处罚法 Art.47 and the filing rules)."""
    from records.selectors import archive_missing

    missing = archive_missing(case_id=ctx.case.pk)
    if not missing:
        return None
    return Violation("archive_package_missing", "；".join(str(m) for m in missing), "行政处罚法 Art.47")


def with_every_step(workflow: Any, guard: Guard) -> Any:
    """`workflow` with `guard` appended to every transition (a rule that applies to each step)."""
    import dataclasses

    steps = [dataclasses.replace(t, guards=(*t.guards, guard)) for t in workflow.transitions]
    return dataclasses.replace(workflow, transitions=steps)
