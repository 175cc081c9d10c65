"""Supervision (执法监督): 督办 orders, case-file review (案卷评查), assessment and ranking (评议考核),
responsibility targets (责任目标).

Other domains are referenced by id (case_id, deadline_id) or by FK to org; figures are never stored
as typed numbers: assessment results keep the metrics they were computed from, so a run can be
read back exactly as it was when it ran.

`SupervisionOrder.status` is written only by `supervision.services._move` (ORDER_TRANSITIONS).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.base import AppendOnlyQuerySet, TimeStamped


class OrderKind(models.TextChoices):
    SUPERVISION = "supervision", _("supervision order (督办)")
    CORRECTION = "correction", _("return for correction (评查整改)")


class OrderStatus(models.TextChoices):
    ISSUED = "issued", _("issued")
    RESPONDED = "responded", _("responded")
    ACCEPTED = "accepted", _("response accepted")
    REJECTED = "rejected", _("response not accepted")
    WITHDRAWN = "withdrawn", _("withdrawn")


class SupervisionOrder(TimeStamped):
    """督办: an order on a case or another deadline subject, with its own deadline on the clock and
    a required response from the addressee."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=OrderKind.choices, default=OrderKind.SUPERVISION
    )
    number = models.CharField(_("number"), max_length=60, unique=True)
    case_id = models.BigIntegerField(_("case"), null=True, blank=True, db_index=True)
    deadline_id = models.BigIntegerField(_("deadline supervised"), null=True, blank=True, db_index=True)
    subject_label = models.CharField(_("subject"), max_length=200)
    requirement = models.TextField(_("required response"))
    workdays = models.PositiveSmallIntegerField(_("working days to respond"))
    due_date = models.DateField(_("respond by"))
    addressee = models.ForeignKey(
        "org.Officer", on_delete=models.PROTECT, related_name="+", verbose_name=_("addressee")
    )
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issuer_agency_id = models.BigIntegerField(_("issuing agency"))
    status = models.CharField(
        _("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.ISSUED
    )
    response = models.TextField(_("response"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("supervision order")
        indexes = [models.Index(fields=["agency", "status"], name="supervision_order_ag_st")]

    def __str__(self) -> str:
        return self.number


class AutoReview(models.Model):
    """One run of the automatic case-file checks on a closed case; append-only (a re-run adds a row,
    the latest counts)."""

    case_id = models.BigIntegerField(_("case"), db_index=True)
    agency_id = models.BigIntegerField(_("agency"), db_index=True)
    department_id = models.BigIntegerField(_("department"), null=True, blank=True)
    officer_id = models.BigIntegerField(_("lead officer"), null=True, blank=True)
    case_number = models.CharField(_("case number"), max_length=120, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    findings = models.JSONField(_("findings"), default=list)
    failed = models.PositiveSmallIntegerField(_("failed checks"), default=0)
    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("automatic case-file review")

    def __str__(self) -> str:
        return f"{self.case_number or self.case_id} ({self.failed})"


class CaseReviewState(models.Model):
    """The latest automatic review of each case (a pointer kept beside the append-only history, so
    that the dashboard counts failures with one indexed aggregate). `failed_codes` lists the failed
    checks as " code code " for a LIKE per check."""

    case_id = models.BigIntegerField(_("case"), unique=True)
    agency_id = models.BigIntegerField(_("agency"))
    department_id = models.BigIntegerField(_("department"), null=True, blank=True)
    officer_id = models.BigIntegerField(_("lead officer"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    review = models.OneToOneField(AutoReview, on_delete=models.PROTECT, related_name="current")
    failed = models.PositiveSmallIntegerField(_("failed checks"), default=0)
    failed_codes = models.CharField(_("failed checks"), max_length=400, blank=True)
    ran_at = models.DateTimeField(_("ran at"))

    class Meta:
        verbose_name = _("latest automatic review")
        indexes = [models.Index(fields=["agency_id", "closed_on"], name="supervision_crs_ag_closed")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.failed}"


class ScoringSheet(TimeStamped):
    """评查标准: items with their points and the deductions each may carry, as data.

    items = [{"code", "title", "points", "deductions": [{"code", "label", "points"}]}]
    """

    name = models.CharField(_("name"), max_length=200)
    total = models.PositiveSmallIntegerField(
        _("declared total points"),
        default=100,
        help_text=_("The items' points must add up to this total."),
    )
    items = models.JSONField(_("items"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-active", "-pk"]
        verbose_name = _("scoring sheet")

    def __str__(self) -> str:
        return self.name

    @property
    def total_points(self) -> int:
        return sum(int(i.get("points", 0)) for i in self.items)


class ReviewSample(models.Model):
    """A random sample of closed cases drawn for reviewer scoring, with the seed that drew it."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    sheet = models.ForeignKey(ScoringSheet, on_delete=models.PROTECT, related_name="samples")
    title = models.CharField(_("title"), max_length=200)
    closed_from = models.DateField(_("closed from"))
    closed_to = models.DateField(_("closed to"))
    seed = models.BigIntegerField(_("random seed"))
    population = models.PositiveIntegerField(_("cases to draw from"))
    case_ids = models.JSONField(_("cases drawn"), default=list)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("review sample")

    def __str__(self) -> str:
        return self.title


class ReviewScore(models.Model):
    """The reviewer's score of one sampled case on the sample's sheet."""

    sample = models.ForeignKey(ReviewSample, on_delete=models.PROTECT, related_name="scores")
    case_id = models.BigIntegerField(_("case"))
    agency_id = models.BigIntegerField(_("agency"))
    department_id = models.BigIntegerField(_("department"), null=True, blank=True)
    officer_id = models.BigIntegerField(_("lead officer"), null=True, blank=True)
    deductions = models.JSONField(_("deductions"), default=list)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1)
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(_("scored at"), auto_now_add=True)

    class Meta:
        ordering = ["sample", "case_id"]
        verbose_name = _("review score")
        constraints = [
            models.UniqueConstraint(fields=["sample", "case_id"], name="supervision_one_score_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.score}"


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class Indicator(TimeStamped):
    """An assessment indicator: a formula over named metrics (supervision.metrics), with a weight."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    formula = models.CharField(_("formula"), max_length=300)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    DEPARTMENT = "department", _("department")
    OFFICER = "officer", _("officer")


class AssessmentRun(models.Model):
    """评议考核: one periodic assessment of an agency's departments or officers."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    indicators = models.JSONField(_("indicators used"), default=list)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)
    circular_document_id = models.BigIntegerField(
        _("circular (通报)"), null=True, blank=True, help_text=_("The 通报 issued with the ranking, if any.")
    )

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("assessment run")

    def __str__(self) -> str:
        return f"{self.level} {self.period_start} – {self.period_end}"


class AssessmentResult(models.Model):
    run = models.ForeignKey(AssessmentRun, on_delete=models.PROTECT, related_name="results")
    subject_id = models.BigIntegerField(_("department or officer"))
    subject_name = models.CharField(_("name"), max_length=200)
    metrics = models.JSONField(_("metrics"), default=dict)
    values = models.JSONField(_("indicator values"), default=dict)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))

    class Meta:
        ordering = ["run", "rank"]
        verbose_name = _("assessment result")

    def __str__(self) -> str:
        return f"{self.rank}. {self.subject_name}"


class ConsequenceKind(models.TextChoices):
    ADMONITION = "admonition", _("admonition talk (诫勉谈话)")
    TRANSFER_PROPOSAL = "transfer_proposal", _("proposal to move off enforcement duty (调离执法岗位)")


class Consequence(models.Model):
    """What a bottom rank triggered (seed 003: 后三名诫勉谈话, 连续排名靠后调离工作岗位)."""

    result = models.OneToOneField(AssessmentResult, on_delete=models.PROTECT, related_name="consequence")
    kind = models.CharField(_("kind"), max_length=20, choices=ConsequenceKind.choices)
    reason = models.TextField(_("reason"))
    record = models.TextField(_("record of the act"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("consequence")

    def __str__(self) -> str:
        return f"{self.kind} {self.result_id}"


class Target(TimeStamped):
    """责任目标: a target on one metric for a department or an officer over a period."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    officer = models.ForeignKey(
        "org.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("officer"),
    )
    metric = models.CharField(_("metric"), max_length=40)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["period_start", "pk"]
        verbose_name = _("responsibility target")

    def __str__(self) -> str:
        return f"{self.metric} ≥ {self.target}"
