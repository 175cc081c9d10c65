"""行政调解: administrative mediation of land, mining and water disputes (issue 8 §5, seeds 001, 004).

`status` is written only by `mediation.services._move` (one table, `mediation.states.TRANSITIONS`).
A mediation has its parties (each side with its representatives), its sessions with their records,
the parties' agreements to extend the time limit, recusals of mediators, and ends with a signed
agreement (调解协议书, a document of the documents app) or a failure naming the routes left to the
parties (行政裁决, 诉讼).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models.base import TimeStamped


class DisputeKind(models.TextChoices):
    LAND_OWNERSHIP = "land_ownership", _("land ownership dispute")
    LAND_USE = "land_use", _("land use right dispute")
    MINING = "mining", _("mining right dispute")
    WATER = "water", _("water dispute")


class Channel(models.TextChoices):
    WINDOW = "window", _("at the window")
    PHONE = "phone", _("by phone")
    ONLINE = "online", _("online")


class Status(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("mediation status", "applied")
    ACCEPTED = "accepted", pgettext_lazy("mediation status", "accepted")
    REFUSED = "refused", pgettext_lazy("mediation status", "not accepted")
    MEDIATING = "mediating", pgettext_lazy("mediation status", "being mediated")
    AGREED = "agreed", pgettext_lazy("mediation status", "agreement reached")
    FAILED = "failed", pgettext_lazy("mediation status", "mediation failed")
    WITHDRAWN = "withdrawn", pgettext_lazy("mediation status", "withdrawn")


OPEN_STATUSES = (Status.APPLIED, Status.ACCEPTED, Status.MEDIATING)


class Side(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    RESPONDENT = "respondent", _("respondent")


class Mediation(TimeStamped):
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    number = models.CharField(_("number"), max_length=80, blank=True)
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    kind = models.CharField(_("kind of dispute"), max_length=20, choices=DisputeKind.choices)
    channel = models.CharField(_("received"), max_length=10, choices=Channel.choices)
    summary = models.TextField(_("the dispute"))
    request = models.TextField(_("what the applicant asks for"), blank=True)
    location = models.CharField(_("location"), max_length=255, blank=True)
    # Duplicate guard: the kind and both sides' names, normalised; unique among open mediations.
    duplicate_key = models.CharField(max_length=64)
    received_on = models.DateField(_("received on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLIED)
    mediator = models.ForeignKey(
        "org.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("mediator"),
    )
    related_case_id = models.PositiveBigIntegerField(_("related case"), null=True, blank=True)
    decided_at = models.DateTimeField(_("acceptance decided at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for not accepting"), blank=True)
    refusal_document_id = models.PositiveBigIntegerField(_("notice of not accepting"), null=True, blank=True)
    refusal_document_number = models.CharField(_("number of the notice"), max_length=80, blank=True)
    agreement_terms = models.TextField(_("terms of the agreement"), blank=True)
    performance = models.TextField(_("manner and time of performance"), blank=True)
    document_id = models.PositiveBigIntegerField(_("agreement document"), null=True, blank=True)
    document_number = models.CharField(_("agreement number"), max_length=80, blank=True)
    failure_reason = models.TextField(_("why the mediation failed"), blank=True)
    routes = models.TextField(_("routes left to the parties"), blank=True)
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")
        indexes = [
            models.Index(fields=["agency", "status"]),
            # the list order: its first page is an index scan (benchmarks/guidance_mediation_bench.py)
            models.Index(fields=["agency", "-received_on", "-id"], name="mediation_list_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "duplicate_key"],
                condition=models.Q(status__in=["applied", "accepted", "mediating"]),
                name="mediation_one_open_per_dispute",
            )
        ]

    def __str__(self) -> str:
        return self.number or self.tracking_code


class Party(models.Model):
    mediation = models.ForeignKey(Mediation, on_delete=models.PROTECT, related_name="parties")
    side = models.CharField(_("side"), max_length=12, choices=Side.choices)
    name = models.CharField(_("name"), max_length=200)
    id_number = models.CharField(_("identity number or credit code"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    representative = models.CharField(_("representative"), max_length=100, blank=True)
    representative_role = models.CharField(_("representative's capacity"), max_length=60, blank=True)
    signed_on = models.DateField(_("signed the agreement on"), null=True, blank=True)

    class Meta:
        ordering = ["side", "pk"]
        verbose_name = _("party")

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """A mediation session and its record (调解笔录): who attended, what was said."""

    mediation = models.ForeignKey(Mediation, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=255)
    attendees = models.TextField(_("attendees"))
    record = models.TextField(_("record"))
    recorded_by = models.ForeignKey(
        "org.Officer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("session")

    def __str__(self) -> str:
        return f"{self.mediation_id} {self.held_on}"


class Extension(models.Model):
    """The parties' agreement to extend the time limit (an act of its own, never an edit)."""

    mediation = models.ForeignKey(Mediation, on_delete=models.PROTECT, related_name="extensions")
    days = models.PositiveIntegerField(_("days"))
    agreed_on = models.DateField(_("agreed on"))
    note = models.TextField(_("how the parties agreed"))
    old_due = models.DateField()
    new_due = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("extension")

    def __str__(self) -> str:
        return f"{self.mediation_id} +{self.days}"


class RecusalGround(models.TextChoices):
    RELATIVE = "relative", _("a close relative of a party")
    RELATED_CASE = "related_case", _("handled a related case")
    INTEREST = "interest", _("another interest in the dispute")


class RecusalOutcome(models.TextChoices):
    PENDING = "pending", pgettext_lazy("mediation recusal", "pending")
    GRANTED = "granted", _("granted: the mediator withdraws")
    REFUSED = "refused", pgettext_lazy("mediation recusal", "refused")


class Recusal(models.Model):
    """回避 of a mediator (as in cases, 行政处罚法 Art.43 by analogy): the head decides."""

    mediation = models.ForeignKey(Mediation, on_delete=models.PROTECT, related_name="recusals")
    officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT, related_name="+")
    ground = models.CharField(_("ground"), max_length=16, choices=RecusalGround.choices)
    reason = models.TextField(_("reason"))
    applied_by = models.CharField(_("applied by"), max_length=100)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=RecusalOutcome.choices, default=RecusalOutcome.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("recusal")

    def __str__(self) -> str:
        return f"{self.mediation_id} {self.officer_id}"
