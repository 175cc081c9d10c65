"""The power catalog: power items with legal bases, provisions, discretion standards, major-decision rules.

Reads go through catalog.selectors (scoped to the caller's agencies and their ancestors);
evaluation through catalog.services.discretion_evaluate. Nothing here decides a rule itself.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from api.auth import caller
from api.errors import with_errors
from api.pagination import paginated
from api.routes.fields import IsoDate
from catalog import selectors as catalog_selectors
from catalog.services import discretion as catalog_discretion
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
    q: str | None = Field(None, max_length=100)


class TierOut(Schema):
    id: int
    name: str
    order: int
    land_classes: list[str]
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
    q: str | None = Field(None, max_length=100)


class EvaluateIn(Schema):
    standard_id: int | None = Field(None, ge=1, le=2**62, description="the standard to apply, or…")
    violation_code: str | None = Field(None, max_length=60, description="…the violation's code")
    act_date: IsoDate = Field(..., description="when the violation was committed (Art.37)")
    facts: dict[str, str | float | int | bool | None] = Field(
        default_factory=dict,
        description="land_class, area_m2 or area_mu, illegal_income, fee, and mitigation/exemption flags",
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
def provision_list(request: HttpRequest, q: str | None = SEARCH) -> Any:
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
