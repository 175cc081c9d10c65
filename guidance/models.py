"""事前提示 / 事中指导 / 行政指导, the typical-case library (典型案例) and inquiries with first-contact
responsibility (首问负责) — issue 8 §3 and §6, seeds 000, 001, 004.

Statuses change only through the `_move` of `guidance.services` (guidance records, typical cases)
and `guidance.inquiries` (inquiries), each with its own transition table.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models.base import TimeStamped


class GuidanceKind(models.TextChoices):
    PROMPT = "prompt", _("advance prompt (提示书)")
    OPINION = "opinion", _("guidance opinion (指导意见书)")
    ONSITE = "onsite", _("on-site guidance")


class Method(models.TextChoices):
    """行政指导的方式 (GLOSSARY: Guidance)."""

    REMIND = "remind", _("remind")
    PROMPT = "prompt", _("prompt")
    DEMONSTRATE = "demonstrate", _("demonstrate")
    COACH = "coach", _("coach")
    CONSULT = "consult", _("consult")
    AGREE = "agree", _("agree (administrative contract)")
    ADVISE = "advise", _("advise")
    PERSUADE = "persuade", _("persuade")
    ADMONISH = "admonish", _("admonish")
    INTERVIEW = "interview", _("interview")


class GuidanceStatus(models.TextChoices):
    RECORDED = "recorded", pgettext_lazy("guidance status", "recorded")
    RECTIFYING = "rectifying", pgettext_lazy("guidance status", "rectification due")
    RECTIFIED = "rectified", pgettext_lazy("guidance status", "rectified")
    NOT_RECTIFIED = "not_rectified", pgettext_lazy("guidance status", "not rectified: case lead")


class GuidanceRecord(TimeStamped):
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=GuidanceKind.choices)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    party_name = models.CharField(_("party"), max_length=200)
    party_id_number = models.CharField(_("identity number or credit code"), max_length=40, blank=True)
    party_address = models.CharField(_("address"), max_length=255, blank=True)
    party_phone = models.CharField(_("phone"), max_length=30, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    occurred_on = models.DateField(_("date"))
    officers = models.ManyToManyField("org.Officer", related_name="+", verbose_name=_("officers"))
    matter = models.CharField(_("matter"), max_length=300)
    advice = models.TextField(_("what was advised"))
    basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    rectification_text = models.CharField(_("what is to be rectified"), max_length=500, blank=True)
    rectification_deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    related_case_id = models.PositiveBigIntegerField(_("case guided during"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=GuidanceStatus.choices)
    outcome_note = models.TextField(_("outcome"), blank=True)
    outcome_on = models.DateField(_("outcome recorded on"), null=True, blank=True)
    case_id = models.PositiveBigIntegerField(_("case lead"), null=True, blank=True)
    document_id = models.PositiveBigIntegerField(_("document"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("guidance record")
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.party_name} {self.matter}"


class Field(models.TextChoices):
    LAND = "land", _("land")
    MINERAL = "mineral", _("mineral resources")
    PLANNING = "planning", _("spatial planning")
    GEOLOGY = "geology", _("geological environment")
    OTHER = "other", _("other")


class CaseCategory(models.TextChoices):
    TYPICAL_CASE = "case", _("typical case")
    METHOD = "method", _("guidance method")


class TypicalStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("typical case", "draft")
    SUBMITTED = "submitted", pgettext_lazy("typical case", "submitted for review")
    PUBLISHED = "published", pgettext_lazy("typical case", "published")
    WITHDRAWN = "withdrawn", pgettext_lazy("typical case", "withdrawn")


class TypicalCase(TimeStamped):
    """A typical case or guidance method of the library, drafted from a closed case (masked) or by hand."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    category = models.CharField(_("category"), max_length=8, choices=CaseCategory.choices)
    field = models.CharField(_("field"), max_length=10, choices=Field.choices)
    method = models.CharField(_("guidance method"), max_length=12, choices=Method.choices, blank=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    body = models.TextField(_("the case"))
    lessons = models.TextField(_("commentary"), blank=True)
    source_case_id = models.PositiveBigIntegerField(_("source case"), null=True, blank=True)
    masked_items = models.PositiveIntegerField(_("personal data masked"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=TypicalStatus.choices, default=TypicalStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(_("review note"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("typical case")
        indexes = [models.Index(fields=["status", "field"])]

    def __str__(self) -> str:
        return self.title


class InquiryChannel(models.TextChoices):
    PHONE = "phone", _("by phone")
    WINDOW = "window", _("at the window")
    ONLINE = "online", _("online")


class InquiryStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("inquiry", "received, nobody responsible yet")
    OPEN = "open", pgettext_lazy("inquiry", "being answered")
    REPLIED = "replied", pgettext_lazy("inquiry", "answered")


class Inquiry(TimeStamped):
    """咨询: one owner from the first contact until handed over to a named colleague (首问负责)."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    channel = models.CharField(_("channel"), max_length=8, choices=InquiryChannel.choices)
    asker_name = models.CharField(_("name"), max_length=100)
    asker_phone = models.CharField(_("phone"), max_length=30, blank=True)
    asker_email = models.CharField(_("e-mail"), max_length=254, blank=True)
    question = models.TextField(_("question"))
    received_on = models.DateField(_("received on"))
    status = models.CharField(
        _("status"), max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.RECEIVED
    )
    first_contact = models.ForeignKey(
        "org.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("first contact"),
    )
    owner = models.ForeignKey(
        "org.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible officer"),
    )
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["agency", "-received_on", "-id"], name="inquiry_list_idx"),
        ]

    def __str__(self) -> str:
        return self.tracking_code


class InquiryHandover(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.PROTECT, related_name="handovers")
    from_officer = models.ForeignKey("org.Officer", null=True, on_delete=models.PROTECT, related_name="+")
    to_officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("hand-over")

    def __str__(self) -> str:
        return f"{self.from_officer_id} → {self.to_officer_id}"


class OverdueKind(models.TextChoices):
    INQUIRY = "inquiry", _("inquiry")
    APPLICATION = "application", _("licence application")
    REMINDER_TASK = "reminder_task", _("reminder response")
    MEDIATION = "mediation", _("application for mediation")


class Escalation(models.Model):
    """A first-contact item (首问负责) found overdue and reported to the agency's heads — once per
    item, so the daily job never reports it twice; the notification to each head is recorded by the
    reminders app, the escalation itself in the ledger."""

    kind = models.CharField(_("kind"), max_length=20, choices=OverdueKind.choices)
    item_id = models.BigIntegerField(_("item"))
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    owner_name = models.CharField(_("responsible officer"), max_length=100, blank=True)
    due_date = models.DateField(_("due date"))
    escalated_on = models.DateField(_("reported to the head on"))
    heads = models.JSONField(_("heads notified"), default=list)

    class Meta:
        ordering = ["-escalated_on", "-pk"]
        verbose_name = _("escalation to the head")
        constraints = [models.UniqueConstraint(fields=["kind", "item_id"], name="guidance_escalation_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_id}"
