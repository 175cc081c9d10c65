"""培训与考试: training plans and sessions with attendance, a question bank, exams taken online
(timed on the server's clock, questions drawn per candidate with a recorded seed) or on paper, and
the annual certificate review (年审).

Nothing outside `training.services` saves these models; every change is a ledger act.
`Attempt.status` changes only through `training.services._move` (ATTEMPT_TRANSITIONS).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.base import TimeStamped


class TrainingPlan(TimeStamped):
    """A year's training plan of an agency (seed 003: a session every quarter by default)."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    sessions_planned = models.PositiveSmallIntegerField(_("sessions planned"))

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("training plan")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="training_plan_one_per_year")]

    def __str__(self) -> str:
        return self.title


class TrainingSession(TimeStamped):
    plan = models.ForeignKey(TrainingPlan, on_delete=models.PROTECT, related_name="sessions")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    subject = models.CharField(_("subject"), max_length=60)
    held_on = models.DateField(_("held on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    place = models.CharField(_("place"), max_length=200, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("training session")

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="attendance")
    officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("present"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["session_id", "officer_id"]
        verbose_name = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "officer"], name="training_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.officer_id}"


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    TRUE_FALSE = "true_false", _("true or false")
    SHORT = "short", _("short answer")


class Question(TimeStamped):
    """A question of the bank. Never edited once created (attempts refer to it): retire it and add
    a new one instead."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("subject"), max_length=60, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    options = models.JSONField(_("options"), default=list, blank=True)
    # single: [index]; multiple: [indices]; true_false: true/false; short: the reference answer
    answer = models.JSONField(_("answer"))
    points = models.PositiveSmallIntegerField(_("points"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["subject", "pk"]
        verbose_name = _("question")

    def __str__(self) -> str:
        return self.text[:40]


class ExamMode(models.TextChoices):
    ONLINE = "online", _("online, closed-book")
    PAPER = "paper", _("paper exam")


class Exam(TimeStamped):
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        TrainingSession, null=True, blank=True, on_delete=models.PROTECT, related_name="exams"
    )
    title = models.CharField(_("title"), max_length=200)
    subject = models.CharField(_("subject"), max_length=60)
    mode = models.CharField(_("mode"), max_length=8, choices=ExamMode.choices)
    question_count = models.PositiveSmallIntegerField(_("number of questions"), default=0)
    duration_minutes = models.PositiveSmallIntegerField(_("time allowed (minutes)"), default=0)
    pass_percent = models.PositiveSmallIntegerField(_("pass mark (percent)"))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("exam")

    def __str__(self) -> str:
        return self.title


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("in progress")
    SUBMITTED = "submitted", _("submitted, awaiting marking")
    MARKED = "marked", _("marked")


class Attempt(TimeStamped):
    """One candidate's sitting of one exam (online or paper)."""

    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts")
    officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    seed = models.BigIntegerField(_("random seed"), null=True, blank=True)
    question_ids = models.JSONField(_("questions drawn"), default=list)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    marks = models.JSONField(_("points per question"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    auto_submitted = models.BooleanField(_("submitted automatically at the end of the time"), default=False)
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=6, decimal_places=1, null=True, blank=True)
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("exam attempt")
        constraints = [models.UniqueConstraint(fields=["exam", "officer"], name="training_attempt_once")]
        indexes = [models.Index(fields=["agency", "marked_at"])]

    def __str__(self) -> str:
        return f"{self.exam_id}/{self.officer_id}"


class Suspension(models.Model):
    """A certificate suspended because its holder failed the exam twice (seed 003); lifted when
    they pass. Kept so that only the suspensions training made are lifted by training."""

    officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT, related_name="+")
    certificate_id = models.BigIntegerField(_("certificate"))
    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="+")
    suspended_at = models.DateTimeField(_("suspended at"))
    lifted_by_attempt = models.ForeignKey(
        Attempt, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("certificate suspension after exams")

    def __str__(self) -> str:
        return f"{self.officer_id}/{self.certificate_id}"


class ReviewResult(models.TextChoices):
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed")


class AnnualReview(TimeStamped):
    """年审: the annual review of an officer's enforcement certificate."""

    officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("year"))
    training_hours = models.DecimalField(_("training hours"), max_digits=6, decimal_places=1)
    exams_passed = models.PositiveSmallIntegerField(_("exams passed"))
    exams_failed = models.PositiveSmallIntegerField(_("exams failed"))
    result = models.CharField(_("result"), max_length=8, choices=ReviewResult.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year", "officer_id"]
        verbose_name = _("annual certificate review")
        constraints = [models.UniqueConstraint(fields=["officer", "year"], name="training_review_once")]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.year}"
