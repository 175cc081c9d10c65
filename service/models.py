"""Licences (行政许可), applications and post-licence supervision (issue 8 §1).

Statuses change only through `service.services.applications._move` (APPLICATION_TRANSITIONS) and
`service.services.licences._move_licence` (LICENCE_TRANSITIONS). Legal figures (time limits,
supervision frequencies) are data: LegalSetting rows and `SupervisionFrequency` rows seeded by
migration.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.base import TimeStamped


class LicenceKind(TimeStamped):
    """A kind of administrative licence (catalog data; defaults seeded by migration 0002).

    `power_code` links it to the power-list item (权责清单) where the catalog has one; `field_code`
    is the field of enforcement whose certificate the handling staff must hold."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    power_code = models.CharField(_("power item code"), max_length=40, blank=True)
    field_code = models.CharField(_("field of enforcement"), max_length=40, default="land")
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    temporary_land = models.BooleanField(_("temporary land use (return date)"), default=False)
    validity_months = models.PositiveIntegerField(_("usual validity (months)"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("licence kind")

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    WINDOW = "window", _("service window")
    ONLINE = "online", _("online (一网通办)")


class AppStatus(models.TextChoices):
    RECEIVED = "received", _("application received")
    CORRECTION = "correction", _("materials to be completed")
    ACCEPTED = "accepted", _("application accepted")
    PAUSED = "paused", _("paused (hearing or expert review)")
    REJECTED = "rejected", _("application not accepted")
    GRANTED = "granted", _("licence granted")
    REFUSED = "refused", _("licence refused")
    ISSUED = "issued", _("licence issued")
    DEEMED_RENEWED = "deemed_renewed", _("renewal deemed granted")


class Application(TimeStamped):
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    kind = models.ForeignKey(
        LicenceKind, on_delete=models.PROTECT, related_name="applications", verbose_name=_("licence kind")
    )
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    applicant_name = models.CharField(_("applicant"), max_length=100)
    applicant_id_number = models.CharField(_("identity number or credit code"), max_length=30)
    applicant_phone = models.CharField(_("phone"), max_length=30, blank=True)
    applicant_email = models.CharField(_("e-mail"), max_length=254, blank=True)
    applicant_address = models.CharField(_("address"), max_length=255, blank=True)
    project = models.CharField(_("project or scope applied for"), max_length=200)
    location = models.CharField(_("location"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    joint = models.BooleanField(_("joint or centralised handling"), default=False)
    renewal_of = models.ForeignKey(
        "Licence",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
        verbose_name=_("renewal of licence"),
    )
    dedup_key = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AppStatus.choices, default=AppStatus.RECEIVED
    )
    received_on = models.DateField(_("received on"))
    first_contact = models.ForeignKey(
        "org.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("first-contact officer"),
    )
    owner = models.ForeignKey(
        "org.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible officer"),
    )
    missing_materials = models.TextField(_("missing materials"), blank=True)
    correction_on = models.DateField(_("correction requested on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("accepted on receipt by law"), default=False)
    extended = models.BooleanField(_("time limit extended"), default=False)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    decision_reason = models.TextField(_("reasons of the decision"), blank=True)
    # What a grant allows (scope, location, valid_from, valid_until, conditions, risk_level,
    # return_date), fixed by the decision and copied onto the licence when it is issued.
    grant_terms = models.JSONField(_("terms of the grant"), default=dict, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("licence application")
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return self.tracking_code


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="attachments")
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.BigIntegerField(_("size in bytes"))

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class Handover(models.Model):
    """首问负责: responsibility for an application handed to a named colleague."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="handovers")
    from_officer = models.ForeignKey(
        "org.Officer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.from_officer_id} → {self.to_officer_id}"


class RiskLevel(models.TextChoices):
    LOW = "low", _("low risk")
    MEDIUM = "medium", _("medium risk")
    HIGH = "high", _("high risk")


class LicenceStatus(models.TextChoices):
    VALID = "valid", _("licence valid")
    EXPIRED = "expired", _("licence expired")
    REVOKED = "revoked", _("licence revoked")
    WITHDRAWN = "withdrawn", _("licence withdrawn")
    CANCELLED = "cancelled", _("licence cancelled")


class Licence(TimeStamped):
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    kind = models.ForeignKey(
        LicenceKind, on_delete=models.PROTECT, related_name="licences", verbose_name=_("licence kind")
    )
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="licence"
    )
    number = models.CharField(_("licence number"), max_length=60)
    holder_name = models.CharField(_("holder"), max_length=100)
    holder_id_number = models.CharField(_("identity number or credit code"), max_length=30)
    holder_phone = models.CharField(_("phone"), max_length=30, blank=True)
    holder_email = models.CharField(_("e-mail"), max_length=254, blank=True)
    holder_address = models.CharField(_("address"), max_length=255, blank=True)
    scope = models.CharField(_("scope"), max_length=300)
    location = models.CharField(_("location"), max_length=255)
    conditions = models.TextField(_("conditions"), blank=True)
    supervision_number = models.CharField(
        _("national electronic supervision number"), max_length=60, blank=True
    )
    issued_on = models.DateField(_("issued on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), db_index=True)
    return_date = models.DateField(_("land to be returned by"), null=True, blank=True)
    risk_level = models.CharField(
        _("risk level"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=10, choices=LicenceStatus.choices, default=LicenceStatus.VALID
    )
    renewed_times = models.PositiveSmallIntegerField(_("renewals"), default=0)
    # 撤销 / 撤回 / 注销 (行政许可法 Arts.8, 69, 70): when, why and under which provision it ended.
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason it ended"), blank=True)
    end_basis = models.CharField(_("legal basis of the ending"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("licence")
        indexes = [models.Index(fields=["agency", "status"]), models.Index(fields=["issued_on"])]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="service_licence_number")]

    def __str__(self) -> str:
        return self.number


class SupervisionFrequency(TimeStamped):
    """Post-licence inspection interval by risk level ([U] configuration, seeded by migration)."""

    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices, unique=True)
    interval_days = models.PositiveIntegerField(_("inspect every (days)"))

    class Meta:
        ordering = ["interval_days"]
        verbose_name = _("supervision frequency")

    def __str__(self) -> str:
        return f"{self.risk_level}: {self.interval_days}"


class InspectionKind(models.TextChoices):
    PLAN = "plan", _("post-licence supervision")
    RANDOM = "random", _("random inspection (双随机)")


class Inspection(TimeStamped):
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("licence")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=InspectionKind.choices)
    draw = models.ForeignKey(
        "RandomDraw", null=True, blank=True, on_delete=models.PROTECT, related_name="inspections"
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    officers = models.ManyToManyField(
        "org.Officer", related_name="+", blank=True, verbose_name=_("inspectors")
    )
    findings = models.TextField(_("findings"), blank=True)
    violation = models.BooleanField(_("violation found"), default=False)
    case_id = models.PositiveBigIntegerField(_("case"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("inspection")
        indexes = [models.Index(fields=["agency", "done_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.due_on}"


class Patrol(TimeStamped):
    """动态巡查: one day's patrol record (seed 000 四(二))."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("date"))
    route = models.CharField(_("route"), max_length=300)
    officers = models.ManyToManyField("org.Officer", related_name="+", verbose_name=_("officers"))
    findings = models.TextField(_("findings"))
    violation = models.BooleanField(_("violation found"), default=False)
    case_id = models.PositiveBigIntegerField(_("case"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("patrol record")

    def __str__(self) -> str:
        return f"{self.on} {self.route}"


class RandomDraw(TimeStamped):
    """双随机一公开: inspectees and inspectors drawn with a recorded seed (reproducible)."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    seed = models.CharField(_("seed"), max_length=64)
    drawn_on = models.DateField(_("drawn on"))
    field_code = models.CharField(_("field of enforcement"), max_length=40)
    inspectee_pool = models.JSONField(_("inspectee list (licence ids)"), default=list)
    officer_pool = models.JSONField(_("inspector list (officer ids)"), default=list)
    picks = models.JSONField(_("result"), default=list)  # [{"licence": id, "officers": [id, id]}]
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        ordering = ["-drawn_on", "-pk"]
        verbose_name = _("random inspection draw")

    def __str__(self) -> str:
        return self.title


class HearingStatus(models.TextChoices):
    NOTIFIED = "notified", _("right to a hearing notified")
    REQUESTED = "requested", _("hearing requested")
    WAIVED = "waived", _("hearing not requested")
    SCHEDULED = "scheduled", _("hearing scheduled")
    HELD = "held", _("hearing held")


class Hearing(TimeStamped):
    """听证 on a licence application (行政许可法 Arts.46–48): the right notified, the request within
    5 days, the hearing held within 20 days and notified 7 days before, the record. Statuses change
    only through `service.services.hearings._move_hearing` (HEARING_TRANSITIONS)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="hearings", verbose_name=_("application")
    )
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=HearingStatus.choices, default=HearingStatus.NOTIFIED
    )
    reason = models.CharField(_("why a hearing"), max_length=300)
    notified_on = models.DateField(_("right notified on"))
    requested_on = models.DateField(_("requested on"), null=True, blank=True)
    requested_by = models.CharField(_("requested by"), max_length=200, blank=True)
    notice_on = models.DateField(_("hearing notice sent on"), null=True, blank=True)
    hearing_on = models.DateField(_("hearing date"), null=True, blank=True)
    hearing_time = models.CharField(_("time of the hearing"), max_length=40, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    presiding = models.CharField(_("presiding officer"), max_length=100, blank=True)
    public = models.BooleanField(_("held in public"), default=True)
    record = models.TextField(_("hearing record"), blank=True)
    attendees = models.TextField(_("attendees"), blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)

    class Meta:
        ordering = ["-notified_on", "-pk"]
        verbose_name = _("licence hearing")

    def __str__(self) -> str:
        return f"{self.application_id} {self.status}"


class DeliveryMethod(models.TextChoices):
    WINDOW = "window", _("handed over at the service window")
    POST = "post", _("by post")
    ELECTRONIC = "electronic", _("electronically (e-mail)")
    ONLINE = "online", _("downloaded on the portal with the tracking code")
    PUBLIC_NOTICE = "public_notice", _("by public notice")


class NoticeDelivery(models.Model):
    """How a licensing notice (受理/补正/不予受理/准予/不予许可/听证/撤销…) reached the applicant or
    holder, recorded by the officer (or by the portal when the applicant downloads it)."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField(max_length=40)  # service.application | service.licence
    subject_id = models.PositiveBigIntegerField()
    document_id = models.PositiveBigIntegerField(_("document"))
    document_number = models.CharField(_("document number"), max_length=120)
    method = models.CharField(_("delivery method"), max_length=16, choices=DeliveryMethod.choices)
    delivered_on = models.DateField(_("delivered on"))
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("notice delivery")
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.document_number} {self.method}"
