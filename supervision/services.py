"""Writes of supervision. Keyword-only, with `actor`; each in one transaction with its ledger act.

督办 statuses change only through `_move` and ORDER_TRANSITIONS. A 督办's response deadline runs on
the core clock (`deadline_start`, working days) with the addressee responsible, so it appears in
their to-dos, raises alerts when due and overdue, and in the deadline watch itself.
"""

from __future__ import annotations

import datetime
import functools
import random
import secrets
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, ValidationFailed
from core.models import Deadline, LegalSetting
from core.services.clock import deadline_cancel, deadline_satisfy, deadline_start
from core.services.ledger import ledger_append
from core.services.numbering import number_take
from org import selectors as org_selectors
from supervision import checks, formula, metrics, policies, selectors
from supervision import documents as circulars
from supervision.models import (
    AssessmentResult,
    AssessmentRun,
    AutoReview,
    CaseReviewState,
    Consequence,
    ConsequenceKind,
    Direction,
    Indicator,
    Level,
    OrderKind,
    OrderStatus,
    ReviewSample,
    ReviewScore,
    ScoringSheet,
    SupervisionOrder,
    Target,
)

F = TypeVar("F", bound=Callable[..., Any])
S = OrderStatus
ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    S.ISSUED: frozenset({S.RESPONDED, S.WITHDRAWN}),
    S.RESPONDED: frozenset({S.ACCEPTED, S.REJECTED}),
    S.REJECTED: frozenset({S.RESPONDED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
ORDER_DEADLINE = "supervision.order"
ORDER_BASIS = "[U] 督办办理时限（督办单载明）"
MAX_WORKDAYS = 60
MAX_TEXT = 5000

# LegalSetting keys (seeded by migration 0002): agency policy from seed 003 (孟津县: 排名后三名诫勉谈话,
# 连续排名靠后调离执法岗位) — configuration, not law.
BOTTOM_N = ("supervision.bottom_n", 3)
# Whether an assessment run also issues the ranking as a 通报 (seeded off by migration 0005).
CIRCULAR = ("supervision.circular", False)
MAX_SHEET_TOTAL = 1000


def _checked(verb_obj: Callable[[dict[str, Any]], tuple[str, Any]]) -> Callable[[F], F]:
    """Check the policy before the act's transaction (so that a refusal's ledger entry, written in
    its own transaction, is not rolled back with the act), then run the act atomically."""

    def deco(fn: F) -> F:
        atomic_fn = transaction.atomic(fn)

        @functools.wraps(fn)
        def wrapper(**kwargs: Any) -> Any:
            verb, obj = verb_obj(kwargs)
            policies.ensure(kwargs.get("actor"), verb, obj)
            return atomic_fn(**kwargs)

        return wrapper  # type: ignore[return-value]

    return deco


def _status_label(status: str) -> str:
    return str(S(status).label)


def _move(
    order: SupervisionOrder, *, to: str, actor: Any, act: str, payload: dict[str, Any] | None = None
) -> None:
    """The only code that changes a 督办's status; refuses moves not in ORDER_TRANSITIONS."""
    if to not in ORDER_TRANSITIONS[order.status]:
        raise Conflict(
            _("A supervision order that is %(from)s cannot become %(to)s. Allowed next states: %(allowed)s.")
            % {
                "from": _status_label(order.status),
                "to": _status_label(to),
                "allowed": "、".join(_status_label(s) for s in sorted(ORDER_TRANSITIONS[order.status]))
                or _("none (the order is concluded)"),
            },
            code="order_transition_refused",
        )
    old = order.status
    order.status = to
    order.save()
    ledger_append(
        actor=actor,
        act=act,
        obj=order,
        agency_id=order.agency_id,
        payload={"from": old, "to": to, **(payload or {})},
    )


def _text(value: Any, field: str, message: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationFailed(message, field_errors={field: [message]})
    if len(text) > MAX_TEXT:
        too_long = _("At most %(n)d characters.") % {"n": MAX_TEXT}
        raise ValidationFailed(too_long, field_errors={field: [too_long]})
    return text


def _order_deadline(order: SupervisionOrder) -> Deadline | None:
    ct = ContentType.objects.get_for_model(SupervisionOrder)
    return (
        Deadline.objects.filter(subject_type=ct, subject_id=str(order.pk), kind=ORDER_DEADLINE)
        .exclude(status__in=[Deadline.Status.SATISFIED, Deadline.Status.CANCELLED])
        .first()
    )


def _start_order_deadline(order: SupervisionOrder, *, actor: Any, today: datetime.date) -> Deadline:
    deadline = deadline_start(
        actor=actor,
        subject=order,
        agency_id=order.agency_id,
        kind=ORDER_DEADLINE,
        title=_("Respond to %(kind)s %(number)s")
        % {"kind": order.get_kind_display(), "number": order.number},
        legal_basis=ORDER_BASIS,
        unit=Deadline.Unit.WORKDAYS,
        amount=order.workdays,
        start_date=today,
        responsible=order.addressee.user,
        today=today,
    )
    order.due_date = deadline.due_date
    order.save(update_fields=["due_date", "updated_at"])
    return deadline


@_checked(
    lambda k: (
        "return_for_correction" if k.get("kind") == OrderKind.CORRECTION else "issue_order",
        k["agency_id"],
    )
)
def order_issue(
    *,
    actor: Any,
    agency_id: int,
    addressee_id: int,
    requirement: str,
    workdays: int,
    case_id: int | None = None,
    deadline_id: int | None = None,
    kind: str = OrderKind.SUPERVISION,
    today: datetime.date | None = None,
) -> SupervisionOrder:
    """Issue a 督办 (or a return for correction) on a case or a deadline subject of `agency_id`."""
    policies.ensure(
        actor, "return_for_correction" if kind == OrderKind.CORRECTION else "issue_order", agency_id
    )
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    requirement = str(requirement or "").strip()
    if not requirement:
        errors["requirement"] = [_("Say what the addressee must do and report (the required response).")]
    elif len(requirement) > MAX_TEXT:
        errors["requirement"] = [_("At most %(n)d characters.") % {"n": MAX_TEXT}]
    if not isinstance(workdays, int) or not 1 <= workdays <= MAX_WORKDAYS:
        errors["workdays"] = [_("Give between 1 and %(n)d working days to respond.") % {"n": MAX_WORKDAYS}]
    addressee = (
        org_selectors.visible_officers(None).filter(pk=addressee_id, agency_id=agency_id, active=True).first()
    )
    if addressee is None:
        errors["addressee"] = [_("Choose an active officer of the agency supervised as the addressee.")]
    subject_label = ""
    if case_id is not None:
        case = selectors.case_of_agency(case_id=case_id, agency_id=agency_id)
        if case is None:
            errors["case_id"] = [_("Case %(id)s is not a case of this agency.") % {"id": case_id}]
        else:
            subject_label = _("case %(number)s") % {"number": case.case_number or f"#{case.pk}"}
    if deadline_id is not None:
        deadline = Deadline.objects.filter(pk=deadline_id, agency_id=agency_id).first()
        if deadline is None:
            errors["deadline_id"] = [
                _("Deadline %(id)s is not a deadline of this agency.") % {"id": deadline_id}
            ]
        else:
            subject_label = subject_label or deadline.title
            if case_id is None:
                case_id = selectors.case_id_of_deadline(deadline)
    if case_id is None and deadline_id is None:
        errors["case_id"] = [_("Name the case or the deadline the order is about.")]
    if errors:
        raise ValidationFailed(_("The order was not issued: correct the fields listed."), field_errors=errors)
    issuer = org_selectors.officer_for(actor)
    issuer_agency_id = issuer.agency_id if issuer is not None else agency_id
    order = SupervisionOrder(
        agency_id=agency_id,
        kind=kind,
        number=f"tmp-{secrets.token_hex(8)}",
        case_id=case_id,
        deadline_id=deadline_id,
        subject_label=subject_label[:200],
        requirement=requirement,
        workdays=workdays,
        due_date=today,
        addressee=addressee,
        issued_by=actor,
        issuer_agency_id=issuer_agency_id,
    )
    order.save()
    issued = number_take(agency_id=issuer_agency_id, kind=f"supervision_{kind}", obj=order, actor=actor)
    prefix = _("督办") if kind == OrderKind.SUPERVISION else _("评查整改")
    order.number = f"{prefix}{issued.number}"[:60]
    order.save(update_fields=["number"])
    ledger_append(
        actor=actor,
        act=f"supervision.{kind}_issue",
        obj=order,
        agency_id=agency_id,
        payload={
            "number": order.number,
            "case_id": case_id,
            "deadline_id": deadline_id,
            "addressee": addressee.pk,  # type: ignore[union-attr]
            "requirement": requirement,
            "workdays": workdays,
        },
    )
    _start_order_deadline(order, actor=actor, today=today)
    return order


def _locked(order: SupervisionOrder) -> SupervisionOrder:
    return SupervisionOrder.objects.select_for_update().select_related("addressee__user").get(pk=order.pk)


@_checked(lambda k: ("respond", k["order"]))
def order_respond(*, actor: Any, order: SupervisionOrder, response: str) -> SupervisionOrder:
    """The addressee's response; meets the order's deadline (late when after it)."""
    order = _locked(order)
    policies.ensure(actor, "respond", order)
    text = _text(response, "response", _("Write the response: what was done and its result."))
    order.response = text
    order.responded_by = actor
    order.responded_at = timezone.now()
    _move(order, to=S.RESPONDED, actor=actor, act="supervision.order_respond", payload={"response": text})
    deadline = _order_deadline(order)
    if deadline is not None:
        deadline_satisfy(actor=actor, deadline=deadline, by_act="supervision.order_respond")
    return order


@_checked(lambda k: ("conclude", k["order"]))
def order_conclude(
    *,
    actor: Any,
    order: SupervisionOrder,
    accepted: bool,
    conclusion: str,
    today: datetime.date | None = None,
) -> SupervisionOrder:
    """The issuer accepts the response, or rejects it (the addressee responds again, on a new deadline)."""
    order = _locked(order)
    policies.ensure(actor, "conclude", order)
    text = _text(conclusion, "conclusion", _("Write the conclusion on the response."))
    order.conclusion = text
    order.concluded_at = timezone.now()
    if accepted:
        _move(order, to=S.ACCEPTED, actor=actor, act="supervision.order_accept", payload={"conclusion": text})
    else:
        _move(order, to=S.REJECTED, actor=actor, act="supervision.order_reject", payload={"conclusion": text})
        _start_order_deadline(order, actor=actor, today=today or timezone.localdate())
    return order


@_checked(lambda k: ("conclude", k["order"]))
def order_withdraw(*, actor: Any, order: SupervisionOrder, reason: str) -> SupervisionOrder:
    order = _locked(order)
    policies.ensure(actor, "conclude", order)
    text = _text(reason, "reason", _("Give the reason for withdrawing the order."))
    _move(order, to=S.WITHDRAWN, actor=actor, act="supervision.order_withdraw", payload={"reason": text})
    deadline = _order_deadline(order)
    if deadline is not None:
        deadline_cancel(actor=actor, deadline=deadline, reason=text)
    return order


# --- automatic case-file review ---------------------------------------------------------------


def autoreview_case(*, actor: Any, case: Any) -> AutoReview:
    """Run every check on one closed case and store the findings (append-only)."""
    findings = checks.run_checks(case)
    lead = selectors.lead_officer(case_id=case.pk)
    row = AutoReview.objects.create(
        case_id=case.pk,
        agency_id=case.agency_id,
        officer_id=getattr(lead, "pk", None),
        department_id=getattr(lead, "department_id", None),
        case_number=case.case_number,
        closed_on=case.closed_on,
        findings=findings,
        failed=sum(1 for f in findings if not f["ok"]),
    )
    codes = [f["check"] for f in findings if not f["ok"]]
    CaseReviewState.objects.update_or_create(
        case_id=case.pk,
        defaults={
            "agency_id": case.agency_id,
            "department_id": row.department_id,
            "officer_id": row.officer_id,
            "closed_on": case.closed_on,
            "review": row,
            "failed": row.failed,
            "failed_codes": f" {' '.join(codes)} " if codes else "",
            "ran_at": row.ran_at,
        },
    )
    return row


@transaction.atomic
def autoreview_run(*, actor: Any, agency_id: int | None = None, limit: int = 500) -> int:
    """Check every closed case not checked since it last changed (idempotent: a second run with
    nothing new checks nothing). One summary ledger act per run, like the deadline scan."""
    cases = selectors.cases_to_autoreview(agency_id=agency_id)[:limit]
    done = []
    for case in cases:
        row = autoreview_case(actor=actor, case=case)
        done.append([case.pk, row.failed])
    if done:
        ledger_append(
            actor=actor,
            act="supervision.autoreview",
            object_type="supervision.autoreview",
            agency_id=agency_id,
            payload={"cases": len(done), "failed": [c for c in done if c[1]][:200]},
        )
    return len(done)


# --- scoring sheets, samples and reviewer scores ------------------------------------------------


def _clean_items(items: Any) -> list[dict[str, Any]]:
    errors: list[str] = []
    out: list[dict[str, Any]] = []
    codes: set[str] = set()
    if not isinstance(items, list) or not items:
        errors.append(_("A scoring sheet needs at least one item."))
        items = []
    for i, item in enumerate(items, 1):
        try:
            code = str(item["code"]).strip()
            title = str(item["title"]).strip()
            points = int(item["points"])
            deductions: list[dict[str, Any]] = [
                {"code": str(d["code"]).strip(), "label": str(d["label"]).strip(), "points": int(d["points"])}
                for d in item.get("deductions", [])
            ]
        except (KeyError, TypeError, ValueError):
            errors.append(
                _(
                    "Item %(i)d needs a code, a title, whole points and deductions with code, "
                    "label and points."
                )
                % {"i": i}
            )
            continue
        if not code or not title or points <= 0 or code in codes:
            errors.append(_("Item %(i)d needs a unique code, a title and points above 0.") % {"i": i})
            continue
        if any(
            d["points"] <= 0 or d["points"] > points or not d["code"] or not d["label"] for d in deductions
        ):
            errors.append(
                _(
                    "Item %(i)d: each deduction needs a code, a label and points between 1 "
                    "and the item's %(p)d."
                )
                % {"i": i, "p": points}
            )
            continue
        codes.add(code)
        out.append({"code": code, "title": title, "points": points, "deductions": deductions})
    if errors:
        raise ValidationFailed(
            _("The scoring sheet was not saved: %(e)s") % {"e": "；".join(errors)},
            field_errors={"items": errors},
        )
    return out


@_checked(lambda k: ("edit_config", None))
def sheet_save(*, actor: Any, name: str, items: Any, total: Any = None) -> ScoringSheet:
    """A new version of the scoring sheet (评查标准): refused unless its items' points add up to the
    declared total. The previous active sheet stays readable (its samples keep it) but is no longer
    offered; the ledger act keeps both versions' contents."""
    policies.ensure(actor, "edit_config")
    name = _text(name, "name", _("Give the scoring sheet a name."))[:200]
    clean = _clean_items(items)
    points = sum(i["points"] for i in clean)
    try:
        declared = int(total) if total is not None else points
    except (TypeError, ValueError):
        declared = -1
    if not 1 <= declared <= MAX_SHEET_TOTAL:
        message = _("Declare the sheet's total points, a whole number from 1 to %(max)d.") % {
            "max": MAX_SHEET_TOTAL
        }
        raise ValidationFailed(message, code="sheet_total_invalid", field_errors={"total": [message]})
    if points != declared:
        message = _(
            "The scoring sheet was not saved: its items add up to %(points)d points, but the declared "
            "total is %(total)d. A reviewer's score is the total less the deductions, so the items "
            "must add up exactly to the total: change the items' points by %(diff)+d, or declare a "
            "total of %(points)d."
        ) % {"points": points, "total": declared, "diff": declared - points}
        raise ValidationFailed(
            message, code="sheet_total_mismatch", field_errors={"total": [message], "items": [message]}
        )
    previous = list(ScoringSheet.objects.select_for_update().filter(active=True))
    ScoringSheet.objects.filter(pk__in=[p.pk for p in previous]).update(active=False)
    sheet = ScoringSheet.objects.create(name=name, total=declared, items=clean, active=True, created_by=actor)
    ledger_append(
        actor=actor,
        act="supervision.sheet_save",
        obj=sheet,
        payload={
            "name": name,
            "total": declared,
            "items": clean,
            "replaces": [p.pk for p in previous],
            "old": [{"id": p.pk, "name": p.name, "total": p.total, "items": p.items} for p in previous],
        },
    )
    return sheet


@_checked(lambda k: ("draw_sample", k["agency_id"]))
def sample_draw(
    *,
    actor: Any,
    agency_id: int,
    closed_from: datetime.date,
    closed_to: datetime.date,
    size: int,
    seed: int | None = None,
    title: str = "",
) -> ReviewSample:
    """Draw `size` closed cases at random; the seed is recorded so the draw can be repeated."""
    policies.ensure(actor, "draw_sample", agency_id)
    sheet = ScoringSheet.objects.filter(active=True).first()
    errors: dict[str, list[str]] = {}
    if sheet is None:
        errors["sheet"] = [_("There is no active scoring sheet; save one first.")]
    if closed_from > closed_to:
        errors["closed_to"] = [_("The end of the period is before its start.")]
    if not isinstance(size, int) or not 1 <= size <= 500:
        errors["size"] = [_("Draw between 1 and 500 cases.")]
    if errors:
        raise ValidationFailed(_("The sample was not drawn: correct the fields listed."), field_errors=errors)
    population = selectors.closed_case_ids(agency_id=agency_id, closed_from=closed_from, closed_to=closed_to)
    if not population:
        raise ValidationFailed(
            _("No case of the agency was closed between %(a)s and %(b)s: choose another period.")
            % {"a": closed_from, "b": closed_to},
            field_errors={"closed_from": [_("No closed case in this period.")]},
        )
    seed = seed if seed is not None else secrets.randbelow(2**31)
    drawn = sorted(random.Random(seed).sample(population, min(size, len(population))))
    sample = ReviewSample.objects.create(
        agency_id=agency_id,
        sheet=sheet,  # type: ignore[misc]  # None refused above
        title=(title or "").strip()[:200]
        or _("Case-file review %(a)s – %(b)s") % {"a": closed_from, "b": closed_to},
        closed_from=closed_from,
        closed_to=closed_to,
        seed=seed,
        population=len(population),
        case_ids=drawn,
        drawn_by=actor,
    )
    ledger_append(
        actor=actor,
        act="supervision.sample_draw",
        obj=sample,
        agency_id=agency_id,
        payload={"seed": seed, "population": len(population), "case_ids": drawn, "sheet": sheet.pk},  # type: ignore[union-attr]
    )
    return sample


@_checked(lambda k: ("score", k["sample"].agency_id))
def score_record(
    *, actor: Any, sample: ReviewSample, case_id: int, deductions: Sequence[dict[str, Any]], comment: str = ""
) -> ReviewScore:
    """The reviewer's score of one sampled case: the sheet's total less the deductions chosen
    (never below 0 on an item). A case is scored once per sample."""
    policies.ensure(actor, "score", sample.agency_id)
    if case_id not in sample.case_ids:
        raise ValidationFailed(
            _("Case %(id)s is not in this sample.") % {"id": case_id}, code="not_in_sample"
        )
    if ReviewScore.objects.filter(sample=sample, case_id=case_id).exists():
        raise Conflict(
            _("This case of the sample is already scored; scores are not changed afterwards."),
            code="already_scored",
        )
    items = {i["code"]: i for i in sample.sheet.items}
    lost: dict[str, int] = {}
    chosen = []
    for d in deductions:
        item = items.get(str(d.get("item")))
        ded = next(
            (x for x in (item or {}).get("deductions", []) if x["code"] == str(d.get("deduction"))), None
        )
        if item is None or ded is None:
            raise ValidationFailed(
                _("“%(item)s / %(d)s” is not a deduction of the scoring sheet.")
                % {"item": d.get("item"), "d": d.get("deduction")},
                field_errors={"deductions": [_("Choose deductions from the sheet.")]},
            )
        lost[item["code"]] = min(item["points"], lost.get(item["code"], 0) + ded["points"])
        chosen.append(
            {
                "item": item["code"],
                "deduction": ded["code"],
                "points": ded["points"],
                "note": str(d.get("note", ""))[:500],
            }
        )
    score = Decimal(sample.sheet.total_points - sum(lost.values()))
    lead = selectors.lead_officer(case_id=case_id)
    row = ReviewScore.objects.create(
        sample=sample,
        case_id=case_id,
        agency_id=sample.agency_id,
        officer_id=getattr(lead, "pk", None),
        department_id=getattr(lead, "department_id", None),
        deductions=chosen,
        score=score,
        comment=(comment or "").strip()[:MAX_TEXT],
        reviewer=actor,
    )
    ledger_append(
        actor=actor,
        act="supervision.score",
        obj=row,
        agency_id=sample.agency_id,
        payload={"sample": sample.pk, "case_id": case_id, "deductions": chosen, "score": str(score)},
    )
    return row


# --- indicators, assessment and consequences -----------------------------------------------------


@_checked(lambda k: ("edit_config", None))
def indicator_save(
    *, actor: Any, code: str, name: str, formula_text: str, weight: Any, direction: str, active: bool = True
) -> Indicator:
    """Create or change an indicator; the formula is parsed and refused with the reason when unsafe
    or naming an unknown metric."""
    policies.ensure(actor, "edit_config")
    errors: dict[str, list[str]] = {}
    code = str(code or "").strip()
    if not code or not code.replace("_", "").isalnum() or not code.isascii():
        errors["code"] = [_("A code of letters, digits and underscores.")]
    if not str(name or "").strip():
        errors["name"] = [_("Give the indicator a name.")]
    try:
        weight_d = Decimal(str(weight))
        if not weight_d.is_finite() or not Decimal(0) < weight_d <= Decimal(1000):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["weight"] = [_("A weight above 0 and at most 1000.")]
        weight_d = Decimal(0)
    if direction not in Direction.values:
        errors["direction"] = [_("Choose whether higher or lower values are better.")]
    try:
        formula.parse(formula_text, metrics.NAMES)
    except ValidationFailed as exc:
        errors["formula"] = exc.field_errors.get("formula", [exc.message])
    if errors:
        message = (
            errors["formula"][0]
            if "formula" in errors
            else _("The indicator was not saved: correct the fields listed.")
        )
        raise ValidationFailed(message, code="indicator_invalid", field_errors=errors)
    existing = Indicator.objects.select_for_update().filter(code=code).first()
    old = (
        {
            "name": existing.name,
            "formula": existing.formula,
            "weight": str(existing.weight),
            "direction": existing.direction,
            "active": existing.active,
        }
        if existing
        else None
    )
    indicator = existing or Indicator(code=code)
    indicator.name = str(name).strip()[:200]
    indicator.formula = formula_text.strip()
    indicator.weight = weight_d
    indicator.direction = direction
    indicator.active = bool(active)
    indicator.save()
    new = {
        "name": indicator.name,
        "formula": indicator.formula,
        "weight": str(weight_d),
        "direction": direction,
        "active": indicator.active,
    }
    ledger_append(
        actor=actor,
        act="supervision.indicator_save",
        obj=indicator,
        payload={"code": code, "old": old, "new": new},
    )
    return indicator


def _normalised(values: dict[int, Decimal | None], direction: str) -> dict[int, Decimal | None]:
    known = [v for v in values.values() if v is not None]
    if not known:
        return dict.fromkeys(values)
    lo, hi = min(known), max(known)
    out: dict[int, Decimal | None] = {}
    for k, v in values.items():
        if v is None:
            out[k] = None
        elif hi == lo:
            out[k] = Decimal(100)
        else:
            share = (v - lo) / (hi - lo)
            out[k] = (share if direction == Direction.HIGHER else 1 - share) * 100
    return out


def _fmt(value: Decimal | None) -> str | None:
    return None if value is None else str(round(value, 4))


def bottom_n() -> int:
    value = LegalSetting.objects.filter(key=BOTTOM_N[0]).values_list("value", flat=True).first()
    try:
        n = int(value) if value is not None else BOTTOM_N[1]
    except (TypeError, ValueError):
        n = BOTTOM_N[1]
    return max(n, 0)


def circular_enabled() -> bool:
    """Whether an assessment run issues its ranking as a 通报 (LegalSetting `supervision.circular`)."""
    value = LegalSetting.objects.filter(key=CIRCULAR[0]).values_list("value", flat=True).first()
    return bool(value) if value is not None else CIRCULAR[1]


@_checked(lambda k: ("edit_config", None))
def circular_setting_set(*, actor: Any, enabled: bool) -> bool:
    """Switch the 通报 of assessment runs on or off (a setting as data; the change is a ledger act)."""
    policies.ensure(actor, "edit_config")
    enabled = bool(enabled)
    setting = LegalSetting.objects.select_for_update().filter(key=CIRCULAR[0]).first()
    old = circular_enabled()
    if setting is None:
        setting = LegalSetting(
            key=CIRCULAR[0],
            description="[U] assessment: each run also issues the ranking as a 通报 (评议考核结果通报)",
            basis="seed 003 孟津县国土资源局评议考核办法（排名通报）",
        )
    elif old == enabled:
        return enabled
    setting.value = enabled
    setting.save()
    ledger_append(
        actor=actor,
        act="org.legal_setting_changed",
        obj=setting,
        payload={"key": setting.key, "changes": {"value": {"old": old, "new": enabled}}},
    )
    return enabled


def _issue_circular(
    run: AssessmentRun, *, actor: Any, results: list[AssessmentResult], consequences: list[Consequence]
) -> Any:
    """The ranking as a 通报 through the documents app (in the run's transaction: a refusal there,
    e.g. no active template, refuses the run with the documents app's reason)."""
    from documents import services as document_services

    circulars.ensure_number_pattern(agency_id=run.agency_id)
    document = document_services.document_issue(
        actor=actor,
        kind=circulars.KIND,
        context=circulars.circular_context(run, results, consequences),
        subject_type="supervision.assessmentrun",
        subject_id=run.pk,
        agency=run.agency,
        key=f"assessment-run-{run.pk}",
    )
    run.circular_document_id = document.pk
    run.save(update_fields=["circular_document_id"])
    return document


@_checked(lambda k: ("run_assessment", k["agency_id"]))
def assessment_run(
    *, actor: Any, agency_id: int, level: str, period_start: datetime.date, period_end: datetime.date
) -> AssessmentRun:
    """评议考核 for one period: every active indicator on every department (or officer) of the agency;
    scores 0–100 per indicator (min–max across the subjects, direction-aware), weighted; ranked;
    the bottom N (a LegalSetting, default 3) get an admonition talk to record, and anyone also in
    the bottom N of the previous run at the same level a proposal to move off enforcement duty.
    Where configured (LegalSetting `supervision.circular`), the ranking is issued as a 通报."""
    policies.ensure(actor, "run_assessment", agency_id)
    if level not in Level.values:
        raise ValidationFailed(
            _("Assess departments or officers."), field_errors={"level": [_("Choose a level.")]}
        )
    if period_start > period_end:
        raise ValidationFailed(
            _("The end of the period is before its start."),
            field_errors={"period_end": [_("The end of the period is before its start.")]},
        )
    indicators = list(Indicator.objects.filter(active=True).order_by("code"))
    if not indicators:
        raise ValidationFailed(_("There is no active indicator: define one first."), code="no_indicators")
    trees = {i.code: formula.parse(i.formula, metrics.NAMES) for i in indicators}
    data = metrics.compute(level=level, agency_id=agency_id, start=period_start, end=period_end)
    subjects = selectors.assessment_subjects(agency_id=agency_id, level=level)
    values: dict[str, dict[int, Decimal | None]] = {
        i.code: {
            sid: formula.evaluate(trees[i.code], data.get(sid, {})) if sid in data else None
            for sid in subjects
        }
        for i in indicators
    }
    norm = {i.code: _normalised(values[i.code], i.direction) for i in indicators}
    scores: dict[int, Decimal | None] = {}
    for sid in subjects:
        parts = [(i.weight, norm[i.code][sid]) for i in indicators if norm[i.code][sid] is not None]
        weight = sum((w for w, _v in parts), Decimal(0))
        scores[sid] = (
            (sum((w * v for w, v in parts if v is not None), Decimal(0)) / weight) if weight else None
        )
    ranked = sorted((s for s in subjects if scores[s] is not None), key=lambda s: (-scores[s], subjects[s]))  # type: ignore[operator]
    run = AssessmentRun.objects.create(
        agency_id=agency_id,
        level=level,
        period_start=period_start,
        period_end=period_end,
        indicators=[
            {
                "code": i.code,
                "name": i.name,
                "formula": i.formula,
                "weight": str(i.weight),
                "direction": i.direction,
            }
            for i in indicators
        ],
        run_by=actor,
    )
    results = []
    for rank, sid in enumerate(ranked, 1):
        results.append(
            AssessmentResult(
                run=run,
                subject_id=sid,
                subject_name=subjects[sid],
                metrics={k: str(v) for k, v in data.get(sid, {}).items()},
                values={c: _fmt(v[sid]) for c, v in values.items()},
                score=round(scores[sid], 2),  # type: ignore[arg-type]
                rank=rank,
            )
        )
    AssessmentResult.objects.bulk_create(results)
    results = list(run.results.order_by("rank"))
    n = bottom_n()
    bottom = results[-n:] if n and len(results) > n else []
    previous = (
        AssessmentRun.objects.filter(agency_id=agency_id, level=level, pk__lt=run.pk).order_by("-pk").first()
    )
    previous_bottom: set[int] = set()
    if previous is not None:
        prev = list(previous.results.order_by("rank"))
        previous_bottom = {r.subject_id for r in (prev[-n:] if n and len(prev) > n else [])}
    consequences = []
    for result in bottom:
        repeat = result.subject_id in previous_bottom
        kind = (
            ConsequenceKind.TRANSFER_PROPOSAL
            if repeat and level == Level.OFFICER
            else ConsequenceKind.ADMONITION
        )
        reason = _("Ranked %(rank)d of %(total)d in the assessment %(a)s – %(b)s (bottom %(n)d)") % {
            "rank": result.rank,
            "total": len(results),
            "a": period_start,
            "b": period_end,
            "n": n,
        }
        if repeat:
            reason += _("; also in the bottom %(n)d of the previous assessment") % {"n": n}
        consequences.append(Consequence.objects.create(result=result, kind=kind, reason=reason))
    document = (
        _issue_circular(run, actor=actor, results=results, consequences=consequences)
        if results and circular_enabled()
        else None
    )
    ledger_append(
        actor=actor,
        act="supervision.assessment_run",
        obj=run,
        agency_id=agency_id,
        payload={
            "level": level,
            "period": [period_start.isoformat(), period_end.isoformat()],
            "indicators": run.indicators,
            "ranking": [[r.subject_id, str(r.score)] for r in results],
            "consequences": [[c.result.subject_id, c.kind] for c in consequences],
            "circular": [document.pk, document.number] if document is not None else None,
        },
    )
    return run


@_checked(lambda k: ("record_consequence", k["consequence"].result.run.agency_id))
def consequence_record(*, actor: Any, consequence: Consequence, record: str) -> Consequence:
    """Record the act a consequence called for (the admonition talk held, the proposal made)."""
    consequence = Consequence.objects.select_for_update().select_related("result__run").get(pk=consequence.pk)
    policies.ensure(actor, "record_consequence", consequence.result.run.agency_id)
    if consequence.recorded_at is not None:
        raise Conflict(_("This consequence is already recorded."), code="consequence_recorded")
    consequence.record = _text(
        record, "record", _("Write the record: when, who took part, what was said or proposed.")
    )
    consequence.recorded_by = actor
    consequence.recorded_at = timezone.now()
    consequence.save()
    ledger_append(
        actor=actor,
        act=f"supervision.{consequence.kind}",
        obj=consequence,
        agency_id=consequence.result.run.agency_id,
        payload={
            "subject": consequence.result.subject_id,
            "reason": consequence.reason,
            "record": consequence.record,
        },
    )
    return consequence


# --- responsibility targets ------------------------------------------------------------------------


@_checked(lambda k: ("set_target", k["agency_id"]))
def target_set(
    *,
    actor: Any,
    agency_id: int,
    metric: str,
    target: Any,
    period_start: datetime.date,
    period_end: datetime.date,
    department_id: int | None = None,
    officer_id: int | None = None,
    note: str = "",
) -> Target:
    policies.ensure(actor, "set_target", agency_id)
    errors: dict[str, list[str]] = {}
    if metric not in metrics.METRICS:
        errors["metric"] = [_("Choose one of the metrics computed from the records.")]
    try:
        value = Decimal(str(target))
        if not value.is_finite() or value <= 0:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["target"] = [_("A target above 0.")]
        value = Decimal(0)
    if period_start > period_end:
        errors["period_end"] = [_("The end of the period is before its start.")]
    if (department_id is None) == (officer_id is None):
        errors["officer"] = [_("Set the target for either a department or an officer.")]
    if (
        department_id is not None
        and not org_selectors.visible_departments(None).filter(pk=department_id, agency_id=agency_id).exists()
    ):
        errors["department"] = [_("Choose a department of the agency.")]
    if (
        officer_id is not None
        and not org_selectors.visible_officers(None).filter(pk=officer_id, agency_id=agency_id).exists()
    ):
        errors["officer"] = [_("Choose an officer of the agency.")]
    if errors:
        raise ValidationFailed(_("The target was not set: correct the fields listed."), field_errors=errors)
    row = Target.objects.create(
        agency_id=agency_id,
        department_id=department_id,
        officer_id=officer_id,
        metric=metric,
        target=value,
        period_start=period_start,
        period_end=period_end,
        note=(note or "").strip()[:200],
        set_by=actor,
    )
    ledger_append(
        actor=actor,
        act="supervision.target_set",
        obj=row,
        agency_id=agency_id,
        payload={
            "metric": metric,
            "target": str(value),
            "department": department_id,
            "officer": officer_id,
            "period": [period_start.isoformat(), period_end.isoformat()],
        },
    )
    return row
