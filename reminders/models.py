"""Reminders (事前提示): rules as data, the reminders the scan derives from the clock's deadlines,
one delivery record per attempt, and the tasks an officer does by hand (phone call, no contact).

A `Reminder` is one (rule, deadline, days-before) triple — unique, so a rerun of the scan or two
scans at once never create it twice. Its status changes only through `reminders.services._move`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import Deadline
from core.models.base import AppendOnlyQuerySet, TimeStamped


class Channel(models.TextChoices):
    EMAIL = "email", pgettext_lazy("reminders", "e-mail")
    SMS = "sms", _("SMS")
    LETTER = "letter", _("letter (提示书)")
    PHONE = "phone", _("phone call by an officer")


class Audience(models.TextChoices):
    PARTY = "party", _("the party or licence holder")
    OFFICER = "officer", _("the responsible officer")


class ReminderRule(TimeStamped):
    """Which deadlines produce reminders, how many days before the due date, to whom and how."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    deadline_kind = models.CharField(_("deadline kind"), max_length=80, db_index=True)
    offsets = models.JSONField(_("days before the due date"), default=list)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    channels = models.JSONField(_("channels in order"), default=list)
    template_text = models.TextField(_("text of the reminder"))
    active = models.BooleanField(pgettext_lazy("reminders", "active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["deadline_kind", "audience", "code"]
        verbose_name = _("reminder rule")
        permissions = [("manage_reminderrule", _("Can edit reminder rules and delivery settings"))]

    def __str__(self) -> str:
        return self.name

    def offsets_desc(self) -> list[int]:
        return sorted({int(o) for o in self.offsets}, reverse=True)


class ReminderStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    DELIVERED = "delivered", _("delivered")
    TASK = "task", _("with an officer")
    FAILED = "failed", pgettext_lazy("reminders", "failed")
    CANCELLED = "cancelled", _("cancelled")


class Reminder(TimeStamped):
    rule = models.ForeignKey(ReminderRule, on_delete=models.PROTECT, related_name="reminders")
    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, related_name="+")
    days_before = models.PositiveSmallIntegerField(_("days before the due date"))
    agency_id = models.BigIntegerField(pgettext_lazy("reminders", "agency"), db_index=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=ReminderStatus.choices, default=ReminderStatus.QUEUED
    )
    channel = models.CharField(
        pgettext_lazy("reminders", "channel"), max_length=16, choices=Channel.choices, blank=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts on the current channel"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # Filled when first sent (from the subject's contact selector).
    recipient_name = models.CharField(pgettext_lazy("reminders", "recipient"), max_length=200, blank=True)
    email = models.CharField(pgettext_lazy("reminders", "e-mail"), max_length=254, blank=True)
    phone = models.CharField(pgettext_lazy("reminders", "phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    reference = models.CharField(
        _("reference (licence or case number)"), max_length=120, blank=True, db_index=True
    )
    access_code = models.CharField(_("access code"), max_length=16, blank=True)
    text = models.TextField(_("text sent"), blank=True)
    document_id = models.BigIntegerField(_("letter document"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("reminder")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "deadline", "days_before"], name="reminders_one_per_offset"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="reminders_due_idx"),
            models.Index(fields=["agency_id", "id"], name="reminders_agency_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}/{self.deadline_id}/{self.days_before}"


class DeliveryStatus(models.TextChoices):
    SENT = "sent", _("sent")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", pgettext_lazy("reminders", "failed")
    RETRY = "retry", _("failed, will be retried")


class Delivery(models.Model):
    """One attempt to deliver a reminder on one channel (append-only)."""

    reminder = models.ForeignKey(Reminder, on_delete=models.PROTECT, related_name="deliveries")
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    channel = models.CharField(pgettext_lazy("reminders", "channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=16, choices=DeliveryStatus.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    provider_id = models.CharField(_("provider message id"), max_length=100, blank=True, db_index=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("delivery attempt")

    def __str__(self) -> str:
        return f"{self.reminder_id} #{self.attempt} {self.status}"


class SmsMessage(models.Model):
    """The log of every SMS handed to the gateway, with its delivery report when it arrives."""

    reminder = models.ForeignKey(Reminder, null=True, on_delete=models.PROTECT, related_name="sms")
    notification = models.ForeignKey(
        "reminders.Notification", null=True, blank=True, on_delete=models.PROTECT, related_name="sms"
    )
    phone = models.CharField(pgettext_lazy("reminders", "phone"), max_length=50)
    text = models.TextField(pgettext_lazy("reminders", "text"))
    provider_id = models.CharField(_("provider message id"), max_length=100, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, default="submitted")
    report = models.JSONField(_("delivery report"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("SMS message")

    def __str__(self) -> str:
        return f"{self.phone} {self.provider_id}"


class TaskKind(models.TextChoices):
    PHONE_CALL = "phone_call", _("phone the party")
    NO_CONTACT = "no_contact", _("no contact channel: reach the party another way")
    DELIVERY_FAILED = "delivery_failed", _("delivery failed: reach the party another way")
    LETTER = "letter", _("print and send the letter")


class TaskOutcome(models.TextChoices):
    REACHED = "reached", _("reached: the party was reminded")
    NOT_REACHED = "not_reached", _("not reached")


class ReminderTask(TimeStamped):
    """Work for an officer: phone the party, or reach a party the channels could not."""

    reminder = models.ForeignKey(Reminder, on_delete=models.PROTECT, related_name="tasks")
    kind = models.CharField(_("task"), max_length=20, choices=TaskKind.choices)
    agency_id = models.BigIntegerField(pgettext_lazy("reminders", "agency"), db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(
        pgettext_lazy("reminders", "outcome"), max_length=16, choices=TaskOutcome.choices, blank=True
    )
    note = models.TextField(pgettext_lazy("reminders", "note"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["done_at", "-pk"]
        verbose_name = _("reminder task")
        constraints = [
            models.UniqueConstraint(fields=["reminder", "kind"], name="reminders_one_task_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reminder_id}"


class ReminderTaskHandover(models.Model):
    """移交 of a reminder task to a named colleague (首问负责, issue 8 §6): who had it, who has it
    now, why, and who handed it over. Append-only: the ledger act reminder.task_handover too."""

    task = models.ForeignKey(ReminderTask, on_delete=models.PROTECT, related_name="handovers")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task", "pk"]
        verbose_name = _("hand-over of a reminder task")

    def __str__(self) -> str:
        return f"task {self.task_id} → {self.to_user_id}"


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", pgettext_lazy("reminders", "failed")
    NO_CONTACT = "no_contact", _("no contact channel")


class Notification(TimeStamped):
    """A message to a party about an act of another domain (a mediation accepted, a session held…),
    queued in the act's transaction and sent by the reminders' e-mail and SMS channels; every attempt
    is a ledger act. `key` makes queueing idempotent (one message per act and recipient)."""

    key = models.CharField(_("key"), max_length=120, unique=True)
    agency_id = models.BigIntegerField(pgettext_lazy("reminders", "agency"), db_index=True)
    subject_label = models.CharField(_("subject"), max_length=60)
    subject_id = models.CharField(_("subject id"), max_length=40)
    event = models.CharField(_("event"), max_length=60)
    recipient_name = models.CharField(pgettext_lazy("reminders", "recipient"), max_length=200)
    email = models.CharField(pgettext_lazy("reminders", "e-mail"), max_length=254, blank=True)
    phone = models.CharField(pgettext_lazy("reminders", "phone"), max_length=50, blank=True)
    subject = models.CharField(_("subject line"), max_length=200)
    text = models.TextField(pgettext_lazy("reminders", "text"))
    status = models.CharField(
        _("status"), max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED
    )
    channel = models.CharField(
        pgettext_lazy("reminders", "channel"), max_length=16, choices=Channel.choices, blank=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts on the current channel"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    provider_id = models.CharField(_("provider message id"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("notification to a party")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="reminders_notice_due_idx"),
            models.Index(fields=["subject_label", "subject_id"], name="reminders_notice_subject_idx"),
        ]

    def __str__(self) -> str:
        return self.key
