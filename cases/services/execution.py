"""送达 and 执行: delivery records, payments and the late-payment surcharge.

- 送达 (行政处罚法 Art.61, 民事诉讼法 Arts.87–95): six methods; electronic delivery only with the
  party's signed consent; a public notice counts as served 30 days after its announcement
  (setting `cases.public_notice_days`). Every period that runs from receipt (statement, hearing
  request, payment) starts from the served date the Delivery records.
- 缴款 (Arts.66–67): payments with their receipt numbers; once the fine is paid in full the payment
  deadline is satisfied.
- 加处罚款 (Art.72; 行政强制法 Art.45): 3 % of the fine per day after the due date, never more than
  the fine; not counted while reconsideration or litigation is pending (Art.73).
- 延期 / 分期 (Art.66): an approved plan (`Case.payment_plan`) moves the due date — a deferral to its
  new date, instalments each to their own — so no surcharge runs before it; a late instalment
  bears the surcharge on its own amount (3 % of it per day, the whole never above the fine).
- 催告 and the court (行政强制法 Arts.35, 53–54): `remedy_period_end` and `court_window` give the
  statutory window of the application; the workflow's guards (cases/workflow/execution.py) use them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import policies
from cases.memo import memo_active, memoised
from cases.models import (
    Case,
    CaseStatus,
    DeliveredDocument,
    Delivery,
    DeliveryMethod,
    Payment,
    PaymentChannel,
    PenaltyKind,
    Remedy,
)
from cases.selectors import (
    case_deadline_list,
    case_deadlines,
    case_payment_list,
    legal_setting_int,
)
from cases.services.cases import _bump, _locked, _sync
from cases.services.transitions import _event, _jsonable
from core.errors import DomainError, ValidationFailed
from core.services.calendar import add_calendar_days, add_months
from core.services.clock import deadline_satisfy
from core.services.ledger import ledger_append

PAYMENT_DEADLINE = "cases.payment"
SURCHARGE_RATE = Decimal("0.03")  # 行政处罚法 Art.72: 每日按罚款数额的百分之三
CENT = Decimal("0.01")
PUBLIC_NOTICE_DAYS = 30

# Names the older forms and API clients send, mapped to the glossary's method names.
METHOD_ALIASES = {
    "direct": DeliveryMethod.IN_PERSON.value,
    "left": DeliveryMethod.LEFT_AT_RESIDENCE.value,
    "announcement": DeliveryMethod.PUBLIC_NOTICE.value,
}

PAYABLE_STATUSES = (CaseStatus.DECIDED, CaseStatus.DELIVERED, CaseStatus.EXECUTING)


class RuleRefused(DomainError):
    """An act the law forbids as asked; the message names the rule and what would allow it."""

    code = "rule_refused"
    status = 409


# ---------------------------------------------------------------- delivery


def normalise_method(raw: Any) -> str | None:
    value = METHOD_ALIASES.get(str(raw or ""), str(raw or ""))
    return value if value in DeliveryMethod.values else None


def public_notice_days() -> int:
    return legal_setting_int("cases.public_notice_days", PUBLIC_NOTICE_DAYS)


def served_on(
    *,
    method: str,
    delivered_on: datetime.date | None,
    announced_on: datetime.date | None = None,
    notice_days: int = PUBLIC_NOTICE_DAYS,
) -> datetime.date | None:
    """The date a document counts as served: the delivery date, or for a public notice the
    announcement date plus `notice_days` (民事诉讼法 Art.95: 30 days)."""
    if method == DeliveryMethod.PUBLIC_NOTICE:
        if announced_on is None:
            return None
        return announced_on + datetime.timedelta(days=notice_days)
    return delivered_on


def delivery_problems(*, method: str, consent_signed: bool, witness: str) -> list[tuple[str, str, str]]:
    """(code, message, basis) for each rule the delivery as described breaks."""
    found: list[tuple[str, str, str]] = []
    if method == DeliveryMethod.ELECTRONIC and not consent_signed:
        found.append(
            (
                "electronic_delivery_without_consent",
                _(
                    "Electronic delivery needs the party's signed consent (确认书); record the consent "
                    "or serve the document another way."
                ),
                "行政处罚法 Art.61",
            )
        )
    if method == DeliveryMethod.LEFT_AT_RESIDENCE and not (witness or "").strip():
        found.append(
            (
                "left_delivery_without_witness",
                _("Leaving the document at the residence (留置送达) needs a witness; name the witness."),
                "民事诉讼法 Art.89",
            )
        )
    return found


def clean_delivery_data(data: Mapping[str, Any], *, date_key: str = "delivered_on") -> dict[str, Any]:
    """Validate the delivery part of a request body (method defaults to in person).

    Returns method, delivered_on (the served date), announced_on, recipient, witness,
    consent_signed and receipt_digest.
    """
    from cases.workflow.guards import parse_date

    method = normalise_method(data.get("method") or DeliveryMethod.IN_PERSON)
    if method is None:
        raise ValidationFailed(
            _("Choose how the document was delivered."),
            field_errors={"method": [_("Choose one of the six delivery methods.")]},
        )
    announced = parse_date(data, "announced_on", required=False)
    if method == DeliveryMethod.PUBLIC_NOTICE:
        if announced is None:
            # older clients send the announcement date as the delivery date
            announced = parse_date(data, date_key, required=False)
        if announced is None:
            raise ValidationFailed(
                _("A public notice needs the date it was announced."),
                field_errors={"announced_on": [_("This date is required.")]},
            )
        delivered = None
    else:
        delivered = parse_date(data, date_key)
    digest = str(data.get("receipt_digest") or "").strip().lower()
    if digest and (len(digest) != 64 or any(ch not in "0123456789abcdef" for ch in digest)):
        raise ValidationFailed(
            _("The receipt is named by the hexadecimal digest of its stored file."),
            field_errors={"receipt_digest": [_("Enter a file digest.")]},
        )
    return {
        "method": method,
        "announced_on": announced,
        "delivered_on": served_on(
            method=method, delivered_on=delivered, announced_on=announced, notice_days=public_notice_days()
        ),
        "recipient": str(data.get("recipient") or "").strip(),
        "witness": str(data.get("witness") or "").strip(),
        "consent_signed": bool(data.get("consent_signed")),
        "receipt_digest": digest,
        # 电子送达: the e-mail address or mobile number the party agreed to (its 确认书 names it)
        "electronic_address": str(data.get("electronic_address") or "").strip()[:200],
    }


def _delivery_create(*, actor: Any, case: Case, document: str, cleaned: Mapping[str, Any]) -> Delivery:
    problems = delivery_problems(
        method=cleaned["method"], consent_signed=cleaned["consent_signed"], witness=cleaned["witness"]
    )
    if problems:
        code, message, basis = problems[0]
        raise RuleRefused(f"{message}（{basis}）", code=code, basis=basis)
    if document not in DeliveredDocument.values:
        raise ValidationFailed(
            _("Choose the document that was delivered."),
            field_errors={"document": [_("Choose one of the listed documents.")]},
        )
    delivery = Delivery.objects.create(
        case=case,
        document=document,
        method=cleaned["method"],
        recipient=cleaned["recipient"],
        witness=cleaned["witness"],
        consent_signed=cleaned["consent_signed"],
        announced_on=cleaned["announced_on"],
        delivered_on=cleaned["delivered_on"],
        receipt_digest=cleaned["receipt_digest"],
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    ledger_append(
        actor=actor,
        act="case.delivery_record",
        obj=delivery,
        agency_id=case.agency_id,
        payload=_jsonable({"case": case.pk, "document": document, **cleaned}),
        file_digest=cleaned["receipt_digest"],
    )
    return delivery


def delivery_record(*, actor: Any, case: Case, document: str, data: Mapping[str, Any]) -> Delivery:
    """送达: record one served document (行政处罚法 Art.61).

    Called by the `notify` and `deliver` actions inside their transaction (on the locked case);
    may also be called alone, e.g. for a hearing notice or a written reminder.
    Refuses electronic delivery without the party's signed consent (Art.61) and 留置 without a
    witness (民事诉讼法 Art.89).
    """
    policies.ensure(actor, "act", case)
    cleaned = clean_delivery_data(data)
    with transaction.atomic():
        return _delivery_create(actor=actor, case=case, document=document, cleaned=cleaned)


def delivery_receipt_attach(*, delivery_id: int, document: Any) -> None:
    """Link the 送达回证 issued in the delivering act to its Delivery row (same transaction; the
    document's issue is the ledger act)."""
    Delivery.objects.filter(pk=delivery_id, receipt_document__isnull=True).update(receipt_document=document)


def delivery_receipt_scan_upload(*, actor: Any, case: Case, delivery_id: int, upload: Any) -> Delivery:
    """Store the scan of the signed 送达回证 in the case's records (step 送达, checked on its content:
    an image or a PDF) and link it to the delivery in one go, from the case page. The delivery and
    its link are checked first, so a refused link stores nothing."""
    from records.services import receipt_scan_attach

    policies.ensure(actor, "act", case)
    delivery = Delivery.objects.filter(case=case, pk=delivery_id).first()
    if delivery is None:
        raise ValidationFailed(_("No such delivery of this case."), code="delivery_not_found")
    if delivery.receipt_file_id:
        raise RuleRefused(
            _(
                "The signed receipt of this delivery is already linked (%(digest)s); a linked receipt "
                "is not replaced. Upload a correction as a new record instead."
            )
            % {"digest": delivery.receipt_digest[:16]},
            code="receipt_scan_already_linked",
            basis="行政处罚法 Art.61",
        )
    result = receipt_scan_attach(
        actor=actor,
        case=case,
        delivery_ref=delivery.pk,
        upload=upload,
        filename=str(getattr(upload, "name", "") or ""),
        content_type=str(getattr(upload, "content_type", "") or ""),
    )
    return delivery_receipt_scan_link(actor=actor, case=case, delivery_id=delivery.pk, file_id=result.file.pk)


def delivery_receipt_scan_link(*, actor: Any, case: Case, delivery_id: int, file_id: int) -> Delivery:
    """Link the scan of the signed 送达回证 (a records file of the same case, uploaded on the records
    page) to the delivery: its digest becomes the delivery's receipt digest. A receipt already
    linked is never replaced (history is not edited)."""
    from records.selectors import case_files

    policies.ensure(actor, "act", case)
    scan = case_files(actor=actor, case=case).filter(pk=file_id).first()
    if scan is None:
        raise ValidationFailed(
            _("Choose a file uploaded to this case's records."),
            code="receipt_scan_not_found",
            field_errors={"file_id": [_("Choose a file of this case.")]},
        )
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(case=case, pk=delivery_id).first()
        if delivery is None:
            raise ValidationFailed(_("No such delivery of this case."), code="delivery_not_found")
        if delivery.receipt_file_id:
            raise RuleRefused(
                _(
                    "The signed receipt of this delivery is already linked (%(digest)s); a linked receipt "
                    "is not replaced. Upload a correction as a new record instead."
                )
                % {"digest": delivery.receipt_digest[:16]},
                code="receipt_scan_already_linked",
                basis="行政处罚法 Art.61",
            )
        digest = scan.stored.digest
        delivery.receipt_file_id = scan.pk
        delivery.receipt_digest = digest
        delivery.save(update_fields=["receipt_file_id", "receipt_digest", "updated_at"])
        ledger_append(
            actor=actor,
            act="case.delivery_receipt_linked",
            obj=delivery,
            agency_id=case.agency_id,
            payload={"case": case.pk, "delivery": delivery.pk, "file": scan.pk, "digest": digest},
            file_digest=digest,
        )
    return delivery


def record_delivery_effect(document: str, case_field: str) -> Any:
    """Workflow effect: create the Delivery from the action's cleaned data and copy its served
    date to `case_field` (where the periods that run from receipt start)."""

    def effect(ctx: Any) -> None:
        delivery = _delivery_create(actor=ctx.actor, case=ctx.case, document=document, cleaned=ctx.data)
        setattr(ctx.case, case_field, delivery.delivered_on)
        if document == DeliveredDocument.DECISION:
            ctx.case.delivery_method = delivery.method
        ctx.notes["delivery_id"] = delivery.pk

    effect.__name__ = f"record_delivery_{document}"
    return effect


# ---------------------------------------------------------------- payment and surcharge


def _days_paused(
    start: datetime.date, end: datetime.date, pending: Iterable[tuple[datetime.date, datetime.date | None]]
) -> int:
    """Days in (start, end] covered by any pending period [from, to) (overlaps counted once)."""
    days: set[int] = set()
    for began, ended in pending:
        lo = max(began, start + datetime.timedelta(days=1))
        hi = min(ended or end + datetime.timedelta(days=1), end + datetime.timedelta(days=1))
        for n in range((hi - lo).days):
            days.add((lo + datetime.timedelta(days=n)).toordinal())
    return len(days)


def late_surcharge(
    *,
    fine: Decimal,
    due_date: datetime.date,
    on: datetime.date,
    pending: Iterable[tuple[datetime.date, datetime.date | None]] = (),
) -> Decimal:
    """加处罚款 on `on` (行政处罚法 Art.72, 行政强制法 Art.45): 3 % of the fine for each day after
    `due_date`, rounded to the fen, capped at the fine. Days inside a `pending` period
    (reconsideration or litigation, from filing to decision, end exclusive) are not counted (Art.73).
    """
    if fine <= 0 or on <= due_date:
        return Decimal("0.00")
    days = (on - due_date).days - _days_paused(due_date, on, pending)
    amount = (fine * SURCHARGE_RATE * days).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(amount, fine.quantize(CENT))


def remedy_periods(case: Case) -> list[tuple[datetime.date, datetime.date | None]]:
    return [(r.filed_on, r.decided_on) for r in Remedy.objects.filter(case=case).order_by("filed_on")]


def paid_total(case: Case) -> Decimal:
    if memo_active():  # the case page lists the payments anyway (cases.memo)
        return sum((p.amount for p in case_payment_list(case)), Decimal(0)).quantize(CENT)
    total = Payment.objects.filter(case=case).aggregate(s=Sum("amount"))["s"]
    return Decimal(total or 0).quantize(CENT)


def payment_due_date(case: Case) -> datetime.date | None:
    def latest() -> datetime.date | None:
        if memo_active():  # the case page lists the deadlines anyway
            rows = [d for d in case_deadline_list(case) if d.kind == PAYMENT_DEADLINE]
            dl = max(rows, key=lambda d: d.pk, default=None)
        else:
            dl = case_deadlines(case=case, kind=PAYMENT_DEADLINE).order_by("-pk").first()
        return dl.due_date if dl is not None else None

    return memoised(("payment_due", case.pk), latest)  # asked twice by the case page (memo scope only)


def payment_schedule(case: Case) -> list[tuple[datetime.date, Decimal]]:
    """(due date, amount) of what the party must pay: the whole fine by the payment deadline, or
    the approved deferral's date, or each approved instalment (行政处罚法 Arts.66–67)."""
    fine = case.decided_amount or Decimal("0")
    plan = case.payment_plan or {}
    if plan.get("kind") == "instalments":
        return [
            (datetime.date.fromisoformat(i["due_date"]), Decimal(i["amount"])) for i in plan["instalments"]
        ]
    if plan.get("kind") == "deferral":
        return [(datetime.date.fromisoformat(plan["due_date"]), fine)]
    due = payment_due_date(case)
    return [(due, fine)] if due is not None else []


def plan_end(case: Case) -> datetime.date | None:
    """The end of an approved deferral or of the last instalment (the court window runs from it)."""
    plan = case.payment_plan or {}
    if not plan.get("kind"):
        return None
    return max(due for due, _amount in payment_schedule(case))


def _covered_dates(case: Case, schedule: list[tuple[datetime.date, Decimal]]) -> list[datetime.date | None]:
    """For each instalment, the day the payments (in order) covered it, or None."""
    payments = list(
        Payment.objects.filter(case=case).order_by("paid_on", "pk").values_list("amount", "paid_on")
    )
    out: list[datetime.date | None] = []
    need = Decimal("0")
    for _due, amount in schedule:
        need += amount
        running, covered = Decimal("0"), None
        for paid, paid_on in payments:
            running += paid
            if running >= need:
                covered = paid_on
                break
        out.append(covered)
    return out


def case_late_surcharge(*, case: Case, on: datetime.date) -> Decimal:
    """The surcharge the case's party owes on `on` (nothing once the fine was paid in full); an
    approved plan moves the due dates (Art.66), remedy periods are not counted (Art.73)."""
    fine = case.decided_amount or Decimal("0")
    schedule = payment_schedule(case)
    if not schedule or fine <= 0:
        return Decimal("0.00")
    pending = remedy_periods(case)
    total = Decimal("0")
    for (due, amount), covered in zip(schedule, _covered_dates(case, schedule), strict=True):
        until = min(on, covered) if covered is not None else on
        total += late_surcharge(fine=amount, due_date=due, on=until, pending=pending)
    return min(total, fine.quantize(CENT))


def overdue_amount(case: Case, on: datetime.date) -> Decimal:
    """What of the fine was due by `on` (its due date before `on`) and is still unpaid."""
    schedule = payment_schedule(case)
    due_by = sum((amount for due, amount in schedule if due < on), Decimal("0"))
    return max(due_by - paid_total(case), Decimal("0")).quantize(CENT)


def outstanding_fine(case: Case) -> Decimal:
    fine = case.decided_amount or Decimal("0")
    return max(fine - paid_total(case), Decimal("0")).quantize(CENT)


def satisfy_covered_instalments(*, actor: Any, case: Case, by_act: str) -> None:
    """Each instalment's payment deadline is met once the payments cover it."""
    plan = case.payment_plan or {}
    if plan.get("kind") != "instalments":
        return
    schedule = payment_schedule(case)
    covered = _covered_dates(case, schedule)
    ids = [i.get("deadline_id") for i in plan["instalments"]]
    for deadline_id, day in zip(ids, covered, strict=True):
        if day is None or deadline_id is None:
            continue
        for dl in case_deadlines(case=case, kind=PAYMENT_DEADLINE, open_only=True).filter(pk=deadline_id):
            deadline_satisfy(actor=actor, deadline=dl, by_act=by_act)


# ---------------------------------------------------------------- 复议 / 诉讼 periods, court window


def remedy_period_end(case: Case, *, demolition_only: bool = False) -> datetime.date | None:
    """The day the periods for reconsideration (60 days, 行政复议法 Art.20) and litigation end,
    counted from the delivery of the decision. Litigation: 6 months (行政诉讼法 Art.46), or for an
    order to demolish 15 days (土地管理法 Art.83). Figures are settings."""
    if case.delivered_on is None:
        return None
    reconsideration = add_calendar_days(
        case.delivered_on, legal_setting_int("cases.reconsideration_days", 60)
    ).date
    if demolition_only:
        suit = add_calendar_days(case.delivered_on, legal_setting_int("cases.demolition_suit_days", 15)).date
    else:
        suit = add_months(case.delivered_on, legal_setting_int("cases.litigation_months", 6)).date
    return max(reconsideration, suit)


def pending_remedies(case: Case) -> list[Remedy]:
    return list(Remedy.objects.filter(case=case, outcome=""))


def court_window(case: Case, *, demolition_only: bool = False) -> tuple[datetime.date, datetime.date] | None:
    """(first day, last day) on which the agency may apply to the court (行政强制法 Art.53: within 3
    months after the 复议/诉讼 periods ended; 行政处罚法 Art.72: from the end of an approved plan;
    after a decided remedy, from its decision)."""
    end = remedy_period_end(case, demolition_only=demolition_only)
    if end is None:
        return None
    starts = [end]
    decided = [r.decided_on for r in Remedy.objects.filter(case=case).exclude(decided_on=None)]
    starts.extend(d for d in decided if d is not None)
    if not demolition_only and (finish := plan_end(case)) is not None:
        starts.append(finish)
    start = max(starts)
    last = add_months(start, legal_setting_int("cases.court_application_months", 3)).date
    return start + datetime.timedelta(days=1), last


def _full_payment_date(case: Case, fine: Decimal) -> datetime.date | None:
    running = Decimal("0")
    for amount, paid_on in (
        Payment.objects.filter(case=case).order_by("paid_on", "pk").values_list("amount", "paid_on")
    ):
        running += amount
        if running >= fine:
            return paid_on
    return None


def _satisfy_payment_deadline(*, actor: Any, case: Case, by_act: str) -> None:
    for dl in case_deadlines(case=case, kind=PAYMENT_DEADLINE, open_only=True):
        deadline_satisfy(actor=actor, deadline=dl, by_act=by_act)


def _payment_create(
    *,
    actor: Any,
    case: Case,
    amount: Decimal,
    paid_on: datetime.date,
    receipt_number: str,
    channel: str,
) -> tuple[Payment, Decimal, bool]:
    """Create the Payment and its ledger act; returns (payment, total paid, fine now fully paid)."""
    errors: dict[str, list[str]] = {}
    if amount is None or amount <= 0 or amount != amount.quantize(CENT):
        errors["amount"] = [_("Enter a positive amount in yuan with at most two decimal places.")]
    if not (receipt_number or "").strip():
        errors["receipt_number"] = [_("Give the number of the payment receipt.")]
    if channel not in PaymentChannel.values:
        errors["channel"] = [_("Choose one of the listed channels.")]
    if paid_on > timezone.localdate():
        errors["paid_on"] = [_("The payment date cannot lie in the future.")]
    if errors:
        raise ValidationFailed(
            _("The payment was not recorded: correct the fields listed."), field_errors=errors
        )
    if PenaltyKind.FINE not in (case.decided_kinds or []) or case.status not in PAYABLE_STATUSES:
        raise RuleRefused(
            _("Payments are recorded only for a decided fine that is being executed."),
            code="no_fine_to_pay",
            basis="行政处罚法 Arts.66–67",
        )
    if case.decided_on and paid_on < case.decided_on:
        raise ValidationFailed(
            _("The payment date lies before the decision (%(on)s).") % {"on": case.decided_on},
            field_errors={"paid_on": [_("Enter a date on or after the decision.")]},
        )
    receipt_number = receipt_number.strip()
    if Payment.objects.filter(case=case, receipt_number=receipt_number).exists():
        raise RuleRefused(
            _("Receipt %(number)s is already recorded for this case.") % {"number": receipt_number},
            code="receipt_already_recorded",
            basis="行政处罚法 Art.70",
        )
    fine = case.decided_amount or Decimal("0")
    before = paid_total(case)
    payment = Payment.objects.create(
        case=case,
        amount=amount,
        paid_on=paid_on,
        receipt_number=receipt_number,
        channel=channel,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    total = before + amount
    full = total >= fine
    ledger_append(
        actor=actor,
        act="case.payment_record",
        obj=payment,
        agency_id=case.agency_id,
        payload=_jsonable(
            {
                "case": case.pk,
                "amount": amount,
                "paid_on": paid_on,
                "receipt_number": receipt_number,
                "channel": channel,
                "paid_before": before,
                "paid_total": total,
                "fine": fine,
                "full": full,
            }
        ),
    )
    return payment, total, full


def payment_record(
    *,
    actor: Any,
    case: Case,
    amount: Decimal,
    paid_on: datetime.date,
    receipt_number: str,
    channel: str = PaymentChannel.BANK,
) -> Payment:
    """缴款 (行政处罚法 Arts.66–67): record a partial or full payment of the decided fine.

    When the payments reach the fine, the payment deadline is satisfied. The surcharge (Art.72)
    is computed by `case_late_surcharge`.
    """
    policies.ensure(actor, "act", case)
    with transaction.atomic():
        locked = _locked(case)
        payment, total, full = _payment_create(
            actor=actor,
            case=locked,
            amount=amount,
            paid_on=paid_on,
            receipt_number=receipt_number,
            channel=channel,
        )
        if full:
            _satisfy_payment_deadline(actor=actor, case=locked, by_act="case.payment_record")
        else:
            satisfy_covered_instalments(actor=actor, case=locked, by_act="case.payment_record")
        _bump(locked)
        _event(
            case=locked,
            action="payment_record",
            from_status=locked.status,
            to_status=locked.status,
            actor=actor,
            payload=_jsonable({"payment": payment.pk, "amount": amount, "paid_total": total, "full": full}),
        )
    _sync(case, locked)
    return payment


def record_payment_effect(ctx: Any) -> None:
    """Workflow effect of `complete_execution`: the payment given in the body (if its receipt is
    new) becomes a Payment; the fine paid in full satisfies the payment deadline."""
    amount = ctx.data.get("paid_amount")
    receipt = (ctx.data.get("receipt_number") or "").strip()
    if (
        amount
        and amount > 0
        and receipt
        and not Payment.objects.filter(case=ctx.case, receipt_number=receipt).exists()
    ):
        _payment_create(
            actor=ctx.actor,
            case=ctx.case,
            amount=amount,
            paid_on=ctx.data["completed_on"],
            receipt_number=receipt,
            channel=PaymentChannel.BANK,
        )


def payable_total_with(ctx_case: Case, data: Mapping[str, Any]) -> Decimal:
    """What is paid once the body's payment (if its receipt is new) is added to the recorded ones."""
    total = paid_total(ctx_case)
    amount = data.get("paid_amount")
    receipt = (data.get("receipt_number") or "").strip()
    if amount and receipt and not Payment.objects.filter(case=ctx_case, receipt_number=receipt).exists():
        total += amount
    return total
