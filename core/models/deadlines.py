from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStamped


class Deadline(TimeStamped):
    """A statutory or configured time limit started by some act on some object."""

    class Unit(models.TextChoices):
        WORKDAYS = "workdays", _("working days")
        CALENDAR_DAYS = "calendar_days", _("calendar days")
        MONTHS = "months", _("months")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DUE_SOON = "due_soon", _("due soon")
        OVERDUE = "overdue", _("overdue")
        PAUSED = "paused", _("paused")
        SATISFIED = "satisfied", _("satisfied")
        CANCELLED = "cancelled", _("cancelled")

    agency_id = models.BigIntegerField(_("agency"), db_index=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(_("subject id"), max_length=64)
    kind = models.CharField(_("kind"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    amount = models.PositiveIntegerField(_("length"))
    start_date = models.DateField(_("start date"))
    due_date = models.DateField(_("due date"), db_index=True)
    provisional = models.BooleanField(_("provisional"), default=False)
    warn_days = models.PositiveSmallIntegerField(_("warn days before due"), default=2)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    satisfied_by = models.CharField(_("satisfied by"), max_length=120, blank=True)
    satisfied_at = models.DateTimeField(_("satisfied at"), null=True, blank=True)
    # The highest alert level already raised for the current status ("" = none): lets the scan find
    # the deadlines that still need alerts with one indexed filter instead of an anti-join.
    alert_level = models.CharField(_("alert level raised"), max_length=16, blank=True, default="")

    class Meta:
        ordering = ["due_date"]
        verbose_name = _("deadline")
        permissions = [("view_agency_deadlines", _("Can view every deadline of the agencies one sees"))]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["status", "alert_level"], name="core_deadline_alert_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.due_date}"


class DeadlinePause(models.Model):
    """A suspended period (hearing, expert appraisal) that extends the due date when it ends."""

    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, related_name="pauses")
    reason = models.CharField(_("reason"), max_length=200)
    started_on = models.DateField(_("paused from"))
    ended_on = models.DateField(_("resumed on"), null=True, blank=True)

    class Meta:
        ordering = ["started_on"]
        verbose_name = _("deadline pause")

    def __str__(self) -> str:
        return f"{self.started_on} – {self.ended_on or ''}"


class Alert(models.Model):
    """到期预警 / 超期: a deadline near or past, for the responsible officer and the head."""

    class Level(models.TextChoices):
        DUE_SOON = "due_soon", _("due soon")
        OVERDUE = "overdue", _("overdue")

    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, related_name="alerts")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "recipient", "level"], name="uniq_alert_per_level")
        ]
        indexes = [
            # The mail step reads only the alerts not mailed yet; keep that a small index.
            models.Index(fields=["recipient"], condition=models.Q(emailed_at__isnull=True),
                         name="core_alert_unmailed_idx"),
        ]
        verbose_name = _("alert")

    def __str__(self) -> str:
        return f"{self.level} {self.deadline_id} → {self.recipient_id}"
