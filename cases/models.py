"""Penalty cases (行政处罚案件): leads, cases, parties, officers, recusals and the case timeline.

Statuses change only through `cases.services.transitions._move`; the procedure is declared in
`cases/workflow/penalty.py`. Model methods only derive values from the model's own fields.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.base import AppendOnlyQuerySet, TimeStamped


class LeadSource(models.TextChoices):
    PATROL = "patrol", _("patrol")
    COMPLAINT = "complaint", _("complaint")
    REPORT = "report", _("report")
    REFERRAL = "referral", _("referral")
    SATELLITE = "satellite", _("satellite imagery")
    ASSIGNMENT = "assignment", _("assignment")


class Procedure(models.TextChoices):
    GENERAL = "general", _("general procedure")
    SUMMARY = "summary", _("summary procedure")


class CaseStatus(models.TextChoices):
    LEAD = "lead", _("lead registered")
    PRELIMINARY_CHECK = "preliminary_check", _("preliminary check")
    DECLINED = "declined", _("not registered")
    REGISTERED = "registered", _("registered")
    INVESTIGATING = "investigating", _("investigating")
    INVESTIGATION_REPORTED = "investigation_reported", _("investigation reported")
    NOTIFIED = "notified", _("party notified")
    HEARING_REQUESTED = "hearing_requested", _("hearing requested")
    HEARING_SCHEDULED = "hearing_scheduled", _("hearing scheduled")
    HEARING_HELD = "hearing_held", _("hearing held")
    DECIDED = "decided", _("decided")
    NO_PENALTY = "no_penalty", _("no penalty decided")
    TRANSFERRED = "transferred", _("transferred")
    DELIVERED = "delivered", _("decision delivered")
    EXECUTING = "executing", _("executing")
    EXECUTED = "executed", _("executed")
    CLOSED = "closed", _("closed")
    ARCHIVED = "archived", _("archived")


# Statuses that are not open work: the partial index cases_case_agency_open covers the rest. The
# supervision workload chart excludes exactly these (its FINISHED + "lead"), which lets PostgreSQL
# answer it from the index (cases/tests/test_declaration.py keeps the two lists equal).
OPEN_EXCLUDED = ("lead", "closed", "archived", "declined", "transferred", "no_penalty")


class ProposedOutcome(models.TextChoices):
    PENALTY = "penalty", _("penalty")
    NO_PENALTY_MINOR = "no_penalty_minor", _("no penalty (minor violation)")
    FIRST_VIOLATION = "first_violation", _("no penalty (first violation)")
    NO_PENALTY_FACTS = "no_penalty_facts", _("no penalty (facts not established)")
    TRANSFER = "transfer", _("transfer")


class PenaltyKind(models.TextChoices):
    """In order of severity (行政处罚法 Art.9 and 土地管理法): a later kind is heavier."""

    WARNING = "warning", _("warning")
    FINE = "fine", _("fine")
    CONFISCATION = "confiscation", _("confiscation")
    SUSPENSION = "suspension", _("suspension of permits")
    REVOCATION = "revocation", _("revocation of permits")
    STOP_PRODUCTION = "stop_production", _("order to stop production")
    DEMOLITION = "demolition", _("demolition")


PENALTY_ORDER: dict[str, int] = {kind: i for i, kind in enumerate(PenaltyKind.values)}

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Lead(TimeStamped):
    """案件线索 / 案源: where a possible violation came to the agency's notice."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    source = models.CharField(_("source"), max_length=16, choices=LeadSource.choices)
    discovered_on = models.DateField(_("discovered on"))
    description = models.TextField(_("description"))
    location = models.CharField(_("location"), max_length=255, blank=True)
    reported_by = models.CharField(_("reported by"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-discovered_on", "-pk"]
        verbose_name = _("lead")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.discovered_on}"


class Case(TimeStamped):
    """行政处罚案件. `status` is written only by `cases.services.transitions._move`."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    lead = models.OneToOneField(Lead, on_delete=models.PROTECT, related_name="case", verbose_name=_("lead"))
    procedure = models.CharField(
        _("procedure"), max_length=16, choices=Procedure.choices, default=Procedure.GENERAL
    )
    status = models.CharField(
        _("status"), max_length=32, choices=CaseStatus.choices, default=CaseStatus.LEAD, db_index=True
    )
    case_number = models.CharField(_("case number"), max_length=120, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    power_item = models.ForeignKey(
        "catalog.PowerItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("power item"),
    )
    field_code = models.CharField(_("enforcement field"), max_length=40, default="land")
    violation_code = models.CharField(_("violation (discretion standard code)"), max_length=40, blank=True)
    act_started_on = models.DateField(_("act started on"), null=True, blank=True)
    act_ended_on = models.DateField(
        _("act ended on"), null=True, blank=True, help_text=_("Empty while the act continues.")
    )
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    # Investigation report (调查终结报告) and its proposal
    proposed_outcome = models.CharField(
        _("proposed outcome"), max_length=24, choices=ProposedOutcome.choices, blank=True
    )
    proposed_kinds = models.JSONField(_("proposed penalty kinds"), default=list, blank=True)
    proposed_amount = models.DecimalField(_("proposed fine (yuan)"), null=True, blank=True, **MONEY)  # type: ignore[arg-type]
    # 事先告知
    notified_kinds = models.JSONField(_("notified penalty kinds"), default=list, blank=True)
    notified_amount = models.DecimalField(_("notified fine (yuan)"), null=True, blank=True, **MONEY)  # type: ignore[arg-type]
    notice_delivered_on = models.DateField(_("notice delivered on"), null=True, blank=True)
    statement = models.JSONField(_("statement and responses"), default=dict, blank=True)
    # 听证
    hearing_requested_on = models.DateField(_("hearing requested on"), null=True, blank=True)
    hearing_date = models.DateField(_("hearing date"), null=True, blank=True)
    hearing_notice_on = models.DateField(_("hearing notice given on"), null=True, blank=True)
    hearing_chair = models.ForeignKey(
        "org.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hearing chair"),
    )
    hearing_record = models.JSONField(_("hearing record"), default=dict, blank=True)
    # 决定
    decided_kinds = models.JSONField(_("decided penalty kinds"), default=list, blank=True)
    decided_amount = models.DecimalField(_("decided fine (yuan)"), null=True, blank=True, **MONEY)  # type: ignore[arg-type]
    decision_number = models.CharField(_("decision number"), max_length=120, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    delivered_on = models.DateField(_("decision delivered on"), null=True, blank=True)
    delivery_method = models.CharField(_("delivery method"), max_length=20, blank=True)
    execution = models.JSONField(_("execution record"), default=dict, blank=True)
    decision_revoked_on = models.DateField(
        _("decision revoked on"),
        null=True,
        blank=True,
        help_text=_("Set when reconsideration or litigation revoked the decision or found it unlawful."),
    )
    amount_reason = models.TextField(
        _("reason for an amount outside the discretion range"),
        blank=True,
        help_text=_("Needed when the fine lies outside the range the discretion standard recommends."),
    )
    # 责令停止违法行为 / 责令改正 notices issued during the investigation (list of dicts)
    correction_orders = models.JSONField(_("orders to stop or correct"), default=list, blank=True)
    # Orders of the decision: 责令退还土地, 限期拆除, 恢复原状, 没收建筑物 — each with its deadline,
    # on-site verification, court enforcement and hand-over (list of dicts, see cases/services/orders.py)
    orders = models.JSONField(_("orders of the decision"), default=list, blank=True)
    # 延期 / 分期缴纳 approved by the head (行政处罚法 Art.66)
    payment_plan = models.JSONField(_("deferral or instalments"), default=dict, blank=True)
    # 催告, application to the court and its outcome (行政强制法 Arts.35, 53–54)
    enforcement = models.JSONField(_("enforcement record"), default=dict, blank=True)
    crime_transfer = models.JSONField(_("crime transfer decision"), default=dict, blank=True)
    transfer = models.JSONField(_("transfer record"), default=dict, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("case")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "case_number"],
                condition=~models.Q(case_number=""),
                name="cases_case_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status"], name="cases_case_agency_status"),
            # the case lists: newest first within the agencies the actor reads (page and capped count)
            models.Index(fields=["agency", "id"], name="cases_case_agency_id"),
            # the supervision charts and the assessment count cases of a period per agency
            models.Index(fields=["agency", "registered_on"], name="cases_case_agency_registered"),
            models.Index(
                fields=["agency", "decided_on"],
                name="cases_case_agency_decided_amt",
                include=["decided_amount"],
            ),
            # open cases per agency (the workload chart): status outside OPEN_EXCLUDED
            models.Index(
                fields=["agency", "id"],
                name="cases_case_agency_open",
                condition=~models.Q(status__in=OPEN_EXCLUDED),
            ),
            models.Index(fields=["agency", "closed_on"], name="cases_case_agency_closed"),
        ]

    def __str__(self) -> str:
        return self.case_number or f"#{self.pk}"

    def kinds_order(self, kinds: list[Any]) -> int:
        return max((PENALTY_ORDER.get(str(k), -1) for k in kinds), default=-1)


class PartyType(models.TextChoices):
    NATURAL = "natural", _("natural person")
    LEGAL = "legal", _("legal person")
    OTHER = "other", _("other organisation")


class Party(TimeStamped):
    """当事人."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="parties")
    party_type = models.CharField(_("party type"), max_length=16, choices=PartyType.choices)
    name = models.CharField(_("name"), max_length=200)
    id_number = models.CharField(_("identity number"), max_length=32)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    id_warning = models.CharField(_("identity number warning"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return self.name


class OfficerRole(models.TextChoices):
    LEAD = "lead", _("lead officer")
    ASSISTANT = "assistant", _("assisting officer")


class CaseOfficer(TimeStamped):
    """An officer assigned to handle (investigate) a case; inactive after recusal or reassignment."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="officers")
    officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(
        _("role"), max_length=16, choices=OfficerRole.choices, default=OfficerRole.ASSISTANT
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("case officer")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "officer"],
                condition=models.Q(active=True),
                name="cases_one_active_assignment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.officer_id} {self.role}"


class RecusalApplicant(models.TextChoices):
    OFFICER = "officer", _("the officer")
    PARTY = "party", _("the party")


class RecusalOutcome(models.TextChoices):
    PENDING = "pending", _("pending")
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused")


class Recusal(TimeStamped):
    """回避 (行政处罚法 Art.43): applied for by the officer or the party, decided by the head."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="recusals")
    officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT, related_name="+")
    applied_by = models.CharField(_("applied by"), max_length=16, choices=RecusalApplicant.choices)
    reason = models.TextField(_("reason"))
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=RecusalOutcome.choices, default=RecusalOutcome.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("recusal")

    def __str__(self) -> str:
        return f"{self.case_id}/{self.officer_id} {self.outcome}"


class CaseEvent(models.Model):
    """One step of the case timeline; append-only like the ledger."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("sequence"))
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from status"), max_length=32, blank=True)
    to_status = models.CharField(_("to status"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    at = models.DateTimeField(_("at"))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["case", "seq"]
        verbose_name = _("case event")
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="cases_event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("CaseEvent is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("CaseEvent is append-only")


class DeliveryMethod(models.TextChoices):
    """送达方式 (行政处罚法 Art.61 with 民事诉讼法 Arts.87–95)."""

    IN_PERSON = "in_person", _("in person (直接送达)")
    LEFT_AT_RESIDENCE = "left_at_residence", _("left at the residence (留置送达)")
    POST = "post", _("by post (邮寄送达)")
    ENTRUSTED = "entrusted", _("entrusted (委托送达)")
    ELECTRONIC = "electronic", _("electronic, with the party's consent (电子送达)")
    PUBLIC_NOTICE = "public_notice", _("public notice (公告送达)")


class DeliveredDocument(models.TextChoices):
    DECISION = "decision", _("penalty decision")
    NOTICE = "notice", _("notice of the proposed penalty")
    HEARING_NOTICE = "hearing_notice", _("hearing notice")
    REMINDER = "reminder", _("written reminder (催告书)")
    CORRECTION_ORDER = "correction_order", _("order to stop or correct the violation")
    OTHER = "other", _("other document")


class Delivery(TimeStamped):
    """送达 / 送达回证: one document served on the party. Written by `cases.services.delivery_record`.

    `delivered_on` is the date the document counts as served; for a public notice it is derived
    (the announcement date plus 30 days), and every period that runs from receipt starts there.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deliveries")
    document = models.CharField(_("document"), max_length=20, choices=DeliveredDocument.choices)
    method = models.CharField(_("delivery method"), max_length=20, choices=DeliveryMethod.choices)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    witness = models.CharField(_("witness"), max_length=200, blank=True)
    consent_signed = models.BooleanField(_("the party signed consent to electronic delivery"), default=False)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    delivered_on = models.DateField(_("served on"))
    receipt_digest = models.CharField(_("receipt file digest"), max_length=128, blank=True)
    # The 送达回证 issued for this delivery (documents app), and the scan of the receipt the
    # recipient signed, uploaded as a records file of the case (records.EvidenceFile, by id).
    receipt_document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("delivery receipt (送达回证)"),
    )
    receipt_file_id = models.PositiveBigIntegerField(
        _("signed receipt scan (records file)"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "delivered_on", "pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.case_id} {self.document} {self.method} {self.delivered_on}"


class PaymentChannel(models.TextChoices):
    BANK = "bank", _("designated bank")
    ONLINE = "online", _("online payment")
    ON_THE_SPOT = "on_the_spot", _("collected on the spot (当场收缴)")
    COURT = "court", _("court enforcement")
    OTHER = "other", _("other")


class Payment(TimeStamped):
    """缴款: one payment of a fine (or of the late surcharge) with its receipt number."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    receipt_number = models.CharField(_("receipt number"), max_length=100)
    channel = models.CharField(
        _("channel"), max_length=16, choices=PaymentChannel.choices, default=PaymentChannel.BANK
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "paid_on", "pk"]
        verbose_name = _("payment")
        # fines collected per period (supervision charts)
        indexes = [models.Index(fields=["paid_on", "case"], name="cases_payment_paid_on", include=["amount"])]
        constraints = [
            models.UniqueConstraint(fields=["case", "receipt_number"], name="cases_payment_receipt_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="cases_payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.amount} {self.receipt_number}"


class RemedyKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("administrative reconsideration (行政复议)")
    LITIGATION = "litigation", _("administrative litigation (行政诉讼)")


class RemedyOutcome(models.TextChoices):
    UPHELD = "upheld", _("upheld (维持)")
    CHANGED = "changed", _("changed (变更)")
    REVOKED = "revoked", _("revoked (撤销)")
    CONFIRMED_UNLAWFUL = "confirmed_unlawful", _("confirmed unlawful (确认违法)")


class Remedy(TimeStamped):
    """复议 / 诉讼 against the decision: the application and, once decided, its outcome."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="remedies")
    kind = models.CharField(_("kind"), max_length=20, choices=RemedyKind.choices)
    filed_on = models.DateField(_("filed on"))
    body = models.CharField(_("reconsideration body or court"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=20, choices=RemedyOutcome.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["case", "filed_on", "pk"]
        verbose_name = _("reconsideration or litigation")
        verbose_name_plural = _("reconsiderations and litigation")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.outcome or 'pending'}"
