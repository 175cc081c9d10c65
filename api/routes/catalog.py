"""The power catalog: power items with legal bases, provisions, discretion standards, major-decision rules.

Reads go through catalog.selectors (scoped to the caller's agencies and their ancestors);
evaluation through catalog.services.discretion_evaluate. Nothing here decides a rule itself.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from pydantic import BeforeValidator, ConfigDict

from api.auth import caller
from api.errors import with_errors
from api.pagination import paginated
from api.routes.fields import IsoDate, Text
from catalog import policies as catalog_policies
from catalog import selectors as catalog_selectors
from catalog.models import MajorDecisionRule, RequirementKind
from catalog.services import discretion as catalog_discretion
from catalog.services import major as catalog_major
from core.errors import NotFound, ValidationFailed

router = Router(tags=["catalog"])

ID: Any = Path(..., ge=1, le=2**62)  # type: ignore[type-arg]
SEARCH: Any = Query(None, max_length=100)  # type: ignore[type-arg]


class ProvisionOut(Schema):
    id: int
    reference: str
    law_name: str
    article: int
    paragraph: int
    item: int
    text: str
    effective_from: datetime.date | None
    effective_until: datetime.date | None


class PowerItemOut(Schema):
    id: int
    agency_id: int | None
    code: str
    version: int
    status: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    name: str
    kind: str = Field(..., description="penalty, licensing, compulsion, inspection, levy, …")
    department_id: int | None
    duties: str
    accountability: str
    field_code: str
    time_limit: str
    legal_bases: list[ProvisionOut]

    @staticmethod
    def resolve_legal_bases(obj: Any) -> list[Any]:
        return list(obj.legal_bases.all())


class PowerItemFilters(Schema):
    kind: str | None = Field(None, max_length=16, description="category, e.g. penalty")
    department_id: int | None = Field(None, ge=1, le=2**62)
    agency_id: int | None = Field(None, ge=1, le=2**62)
    q: Text | None = Field(None, max_length=100)


class TierOut(Schema):
    id: int
    name: str
    order: int
    land_classes: list[str] = Field(..., description="basic_farmland, farmland or other")
    range_min: Decimal | None
    range_max: Decimal | None
    penalty_kind: str
    penalty_min: Decimal
    penalty_max: Decimal
    description: str


class StandardOut(Schema):
    id: int
    agency_id: int | None
    region: str
    code: str
    violation_name: str
    power_code: str
    version: int
    status: str
    effective_from: datetime.date
    effective_until: datetime.date | None
    is_sample: bool
    basis: str
    dimension: str
    legal_kind: str
    legal_min: Decimal | None
    legal_max: Decimal | None
    tiers: list[TierOut]

    @staticmethod
    def resolve_tiers(obj: Any) -> list[Any]:
        return sorted(obj.tiers.all(), key=lambda t: (t.order, t.pk))


class StandardFilters(Schema):
    q: Text | None = Field(None, max_length=100)


class EvaluateIn(Schema):
    standard_id: int | None = Field(None, ge=1, le=2**62, description="the standard to apply, or…")
    violation_code: Text | None = Field(None, max_length=60, description="…the violation's code")
    act_date: IsoDate = Field(..., description="when the violation was committed (Art.37)")
    facts: dict[str, str | float | int | bool | None] = Field(
        default_factory=dict,
        description="land_class (basic_farmland, farmland or other; the Chinese names 永久基本农田, 耕地, "
        "其他 are accepted too), area_m2 or area_mu, illegal_income, fee (non-negative, at most 14 "
        "integer digits and no exponent beyond ±12), and mitigation/exemption flags",
    )


class EvaluateOut(Schema):
    standard_id: int
    standard_version: int
    tier: str | None
    range_min: Decimal | None
    range_max: Decimal | None
    recommended: Decimal | None
    outcome: str
    reasons: list[str]
    mitigations: list[str]


class MajorRuleOut(Schema):
    id: int
    agency_id: int | None
    name: str
    trigger: str
    party_kind: str
    amount: Decimal | None
    requirement: str
    basis: str
    is_sample: bool
    effective_from: datetime.date
    effective_until: datetime.date | None


class MajorRuleFilters(Schema):
    on: IsoDate | None = Field(None, description="the rules in force on this date (default today)")


PARTY_KINDS = ("individual", "organisation")


def _party_kind(value: Any) -> Any:
    """Only the two kinds of party the catalog distinguishes, with a Chinese message otherwise."""
    if value is None or (isinstance(value, str) and value in PARTY_KINDS):
        return value
    raise ValueError(_("Choose individual or organisation."))


PartyKindIn = Annotated[Literal["individual", "organisation"] | None, BeforeValidator(_party_kind)]
# Yuan, two decimals; 10^13 yuan is beyond any fine or confiscation.
Yuan = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)]


def _flag(description: str) -> Any:
    return Field(False, description=description)


class ProposalIn(Schema):
    """A proposed decision, in the keys of catalog.services.decision_requirements. Unknown keys
    are refused (a misspelt key must not silently answer "nothing required")."""

    model_config = ConfigDict(extra="forbid")

    party_kind: PartyKindIn = Field(
        None,
        description="individual or organisation; required when a fine or confiscation is given (the "
        "catalog's amount thresholds differ by party kind); omitted otherwise: the rules of every party "
        "kind apply (the conservative answer), each such requirement with a note",
    )
    fine: Yuan | None = Field(None, description="proposed fine in yuan")
    confiscation_value: Yuan | None = Field(None, description="value of what is confiscated, in yuan")
    revokes_licence: bool = _flag("revokes or suspends a licence")
    stops_production: bool = _flag("orders production or business to stop")
    demolition: bool = _flag("demolition of buildings on illegally occupied land")
    confiscates_buildings: bool = _flag("confiscation of buildings on illegally occupied land")
    expropriation: bool = _flag("house expropriation")
    forced_relocation: bool = _flag("forced relocation")
    hearing_held: bool = _flag("a hearing was held (with major_rights)")
    major_rights: bool = _flag("major rights and interests of the party are involved")
    major_public_interest: bool = _flag("major public interest is involved")
    complex_case: bool = _flag("the case is difficult or complex")
    licence_major_interests: bool = _flag("a licence touching major interests")
    on: IsoDate | None = Field(None, description="apply the catalog in force on this date (default today)")


class RequirementOut(Schema):
    kind: str = Field(..., description="legal_review, risk_assessment, deliberation or hearing_notice")
    label: str = Field(..., description="the requirement in Chinese")
    rule_id: int
    rule_name: str
    rule_agency_id: int | None = Field(..., description="null: the default catalog every agency inherits")
    trigger: str = Field(..., description="the rule's condition, e.g. fine_at_least")
    amount: Decimal | None = Field(..., description="the rule's threshold in yuan, for amount conditions")
    basis: str = Field(..., description="the provision or document that sets the rule")
    is_sample: bool
    note: str = Field(
        ..., description="non-empty when the rule applies only because the party kind was not given"
    )


class NeedsOut(Schema):
    legal_review: bool
    risk_assessment: bool
    deliberation: bool
    hearing_notice: bool


class RequirementsOut(Schema):
    agency_id: int
    on: datetime.date
    needs: NeedsOut
    requirements: list[RequirementOut]


@router.get("/power-items", response=with_errors(list[PowerItemOut]), summary="Power list (in force)")
@paginated
def power_item_list(request: HttpRequest, filters: Query[PowerItemFilters]) -> Any:
    return catalog_selectors.power_items_current(
        caller(request), kind=filters.kind or "", department_id=filters.department_id,
        agency_id=filters.agency_id, q=filters.q or "",
    ).prefetch_related("legal_bases")


@router.get("/power-items/{item_id}", response=with_errors(PowerItemOut), summary="One power item version")
def power_item_detail(request: HttpRequest, item_id: int = ID) -> Any:
    item = catalog_selectors.visible_power_items(caller(request)).filter(pk=item_id).first()
    if item is None:
        raise NotFound(_("There is no power item with this id in the catalog you may see."),
                       code="power_item_not_found")
    return item


@router.get("/legal-provisions", response=with_errors(list[ProvisionOut]),
            summary="Legal provisions the visible power items rest on")
@paginated
def provision_list(request: HttpRequest, q: Text | None = SEARCH) -> Any:
    items = catalog_selectors.visible_power_items(caller(request))
    provision_model = items.model._meta.get_field("legal_bases").related_model
    qs = provision_model._default_manager.filter(power_items__in=items).distinct()
    if q:
        qs = qs.filter(law_name__contains=q) | qs.filter(text__contains=q)
    return qs.order_by("law_name", "article", "paragraph", "item", "pk")


@router.get("/discretion-standards", response=with_errors(list[StandardOut]), summary="Discretion standards")
@paginated
def standard_list(request: HttpRequest, filters: Query[StandardFilters]) -> Any:
    return catalog_selectors.standards_list(caller(request), q=filters.q or "")


@router.get("/discretion-standards/{standard_id}", response=with_errors(StandardOut),
            summary="One discretion standard with its tiers")
def standard_detail(request: HttpRequest, standard_id: int = ID) -> Any:
    standard = catalog_selectors.visible_standards(caller(request)).filter(pk=standard_id).first()
    if standard is None:
        raise NotFound(_("There is no discretion standard with this id among those you may see."),
                       code="standard_not_found")
    return standard


@router.post("/discretion/evaluate", response=with_errors(EvaluateOut),
             summary="Tier, range and recommended amount for the facts of a violation")
def discretion_evaluate(request: HttpRequest, payload: EvaluateIn) -> Any:
    actor = caller(request)
    agency = catalog_selectors.actor_agency(actor)
    standard = None
    if payload.standard_id is not None:
        standard = catalog_selectors.visible_standards(actor).filter(pk=payload.standard_id).first()
        if standard is None:
            raise NotFound(_("There is no discretion standard with this id among those you may see."),
                           code="standard_not_found")
        agency = agency or standard.agency
    elif not payload.violation_code:
        raise ValidationFailed(
            _("Name the discretion standard (standard_id) or the violation (violation_code)."),
            code="standard_required",
            field_errors={"standard_id": [_("Give standard_id or violation_code.")]},
        )
    elif agency is None:
        raise ValidationFailed(
            _("Only an officer of an agency can look a violation up by its code; give standard_id."),
            code="agency_required",
        )
    result = catalog_discretion.discretion_evaluate(
        agency=agency, act_date=payload.act_date, facts=payload.facts, standard=standard,
        violation_code=payload.violation_code if standard is None else None,
    )
    return {
        "standard_id": result.standard.pk,
        "standard_version": result.standard.version,
        "tier": result.tier.name if result.tier is not None else None,
        "range_min": result.range_min,
        "range_max": result.range_max,
        "recommended": result.recommended,
        "outcome": result.outcome,
        "reasons": [str(r) for r in result.reasons],
        "mitigations": [str(m) for m in result.mitigations],
    }


@router.get("/major-decision-rules", response=with_errors(list[MajorRuleOut]),
            summary="Major-decision catalog in force for my agency")
@paginated
def major_rule_list(request: HttpRequest, filters: Query[MajorRuleFilters]) -> Any:
    actor = caller(request)
    return catalog_selectors.major_rules_for(
        actor, agency=catalog_selectors.actor_agency(actor), on=filters.on or timezone.localdate()
    )


@router.post("/major-decision-rules/requirements", response=with_errors(RequirementsOut),
             summary="What a proposed decision needs (legal review, risk assessment, …) and which rule")
def major_decision_requirements(request: HttpRequest, payload: ProposalIn) -> Any:
    actor = caller(request)
    agency = catalog_selectors.actor_agency(actor)
    if agency is None:
        raise ValidationFailed(
            _("Only an officer of an agency can ask what a decision needs: the catalog that applies "
              "is the one of the officer's agency."),
            code="agency_required",
        )
    catalog_policies.ensure(actor, "view", MajorDecisionRule(agency=agency))
    if payload.party_kind is None and (payload.fine or payload.confiscation_value):
        raise ValidationFailed(
            _("A fine or a confiscation is given, but not whether the party is an individual or an "
              "organisation: the catalog's amount thresholds differ by party kind, so give party_kind."),
            code="party_kind_required",
            field_errors={"party_kind": [_("Choose individual or organisation.")]},
        )
    day = payload.on or timezone.localdate()
    proposed = payload.model_dump(exclude={"on"})
    found = catalog_major.decision_requirements(agency=agency, proposed=proposed, on=day)
    kinds = {requirement.kind for requirement in found}
    return {
        "agency_id": agency.pk,
        "on": day,
        "needs": {kind: kind in kinds for kind in RequirementKind.values},
        "requirements": [
            {
                "kind": r.kind,
                "label": str(r.label),
                "rule_id": r.rule.pk,
                "rule_name": r.rule.name,
                "rule_agency_id": r.rule.agency_id,
                "trigger": r.rule.trigger,
                "amount": r.rule.amount,
                "basis": r.basis,
                "is_sample": r.rule.is_sample,
                "note": r.note,
            }
            for r in found
        ],
    }
