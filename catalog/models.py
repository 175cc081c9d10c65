"""The power catalog as data: provisions, the versioned power list, discretion standards, the
first-violation / minor-exemption list and the major-decision catalog.

Versioned rows (PowerItem, DiscretionStandard) are one row per version: a draft may be edited, a
published version is immutable except for closing its validity when a successor is published or
it is retired. Validity periods of the published versions of one code never overlap.
Writes go through `catalog.services` only.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.base import TimeStamped

SQM_PER_MU = Decimal(10000) / Decimal(15)


class ItemCategory(models.TextChoices):
    PENALTY = "penalty", _("administrative penalty")
    LICENSING = "licensing", _("administrative licensing")
    COMPULSION = "compulsion", _("administrative compulsion")
    INSPECTION = "inspection", _("administrative inspection")
    LEVY = "levy", _("administrative levy")
    CONFIRMATION = "confirmation", _("administrative confirmation")
    ADJUDICATION = "adjudication", _("administrative adjudication")
    OTHER = "other", _("other")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    RETIRED = "retired", _("retired")


class LegalProvision(TimeStamped):
    """执法依据: one article (paragraph, item) of a law, regulation or rule."""

    law_name = models.CharField(_("law name"), max_length=120)
    article = models.PositiveIntegerField(_("article"))
    # 0 = the whole article / paragraph (kept non-null so the reference is unique on every DB).
    paragraph = models.PositiveIntegerField(_("paragraph"), default=0, blank=True)
    item = models.PositiveIntegerField(_("item"), default=0, blank=True)
    text = models.TextField(_("text"), blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_until = models.DateField(_("effective until"), null=True, blank=True)

    class Meta:
        ordering = ["law_name", "article", "paragraph", "item"]
        verbose_name = _("legal provision")
        verbose_name_plural = _("legal provisions")
        constraints = [
            models.UniqueConstraint(
                fields=["law_name", "article", "paragraph", "item"],
                name="catalog_provision_unique_ref",
            )
        ]

    @property
    def reference(self) -> str:
        """《土地管理法》第77条第1款 style label, the form imports refer to."""
        ref = f"{self.law_name}第{self.article}条"
        if self.paragraph:
            ref += f"第{self.paragraph}款"
        if self.item:
            ref += f"第{self.item}项"
        return ref

    def __str__(self) -> str:
        return self.reference


class PowerItem(TimeStamped):
    """权责清单 item, one row per version; `code` is stable across versions within an agency."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("category"), max_length=16, choices=ItemCategory.choices)
    legal_bases = models.ManyToManyField(
        LegalProvision, related_name="power_items", blank=True, verbose_name=_("legal bases")
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible department"),
    )
    duties = models.TextField(_("duties"), blank=True)
    accountability = models.TextField(_("accountability"), blank=True)
    field_code = models.CharField(_("enforcement field"), max_length=40, blank=True)
    time_limit = models.CharField(_("time limit"), max_length=100, blank=True)
    # 服务指南 (ServiceGuide)
    guide_conditions = models.TextField(_("conditions"), blank=True)
    guide_materials = models.TextField(_("materials"), blank=True)
    guide_steps = models.TextField(_("steps"), blank=True)
    guide_time_limit = models.CharField(_("service time limit"), max_length=100, blank=True)
    guide_office = models.CharField(_("office"), max_length=200, blank=True)
    guide_phone = models.CharField(_("phone"), max_length=40, blank=True)

    # Fields copied into a new version and compared on import (everything but identity/status).
    CONTENT_FIELDS = (
        "name",
        "kind",
        "duties",
        "accountability",
        "field_code",
        "time_limit",
        "guide_conditions",
        "guide_materials",
        "guide_steps",
        "guide_time_limit",
        "guide_office",
        "guide_phone",
    )

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("power item")
        verbose_name_plural = _("power items")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code", "version"], name="catalog_power_version"),
        ]
        indexes = [models.Index(fields=["agency", "status", "kind"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Dimension(models.TextChoices):
    AREA_M2 = "area_m2", _("area (square metres)")
    AREA_MU = "area_mu", _("area (mu)")
    ILLEGAL_INCOME = "illegal_income", _("illegal income (yuan)")
    NONE = "none", _("no quantity")


class PenaltyKind(models.TextChoices):
    PER_M2 = "per_m2", _("yuan per square metre")
    PERCENT_OF_INCOME = "percent_of_income", _("percent of illegal income")
    MULTIPLE_OF_FEE = "multiple_of_fee", _("multiple of the fee")
    FIXED = "fixed", _("fixed amount (yuan)")


class LandClass(models.TextChoices):
    BASIC_FARMLAND = "basic_farmland", _("permanent basic farmland")
    FARMLAND = "farmland", _("cultivated land")
    OTHER = "other", _("other land")


# The names agencies use for the land classes in their standards and spreadsheets (and the values
# stored before migration 0003). Import files and API facts may give these, the translated label or
# the value; exports write these names.
LAND_CLASS_NAMES: dict[str, str] = {
    LandClass.BASIC_FARMLAND: "永久基本农田",
    LandClass.FARMLAND: "耕地",
    LandClass.OTHER: "其他",
}


def land_class_value(text: object) -> str | None:
    """The stored value for a land class given as value, Chinese name or label; None if unknown."""
    key = str(text or "").strip()
    if key in LandClass.values:
        return key
    for value, name in LAND_CLASS_NAMES.items():
        if key in (name, str(LandClass(value).label)):
            return value
    return None


def land_class_name(value: str) -> str:
    """The Chinese name of a stored land class (the value itself when it is unknown)."""
    return LAND_CLASS_NAMES.get(value, value)


class DiscretionStandard(TimeStamped):
    """裁量基准 for one violation, one row per version; scoped to an agency (a province-level
    agency's standard applies to every agency below it)."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("scope agency")
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    code = models.CharField(_("violation code"), max_length=60)
    violation_name = models.CharField(_("violation"), max_length=200)
    power_code = models.CharField(_("power item code"), max_length=40, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    dimension = models.CharField(
        _("measured by"), max_length=20, choices=Dimension.choices, default=Dimension.AREA_M2
    )
    land_classes = models.JSONField(_("land classes"), default=list, blank=True)
    legal_kind = models.CharField(
        _("statutory penalty kind"), max_length=20, choices=PenaltyKind.choices, blank=True
    )
    legal_min = models.DecimalField(
        _("statutory minimum"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    legal_max = models.DecimalField(
        _("statutory maximum"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    recommended_point = models.DecimalField(
        _("recommended point in range"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.5"),
        help_text=_("0 = lower bound, 1 = upper bound, 0.5 = midpoint"),
    )

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("discretion standard")
        verbose_name_plural = _("discretion standards")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code", "version"], name="catalog_standard_version"),
        ]

    @property
    def land_class_names(self) -> list[str]:
        return [land_class_name(c) for c in self.land_classes]

    def __str__(self) -> str:
        return f"{self.violation_name} v{self.version}"


class DiscretionTier(models.Model):
    """裁量阶次: conditions on the facts (land classes, a [min, max) range) and a penalty range."""

    standard = models.ForeignKey(DiscretionStandard, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField(_("tier"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    land_classes = models.JSONField(_("land classes"), default=list, blank=True)
    range_min = models.DecimalField(
        _("from (inclusive)"), max_digits=16, decimal_places=4, default=Decimal(0)
    )
    range_max = models.DecimalField(
        _("to (exclusive)"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    penalty_kind = models.CharField(_("penalty kind"), max_length=20, choices=PenaltyKind.choices)
    penalty_min = models.DecimalField(_("penalty minimum"), max_digits=14, decimal_places=4)
    penalty_max = models.DecimalField(_("penalty maximum"), max_digits=14, decimal_places=4)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["standard", "order", "range_min"]
        verbose_name = _("discretion tier")
        verbose_name_plural = _("discretion tiers")

    def __str__(self) -> str:
        return self.name

    @property
    def land_class_names(self) -> list[str]:
        return [land_class_name(c) for c in self.land_classes]


class ExemptionKind(models.TextChoices):
    MINOR = "minor", _("minor violation: no penalty (Art.33 para.1)")
    FIRST_OFFENCE = "first_offence", _("first violation: may not penalise (Art.33 para.1)")


class ExemptionRule(TimeStamped):
    """首违不罚 / 轻微免罚 list entry for a power item: the facts that must all hold."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("scope agency")
    )
    power_code = models.CharField(_("power item code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=ExemptionKind.choices)
    required_facts = models.JSONField(_("required facts"), default=list)
    max_area_m2 = models.DecimalField(
        _("maximum area (m²)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)

    class Meta:
        ordering = ["power_code", "kind"]
        verbose_name = _("exemption rule")


class Trigger(models.TextChoices):
    FINE_AT_LEAST = "fine_at_least", _("fine at least")
    CONFISCATION_AT_LEAST = "confiscation_at_least", _("confiscation at least")
    REVOKES_LICENCE = "revokes_licence", _("revokes or suspends a licence")
    STOPS_PRODUCTION = "stops_production", _("orders production or business to stop")
    DEMOLITION = "demolition", _("demolition of buildings on illegally occupied land")
    CONFISCATES_BUILDINGS = "confiscates_buildings", _("confiscation of buildings on illegally occupied land")
    EXPROPRIATION = "expropriation", _("house expropriation")
    FORCED_RELOCATION = "forced_relocation", _("forced relocation")
    HEARING_AND_MAJOR_RIGHTS = "hearing_and_major_rights", _("major rights involved and a hearing held")
    MAJOR_PUBLIC_INTEREST = "major_public_interest", _("major public interest involved")
    COMPLEX_CASE = "complex_case", _("difficult or complex case")
    LICENCE_MAJOR_INTERESTS = "licence_major_interests", _("licence touching major interests")


AMOUNT_TRIGGERS = frozenset({Trigger.FINE_AT_LEAST, Trigger.CONFISCATION_AT_LEAST})


class PartyKind(models.TextChoices):
    ANY = "any", _("any party")
    INDIVIDUAL = "individual", _("individual")
    ORGANISATION = "organisation", _("organisation")


class RequirementKind(models.TextChoices):
    LEGAL_REVIEW = "legal_review", _("legal review")
    RISK_ASSESSMENT = "risk_assessment", _("risk assessment")
    DELIBERATION = "deliberation", _("collective deliberation")
    HEARING_NOTICE = "hearing_notice", _("hearing notice")


class MajorDecisionRule(TimeStamped):
    """重大执法决定法制审核目录 / risk-assessment catalog entry: a condition on a proposed decision
    and what it requires. agency NULL = the default catalog every agency inherits; a rule of an
    agency (or its province) with the same trigger, party kind and requirement replaces it."""

    agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scope agency"),
    )
    name = models.CharField(_("name"), max_length=200)
    trigger = models.CharField(_("condition"), max_length=40, choices=Trigger.choices)
    party_kind = models.CharField(
        _("party kind"), max_length=16, choices=PartyKind.choices, default=PartyKind.ANY
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    requirement = models.CharField(_("requires"), max_length=20, choices=RequirementKind.choices)
    basis = models.CharField(_("basis"), max_length=300)
    is_sample = models.BooleanField(_("sample value"), default=False)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)

    class Meta:
        ordering = ["requirement", "trigger", "party_kind"]
        verbose_name = _("major-decision rule")
        verbose_name_plural = _("major-decision rules")

    def __str__(self) -> str:
        return self.name
