"""投诉举报: complaints and reports from the public, with a tracking code and time limits.

`status` is written only by `complaints.services._move` (one transition table, TRANSITIONS).
The complainant's identity (contact_*) is never part of a public response nor shown to the officer
complained about or their department (complaints.policies).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.base import TimeStamped


class Category(models.TextChoices):
    VIOLATION = "violation", _("report of a violation")
    CONDUCT = "conduct", _("complaint about enforcement conduct")
    OTHER = "other", _("other")


class Finding(models.TextChoices):
    """What the agency found, recorded with the answer (required for conduct complaints: supervision
    counts the upheld ones, issue 9 §4)."""

    UPHELD = "upheld", _("upheld (成立)")
    PARTLY = "partly", _("partly upheld (部分成立)")
    NOT_UPHELD = "not_upheld", _("not upheld (不成立)")


UPHELD_FINDINGS = (Finding.UPHELD, Finding.PARTLY)


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    ACCEPTED = "accepted", _("accepted")
    ASSIGNED = "assigned", _("being handled")
    CONVERTED = "converted", _("turned into a case lead")
    REPLIED = "replied", _("answered")
    CLOSED = "closed", _("closed")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    PARTLY = "partly", _("partly satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


class LeadDecision(models.TextChoices):
    NONE = "", _("not decided")
    LEAD = "lead", _("case lead")
    NO_LEAD = "no_lead", _("no case lead")


class Complaint(TimeStamped):
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    description = models.TextField(_("description"))
    location = models.CharField(_("location"), max_length=255, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    contact_name = models.CharField(_("name"), max_length=100, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_email = models.CharField(_("e-mail"), max_length=254, blank=True)
    officer_named = models.CharField(_("officer named by the complainant"), max_length=100, blank=True)
    officer_certificate = models.CharField(_("certificate number given"), max_length=60, blank=True)
    subject_officer = models.ForeignKey(
        "org.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("officer complained about"),
    )
    received_on = models.DateField(_("received on"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
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
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    lead_decision = models.CharField(
        _("case lead decision"), max_length=8, choices=LeadDecision.choices, default="", blank=True
    )
    lead_decision_reason = models.TextField(_("reason"), blank=True)
    lead_decided_at = models.DateTimeField(_("lead decided at"), null=True, blank=True)
    case_id = models.PositiveBigIntegerField(_("case"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    finding = models.CharField(_("finding"), max_length=12, choices=Finding.choices, blank=True)
    replied_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    feedback = models.TextField(_("feedback"), blank=True)
    feedback_at = models.DateTimeField(_("feedback at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return self.tracking_code


class Attachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.BigIntegerField(_("size in bytes"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return self.filename


class Handover(models.Model):
    """A hand-over of responsibility (首问负责): from the owner to a named colleague."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="handovers")
    from_officer = models.ForeignKey(
        "org.Officer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("hand-over")

    def __str__(self) -> str:
        return f"{self.from_officer_id} → {self.to_officer_id}"
