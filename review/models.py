"""法制审核 (LegalReview), 集体讨论 (Deliberation), 风险评估 (RiskAssessment).

Every row is a round: once concluded (a review's opinion given, a deliberation recorded, an
assessment approved) it is never changed; a new round is created instead, and the latest round
decides the case's status (`review.selectors`). Only `review.services` writes these models; bulk
queryset updates and deletes are refused (`AppendOnlyQuerySet`).

Checklist and dimensions are stored as JSON keyed by the codes below ({code: {"verdict"/"level",
"note"}}): the seven points and six dimensions are fixed by the rules, read as a whole, and never
queried one by one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models.base import AppendOnlyQuerySet

LEGAL_REVIEW_BASIS = "行政处罚法 Art.58"
CHECKLIST_BASIS = "国办发〔2018〕118号 (法制审核内容)"
DELIBERATION_BASIS = "行政处罚法 Art.57"
RISK_ASSESSMENT_BASIS = "新密国土资〔2013〕9号 三(五)、四(七)"


class ChecklistPoint(models.TextChoices):
    """The seven points of the legal review (国办发〔2018〕118号, LEGAL.md §2 "Review content")."""

    COMPETENT_BODY = (
        "competent_body",
        _("The enforcement body is competent and its officers hold valid certificates"),
    )
    PROCEDURE = "procedure", _("The procedure is lawful")
    FACTS_EVIDENCE = "facts_evidence", _("The facts are clear and the evidence is sufficient and lawful")
    LAW_DISCRETION = "law_discretion", _("The law and the discretion standard are applied correctly")
    WITHIN_POWERS = "within_powers", _("The decision is within the agency's powers")
    DOCUMENTS = "documents", _("The documents are complete and in standard form")
    CRIME_TRANSFER = "crime_transfer", _("A suspected crime is transferred to the judicial organ")


class PointVerdict(models.TextChoices):
    COMPLIANT = "compliant", _("compliant")
    NON_COMPLIANT = "non_compliant", _("not compliant")
    # Only for the crime-transfer point: no crime is suspected.
    NOT_APPLICABLE = "not_applicable", _("not applicable")


NOT_APPLICABLE_POINTS = frozenset({ChecklistPoint.CRIME_TRANSFER})


class ReviewOpinion(models.TextChoices):
    PASS = "pass", _("pass")
    RETURN_FOR_CORRECTION = "return_for_correction", _("return for correction")
    NOT_PASS = "not_pass", _("not pass")


class LegalReview(models.Model):
    """One round of 法制审核 of a case (行政处罚法 Art.58): submitted, assigned, concluded."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="legal_reviews", verbose_name=_("case")
    )
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    round = models.PositiveSmallIntegerField(_("round"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    submission_note = models.TextField(_("submission note"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    opinion = models.CharField(_("opinion"), max_length=32, choices=ReviewOpinion.choices, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    opinion_at = models.DateTimeField(_("opinion given at"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "round"]
        verbose_name = _("legal review")
        verbose_name_plural = _("legal reviews")
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="review_legalreview_unique_round"),
            # At most one round waiting for an opinion per case.
            models.UniqueConstraint(
                fields=["case"], condition=Q(opinion=""), name="review_legalreview_one_pending"
            ),
        ]
        indexes = [models.Index(fields=["agency", "opinion", "reviewer"])]

    def __str__(self) -> str:
        return f"{self.case} · {self.round}"

    @property
    def concluded(self) -> bool:
        return bool(self.opinion)

    def checklist_rows(self) -> list[dict[str, str]]:
        """The seven points in order, with their labels, verdict label and note (for display)."""
        verdicts = dict(PointVerdict.choices)
        rows = []
        for point in ChecklistPoint:
            answer = self.checklist.get(point.value) or {}
            rows.append(
                {
                    "code": point.value,
                    "label": str(point.label),
                    "verdict": str(verdicts.get(answer.get("verdict", ""), "")),
                    "note": str(answer.get("note", "")),
                }
            )
        return rows


class Deliberation(models.Model):
    """集体讨论 by the agency's heads (行政处罚法 Art.57 第二款): attendees, opinions, conclusion."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="deliberations", verbose_name=_("case")
    )
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    chaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("chaired by")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorder")
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    conclusion = models.TextField(_("conclusion"))
    # Quorum as it stood when recorded: heads of the agency, heads present, the ratio in force.
    heads_total = models.PositiveSmallIntegerField(_("heads of the agency"))
    heads_present = models.PositiveSmallIntegerField(_("heads present"))
    quorum_ratio = models.DecimalField(_("quorum ratio"), max_digits=5, decimal_places=4)
    quorum_met = models.BooleanField(_("quorum met"))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "held_on", "pk"]
        verbose_name = _("collective deliberation")
        verbose_name_plural = _("collective deliberations")

    def __str__(self) -> str:
        return f"{self.case} · {self.held_on}"


class DeliberationOpinion(models.Model):
    """One attendee of a deliberation and the opinion they gave."""

    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.PROTECT, related_name="opinions", verbose_name=_("deliberation")
    )
    attendee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("attendee")
    )
    attendee_name = models.CharField(_("attendee name"), max_length=50)
    is_head = models.BooleanField(_("agency head"))
    opinion = models.TextField(_("opinion"))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["deliberation_id", "pk"]
        verbose_name = _("deliberation opinion")
        verbose_name_plural = _("deliberation opinions")
        constraints = [
            models.UniqueConstraint(
                fields=["deliberation", "attendee"], name="review_deliberationopinion_unique_attendee"
            )
        ]

    def __str__(self) -> str:
        return self.attendee_name


class RiskDimension(models.TextChoices):
    """The six dimensions of 社会稳定风险评估 (seed 000: 新密国土资〔2013〕9号 三(五))."""

    LEGALITY = "legality", _("legality")
    INTEGRITY = "integrity", _("integrity")
    REASONABLENESS = "reasonableness", _("reasonableness")
    FEASIBILITY = "feasibility", _("feasibility")
    SAFETY = "safety", _("safety")
    CONTROLLABILITY = "controllability", _("controllability")


class RiskLevel(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


RISK_RANK: dict[str, int] = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2}


class RiskAssessment(models.Model):
    """One round of 风险评估 of a case: six dimensions, overall level, mitigation, head's approval."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="risk_assessments", verbose_name=_("case")
    )
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    round = models.PositiveSmallIntegerField(_("round"))
    dimensions = models.JSONField(_("dimensions"), default=dict)
    overall_level = models.CharField(_("overall risk level"), max_length=8, choices=RiskLevel.choices)
    mitigation = models.TextField(_("mitigation measures"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )
    assessed_at = models.DateTimeField(_("assessed at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "round"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="review_riskassessment_unique_round"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.round}"

    @property
    def approved(self) -> bool:
        return self.approved_at is not None

    def dimension_rows(self) -> list[dict[str, str]]:
        levels = dict(RiskLevel.choices)
        rows = []
        for dim in RiskDimension:
            answer = self.dimensions.get(dim.value) or {}
            rows.append(
                {
                    "code": dim.value,
                    "label": str(dim.label),
                    "level": str(levels.get(answer.get("level", ""), "")),
                    "note": str(answer.get("note", "")),
                }
            )
        return rows
