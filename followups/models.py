"""Follow-up visits (事后回访): rules as data, one follow-up per (rule, subject), the questionnaire
(回访意见表) answered once — by the party behind a signed link, or recorded by the officer who calls
or visits when it does not come back in time. Statuses change only through `services._move`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models.base import TimeStamped


class Source(models.TextChoices):
    CASE_CLOSED = "case_closed", _("penalty case closed")
    LICENCE_GRANTED = "licence_granted", pgettext_lazy("followups", "licence granted")


class FollowupRule(TimeStamped):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    source = models.CharField(_("event"), max_length=20, choices=Source.choices, unique=True)
    days_after = models.PositiveSmallIntegerField(_("follow up after (days)"))
    answer_days = models.PositiveSmallIntegerField(_("days to answer before a call or visit"))
    by_whom = models.CharField(_("by whom"), max_length=120)
    method = models.CharField(_("how"), max_length=200)
    active = models.BooleanField(pgettext_lazy("followups", "active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["source"]
        verbose_name = _("follow-up rule")
        permissions = [("manage_followuprule", _("Can edit follow-up rules"))]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    OPEN = "open", _("waiting for the answer")
    CALL = "call", _("to call or visit")
    ANSWERED = "answered", pgettext_lazy("followups", "answered")
    UNREACHABLE = "unreachable", _("party not reached")


class Followup(TimeStamped):
    rule = models.ForeignKey(FollowupRule, on_delete=models.PROTECT, related_name="followups")
    subject_type = models.CharField(
        pgettext_lazy("followups", "subject type"), max_length=40
    )  # "cases.case" / "service.licence"
    subject_id = models.CharField(pgettext_lazy("followups", "subject id"), max_length=64)
    agency_id = models.BigIntegerField(pgettext_lazy("followups", "agency"), db_index=True)
    reference = models.CharField(_("case or licence number"), max_length=120, blank=True)
    title = models.CharField(_("matter"), max_length=200, blank=True)
    party_name = models.CharField(_("party"), max_length=200, blank=True)
    party_phone = models.CharField(pgettext_lazy("followups", "phone"), max_length=50, blank=True)
    party_address = models.CharField(_("address"), max_length=255, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("followups", "officer"),
    )
    event_on = models.DateField(_("event date"))
    due_on = models.DateField(_("follow-up date"), db_index=True)
    answer_by = models.DateField(_("answer expected by"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    nonce = models.CharField(max_length=32)
    printed_with_decision = models.BooleanField(_("questionnaire delivered with the decision"), default=False)
    note = models.TextField(_("note of the call or visit"), blank=True)

    class Meta:
        ordering = ["-due_on", "-pk"]
        verbose_name = _("follow-up")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_type", "subject_id"], name="followups_one_per_subject"
            ),
        ]
        indexes = [models.Index(fields=["status", "answer_by"], name="followups_status_idx")]

    def __str__(self) -> str:
        return f"{self.reference or self.subject_id} {self.due_on}"


class Satisfaction(models.TextChoices):
    VERY = "very_satisfied", _("very satisfied")
    SATISFIED = "satisfied", pgettext_lazy("followups", "satisfied")
    NEUTRAL = "neutral", _("neither satisfied nor dissatisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


class Rectification(models.TextChoices):
    DONE = "done", _("rectified")
    IN_PROGRESS = "in_progress", _("being rectified")
    NOT_STARTED = "not_started", _("not rectified")
    NOT_APPLICABLE = "not_applicable", _("nothing to rectify")


class Conduct(models.TextChoices):
    PROPER = "proper", _("proper and courteous")
    ISSUES = "issues", _("some problems")
    IMPROPER = "improper", _("improper")


class AnsweredBy(models.TextChoices):
    ONLINE = "online", _("the party, online")
    PHONE = "phone", _("an officer, by phone")
    VISIT = "visit", _("an officer, on a visit")
    PAPER = "paper", _("the party, on paper (entered by an officer)")


class Answer(models.Model):
    """The questionnaire's answers; one per follow-up (append-only)."""

    followup = models.OneToOneField(Followup, on_delete=models.PROTECT, related_name="answer")
    satisfaction = models.CharField(_("overall satisfaction"), max_length=20, choices=Satisfaction.choices)
    rectification = models.CharField(_("rectification"), max_length=20, choices=Rectification.choices)
    conduct = models.CharField(_("the officers' conduct"), max_length=20, choices=Conduct.choices)
    conduct_opinion = models.TextField(_("opinion on the officers' conduct"), blank=True)
    opinion = models.TextField(_("other opinions and suggestions"), blank=True)
    answered_by = models.CharField(
        pgettext_lazy("followups", "answered"), max_length=10, choices=AnsweredBy.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire answer")

    def __str__(self) -> str:
        return f"{self.followup_id} {self.satisfaction}"
