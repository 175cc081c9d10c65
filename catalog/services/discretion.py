"""Discretion standards (裁量基准): versioned data, validated tiers, and the evaluation of facts.

A standard is data, never code: the tiers, their conditions and penalty ranges live in rows that
the system administrator edits or imports; this module only interprets them.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import policies
from catalog.models import (
    DiscretionStandard,
    DiscretionTier,
    ExemptionKind,
    ExemptionRule,
    LandClass,
    VersionStatus,
    land_class_name,
    land_class_value,
)
from catalog.services.common import changed, in_force, number_problem, plain, snapshot
from catalog.services.tiers import (
    Facts,
    StandardSpec,
    TierSpec,
    amount_range,
    area_from,
    describe_penalty,
    dimension_unit,
    fmt,
    lighter,
    match_tier,
    money,
    quantity_for,
    spec_of,
    tier_errors,
)
from core.errors import Conflict, NotFound, ValidationFailed
from core.services.ledger import ledger_append

STANDARD_FIELDS = (
    "region",
    "code",
    "violation_name",
    "power_code",
    "effective_from",
    "effective_until",
    "is_sample",
    "basis",
    "dimension",
    "land_classes",
    "legal_kind",
    "legal_min",
    "legal_max",
    "recommended_point",
)
TIER_FIELDS = (
    "name",
    "order",
    "land_classes",
    "range_min",
    "range_max",
    "penalty_kind",
    "penalty_min",
    "penalty_max",
    "description",
)

# Art.32 行政处罚法: facts that oblige the agency to choose a lighter or mitigated penalty.
MITIGATIONS: dict[str, str] = {
    "reduced_harm": "主动消除或者减轻违法行为危害后果",
    "coerced": "受他人胁迫或者诱骗实施违法行为",
    "confessed": "主动供述行政机关尚未掌握的违法行为",
    "assisted": "配合行政机关查处违法行为有立功表现",
}
EXEMPTION_FACTS: dict[str, str] = {
    "first_violation": "初次违法",
    "minor_harm": "危害后果轻微",
    "no_harm": "没有造成危害后果",
    "minor": "违法行为轻微",
    "promptly_corrected": "及时改正",
}


class Outcome:
    PENALISE = "penalise"
    MAY_NOT_PENALISE = "may_not_penalise"
    SHALL_NOT_PENALISE = "shall_not_penalise"


@dataclass
class Evaluation:
    standard: DiscretionStandard
    tier: DiscretionTier | None
    range_min: Decimal | None
    range_max: Decimal | None
    recommended: Decimal | None
    outcome: str = Outcome.PENALISE
    reasons: list[str] = field(default_factory=list)
    mitigations: list[str] = field(default_factory=list)
    act_date_standard: DiscretionStandard | None = None


# ---------------------------------------------------------------- writes


def _classes(values: Any) -> list[str]:
    """Land classes given as values, Chinese names or labels → stored values (unknown ones kept,
    so that the validation names them)."""
    return [land_class_value(v) or str(v) for v in values or ()]


def _normalised(
    fields: Mapping[str, Any], tiers: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    fields = dict(fields)
    if "land_classes" in fields:
        fields["land_classes"] = _classes(fields["land_classes"])
    return fields, [dict(t) | {"land_classes": _classes(t.get("land_classes"))} for t in tiers]


def _known_classes() -> str:
    return "、".join(land_class_name(c) for c in LandClass.values)


def _tier_specs(tiers: Sequence[Mapping[str, Any]]) -> list[TierSpec]:
    specs = []
    for index, tier in enumerate(tiers):
        specs.append(
            TierSpec(
                name=str(tier["name"]),
                order=int(tier.get("order", index)),
                land_classes=tuple(tier.get("land_classes") or ()),
                range_min=Decimal(tier.get("range_min") or 0),
                range_max=None if tier.get("range_max") in (None, "") else Decimal(tier["range_max"]),
                penalty_kind=str(tier["penalty_kind"]),
                penalty_min=Decimal(tier["penalty_min"]),
                penalty_max=Decimal(tier["penalty_max"]),
                line=tier.get("line"),
            )
        )
    return specs


def standard_errors(fields: Mapping[str, Any], tiers: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every reason the standard would be refused (empty list = valid)."""
    errors: list[str] = []
    fields, tiers = _normalised(fields, tiers)
    for land_class in fields.get("land_classes") or ():
        if land_class not in LandClass.values:
            errors.append(
                _("Unknown land class “%(cls)s”; use %(known)s.")
                % {"cls": land_class, "known": _known_classes()}
            )
    start, end = fields.get("effective_from"), fields.get("effective_until")
    if start and end and end <= start:
        errors.append(
            _(
                "The end date %(end)s is not after the start date %(start)s; a validity period "
                "must end after it starts."
            )
            % {"end": end, "start": start}
        )
    point = Decimal(fields.get("recommended_point", "0.5"))
    if not Decimal(0) <= point <= Decimal(1):
        errors.append(_("The recommended point must be between 0 (lower bound) and 1 (upper bound)."))
    errors.extend(tier_errors(spec_of(dict(fields), _tier_specs(tiers))))
    return errors


def _ensure_valid(fields: Mapping[str, Any], tiers: Sequence[Mapping[str, Any]]) -> None:
    errors = standard_errors(fields, tiers)
    if errors:
        raise ValidationFailed(
            _("The discretion standard was not saved: %(errors)s") % {"errors": "；".join(errors)},
            code="catalog.bad_tiers",
            field_errors={"tiers": errors},
        )


def _state(standard: DiscretionStandard) -> dict[str, Any]:
    state = snapshot(standard, ("version", "status", *STANDARD_FIELDS))
    state["tiers"] = [snapshot(t, TIER_FIELDS) for t in standard.tiers.all()]
    return state


def discretion_standard_create(
    *,
    actor: Any,
    agency: Any,
    fields: Mapping[str, Any],
    tiers: Sequence[Mapping[str, Any]],
) -> DiscretionStandard:
    """A new draft version of the standard for `fields["code"]` with its tiers (tiers must tile)."""
    policies.ensure_edit_agency(actor, agency)
    fields, tiers = _normalised(fields, tiers)
    with transaction.atomic():
        _ensure_valid(fields, tiers)
        code = str(fields["code"]).strip()
        existing = DiscretionStandard.objects.select_for_update().filter(agency=agency, code=code)
        if existing.filter(status=VersionStatus.DRAFT).exists():
            raise Conflict(
                _("Standard %(code)s already has an unpublished draft; edit or publish that draft.")
                % {"code": code},
                code="catalog.draft_exists",
            )
        latest = existing.order_by("-version").first()
        values = {k: fields[k] for k in STANDARD_FIELDS if k in fields}
        values["code"] = code
        standard = DiscretionStandard.objects.create(
            agency=agency, version=(latest.version + 1) if latest else 1, **values
        )
        _write_tiers(standard, tiers)
        ledger_append(
            actor=actor,
            act="catalog.standard_create",
            obj=standard,
            agency_id=agency.pk,
            payload={"new": _state(standard)},
        )
        return standard


def _write_tiers(standard: DiscretionStandard, tiers: Sequence[Mapping[str, Any]]) -> None:
    for index, tier in enumerate(tiers):
        DiscretionTier.objects.create(
            standard=standard,
            name=tier["name"],
            order=int(tier.get("order", index)),
            land_classes=list(tier.get("land_classes") or []),
            range_min=Decimal(tier.get("range_min") or 0),
            range_max=None if tier.get("range_max") in (None, "") else Decimal(tier["range_max"]),
            penalty_kind=tier["penalty_kind"],
            penalty_min=Decimal(tier["penalty_min"]),
            penalty_max=Decimal(tier["penalty_max"]),
            description=tier.get("description", ""),
        )


def discretion_standard_update(
    *,
    actor: Any,
    standard: DiscretionStandard,
    fields: Mapping[str, Any],
    tiers: Sequence[Mapping[str, Any]],
) -> DiscretionStandard:
    """Replace a draft's fields and tiers; a published version is immutable (create a new version)."""
    policies.ensure(actor, "edit", standard)
    fields, tiers = _normalised(fields, tiers)
    with transaction.atomic():
        standard = DiscretionStandard.objects.select_for_update().get(pk=standard.pk)
        if standard.status != VersionStatus.DRAFT:
            raise Conflict(
                _(
                    "A published discretion standard cannot be changed; create a new version "
                    "with its own start date instead."
                ),
                code="catalog.immutable",
            )
        merged = {k: getattr(standard, k) for k in STANDARD_FIELDS} | {
            k: v for k, v in fields.items() if k in STANDARD_FIELDS and k != "code"
        }
        _ensure_valid(merged, tiers)
        old = _state(standard)
        for key, value in merged.items():
            setattr(standard, key, value)
        standard.save()
        standard.tiers.all().delete()
        _write_tiers(standard, tiers)
        ledger_append(
            actor=actor,
            act="catalog.standard_update",
            obj=standard,
            agency_id=standard.agency_id,
            payload={"changes": changed(old, _state(standard))},
        )
        return standard


def discretion_standard_publish(*, actor: Any, standard: DiscretionStandard) -> DiscretionStandard:
    """Publish a draft from its effective date (行政处罚法 Art.34: standards are published); the
    version in force until then ends that day. Versions never overlap."""
    policies.ensure(actor, "edit", standard)
    with transaction.atomic():
        standard = DiscretionStandard.objects.select_for_update().get(pk=standard.pk)
        if standard.status != VersionStatus.DRAFT:
            raise Conflict(
                _("Only a draft can be published; this version is already %(status)s.")
                % {"status": standard.get_status_display()},
                code="catalog.not_draft",
            )
        _ensure_valid(
            {k: getattr(standard, k) for k in STANDARD_FIELDS},
            [
                snapshot(t, TIER_FIELDS)
                | {
                    "range_min": t.range_min,
                    "range_max": t.range_max,
                    "penalty_min": t.penalty_min,
                    "penalty_max": t.penalty_max,
                }
                for t in standard.tiers.all()
            ],
        )
        start = standard.effective_from
        closed = []
        for other in DiscretionStandard.objects.select_for_update().filter(
            agency_id=standard.agency_id,
            code=standard.code,
            status__in=[VersionStatus.PUBLISHED, VersionStatus.RETIRED],
        ):
            if other.effective_from >= start:
                raise Conflict(
                    _(
                        "Version %(v)s of %(code)s is in force from %(start)s; a new version must start "
                        "after that date, so choose a later start date."
                    )
                    % {"v": other.version, "code": standard.code, "start": other.effective_from},
                    code="catalog.period_overlap",
                )
            if other.effective_until is None or other.effective_until > start:
                closed.append(
                    {
                        "version": other.version,
                        "effective_until": {"old": plain(other.effective_until), "new": start.isoformat()},
                    }
                )
                other.effective_until = start
                other.save(update_fields=["effective_until", "updated_at"])
        standard.status = VersionStatus.PUBLISHED
        standard.save(update_fields=["status", "updated_at"])
        ledger_append(
            actor=actor,
            act="catalog.standard_publish",
            obj=standard,
            agency_id=standard.agency_id,
            payload={"version": standard.version, "effective_from": start.isoformat(), "closed": closed},
        )
        return standard


def discretion_standard_retire(
    *,
    actor: Any,
    standard: DiscretionStandard,
    effective_until: datetime.date,
) -> DiscretionStandard:
    """End a published standard's force on `effective_until` (no successor)."""
    policies.ensure(actor, "edit", standard)
    with transaction.atomic():
        standard = DiscretionStandard.objects.select_for_update().get(pk=standard.pk)
        if standard.status != VersionStatus.PUBLISHED:
            raise Conflict(_("Only a published version can be retired."), code="catalog.not_published")
        if effective_until <= standard.effective_from:
            raise ValidationFailed(
                _(
                    "The end date %(end)s is not after the start date %(start)s; a validity period must "
                    "end after it starts."
                )
                % {"end": effective_until, "start": standard.effective_from},
                code="catalog.bad_period",
            )
        old = plain(standard.effective_until)
        standard.status = VersionStatus.RETIRED
        standard.effective_until = effective_until
        standard.save(update_fields=["status", "effective_until", "updated_at"])
        ledger_append(
            actor=actor,
            act="catalog.standard_retire",
            obj=standard,
            agency_id=standard.agency_id,
            payload={"effective_until": {"old": old, "new": effective_until.isoformat()}},
        )
        return standard


def exemption_rule_save(
    *,
    actor: Any,
    agency: Any,
    power_code: str,
    kind: str,
    required_facts: Sequence[str],
    effective_from: datetime.date,
    max_area_m2: Decimal | None = None,
    description: str = "",
) -> ExemptionRule:
    """Add (or update) a 首违不罚 / 轻微免罚 entry for a power item (行政处罚法 Art.33)."""
    policies.ensure_edit_agency(actor, agency)
    with transaction.atomic():
        unknown = [f for f in required_facts if f not in EXEMPTION_FACTS]
        if kind not in ExemptionKind.values or unknown or not required_facts:
            raise ValidationFailed(
                _("An exemption needs a kind (minor / first_offence) and required facts from: %(facts)s.")
                % {"facts": "、".join(EXEMPTION_FACTS)},
                code="catalog.bad_exemption",
            )
        rule, created = ExemptionRule.objects.select_for_update().get_or_create(
            agency=agency,
            power_code=power_code,
            kind=kind,
            defaults={
                "required_facts": list(required_facts),
                "max_area_m2": max_area_m2,
                "description": description,
                "effective_from": effective_from,
            },
        )
        fields = ("required_facts", "max_area_m2", "description", "effective_from")
        old = {} if created else snapshot(rule, fields)
        if not created:
            rule.required_facts, rule.max_area_m2 = list(required_facts), max_area_m2
            rule.description, rule.effective_from = description, effective_from
            rule.save()
        new = snapshot(rule, fields)
        if created or old != new:
            ledger_append(
                actor=actor,
                act="catalog.exemption_save",
                obj=rule,
                agency_id=agency.pk,
                payload={"power_code": power_code, "kind": kind, "changes": changed(old, new)},
            )
        return rule


# ---------------------------------------------------------------- evaluation


def _decimal(facts: Mapping[str, Any], key: str, errors: dict[str, list[str]]) -> Decimal | None:
    raw = facts.get(key)
    if raw in (None, ""):
        return None
    if isinstance(raw, bool):
        errors.setdefault(key, []).append(_("“%(value)s” is not a number.") % {"value": raw})
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        errors.setdefault(key, []).append(_("“%(value)s” is not a number.") % {"value": raw})
        return None
    problem = number_problem(value)
    if problem is not None:
        errors.setdefault(key, []).append(problem)
        return None
    return value


def parse_facts(facts: Mapping[str, Any]) -> Facts:
    """Facts from a form or API body; refuses bad numbers with per-field Chinese messages."""
    errors: dict[str, list[str]] = {}
    area_m2, area_mu = _decimal(facts, "area_m2", errors), _decimal(facts, "area_mu", errors)
    area = area_from(area_m2=area_m2, area_mu=area_mu)
    parsed = Facts(
        area_mu=area_mu if area_m2 is None else None,
        land_class=land_class_value(facts.get("land_class")) or str(facts.get("land_class") or "").strip(),
        area_m2=area,
        illegal_income=_decimal(facts, "illegal_income", errors),
        fee=_decimal(facts, "fee", errors),
    )
    if parsed.land_class and parsed.land_class not in LandClass.values:
        errors.setdefault("land_class", []).append(
            _("Unknown land class; use %(known)s.") % {"known": _known_classes()}
        )
    if errors:
        raise ValidationFailed(
            _("Some facts are not valid; correct the marked fields."),
            code="catalog.bad_facts",
            field_errors=errors,
        )
    return parsed


def _flag(facts: Mapping[str, Any], key: str) -> bool:
    value = facts.get(key)
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on", "是"}
    return bool(value)


def _spec(standard: DiscretionStandard) -> StandardSpec:
    tiers = [
        TierSpec(
            name=t.name,
            order=t.order,
            land_classes=tuple(t.land_classes),
            range_min=t.range_min,
            range_max=t.range_max,
            penalty_kind=t.penalty_kind,
            penalty_min=t.penalty_min,
            penalty_max=t.penalty_max,
        )
        for t in standard.tiers.all()
    ]
    return spec_of(
        {
            k: getattr(standard, k)
            for k in ("dimension", "land_classes", "legal_kind", "legal_min", "legal_max")
        },
        tiers,
    )


def _compute(
    standard: DiscretionStandard, facts: Facts
) -> tuple[TierSpec | None, tuple[Decimal, Decimal] | str]:
    spec = _spec(standard)
    tier = match_tier(spec, land_class=facts.land_class, quantity=quantity_for(standard.dimension, facts))
    if tier is None:
        needed = dimension_unit(standard.dimension)
        return None, _("no tier matches: give the land class (%(classes)s) and the quantity (%(unit)s)") % {
            "classes": "、".join(standard.land_class_names) or _("any"),
            "unit": needed or _("none"),
        }
    return tier, amount_range(tier, facts)


def standard_versions(*, code: str, agency: Any) -> list[DiscretionStandard]:
    """Published (or retired) versions of a standard that apply to `agency`: those of the nearest
    agency up the hierarchy (own agency first, then city, then province) that has one."""
    chain = policies.agency_chain(agency)
    rows = list(
        DiscretionStandard.objects.filter(
            code=code,
            agency_id__in=chain,
            status__in=[VersionStatus.PUBLISHED, VersionStatus.RETIRED],
        ).prefetch_related("tiers")
    )
    for agency_id in chain:
        mine = [r for r in rows if r.agency_id == agency_id]
        if mine:
            return sorted(mine, key=lambda r: r.effective_from)
    return []


def discretion_evaluate(
    *,
    agency: Any,
    act_date: datetime.date,
    facts: Mapping[str, Any],
    standard: DiscretionStandard | None = None,
    violation_code: str | None = None,
    today: datetime.date | None = None,
) -> Evaluation:
    """Tier, fine range and recommended amount for the facts of one violation.

    Applies the version in force on the act date, unless a version in force today is lighter for
    these facts (行政处罚法 Art.37); Art.32 mitigations move the recommendation to the lower bound
    (从轻) and allow 减轻; Art.33 exemptions from the catalog's 首违不罚 / 轻微免罚 list.

    Absurd act dates are refused (ValidationFailed on `act_date`, a 400 in the API): a date after
    `today` (the violation cannot have been committed yet), and a date on which no published
    version was in force (before the first version, or in a gap between versions). For the latter
    the earliest version is deliberately *not* used even when it would be lighter: Art.37 applies
    the rule in force when the violation was committed, and a standard that was not yet in force
    then says nothing about it (the statutory range alone governed); the officer decides within
    that range, or corrects the date. A draft being tried out is evaluated as if in force.
    """
    parsed = parse_facts(facts)
    today = today or timezone.localdate()
    if act_date > today:
        raise ValidationFailed(
            _(
                "The act date %(date)s is after today (%(today)s): a violation cannot have been "
                "committed in the future. Enter the date on which it was committed."
            )
            % {"date": act_date, "today": today},
            code="catalog.act_date_future",
            field_errors={"act_date": [_("The date of the violation cannot be after today.")]},
        )
    if standard is not None:
        versions = standard_versions(code=standard.code, agency=standard.agency)
        if standard.status == VersionStatus.DRAFT:
            versions = [standard]
    elif violation_code:
        versions = standard_versions(code=violation_code, agency=agency)
    else:
        raise ValidationFailed(
            _("Name the discretion standard or the violation."), code="catalog.no_standard"
        )
    if not versions:
        raise NotFound(
            _(
                "No published discretion standard for this violation applies to this agency; "
                "the system administrator must publish one first."
            ),
            code="catalog.no_standard",
        )
    reasons: list[str] = []
    at_act = next((v for v in versions if in_force(v.effective_from, v.effective_until, act_date)), None)
    now = next((v for v in versions if in_force(v.effective_from, v.effective_until, today)), None)
    if standard is not None and standard.status == VersionStatus.DRAFT:
        at_act = now = standard
    if at_act is None:
        raise ValidationFailed(
            _(
                "No version of this discretion standard was in force on the act date %(date)s (the "
                "first version took effect on %(first)s); 行政处罚法 Art.37 applies the rules in force "
                "when the violation was committed, so this standard cannot be applied. Check the act "
                "date, or decide within the statutory range."
            )
            % {"date": act_date, "first": versions[0].effective_from},
            code="catalog.no_version_at_act_date",
            field_errors={"act_date": [_("No version of the standard was in force on this date.")]},
        )
    chosen = at_act
    reasons.append(
        _(
            "Version v%(v)s (in force from %(start)s) was in force on the act date %(date)s "
            "(行政处罚法 Art.37)."
        )
        % {"v": at_act.version, "start": at_act.effective_from, "date": act_date}
    )
    tier, result = _compute(chosen, parsed)
    if now is not None and now.pk != at_act.pk:
        tier_now, result_now = _compute(now, parsed)
        if isinstance(result, tuple) and isinstance(result_now, tuple) and lighter(result_now, result):
            reasons.append(
                _(
                    "The version now in force (v%(v)s, from %(start)s) is lighter for these facts "
                    "(%(new)s instead of %(old)s yuan), so it applies (行政处罚法 Art.37: a later, "
                    "lighter rule applies)."
                )
                % {
                    "v": now.version,
                    "start": now.effective_from,
                    "new": f"{fmt(result_now[0])}–{fmt(result_now[1])}",
                    "old": f"{fmt(result[0])}–{fmt(result[1])}",
                }
            )
            chosen, tier, result = now, tier_now, result_now
        else:
            reasons.append(
                _(
                    "The version now in force (v%(v)s) is not lighter for these facts, so the "
                    "act-date version stays."
                )
                % {"v": now.version}
            )
    evaluation = Evaluation(
        standard=chosen,
        tier=None,
        range_min=None,
        range_max=None,
        recommended=None,
        act_date_standard=at_act,
        reasons=reasons,
    )
    if chosen.is_sample:
        reasons.append(
            _(
                "This standard is sample data (示例数据): confirm it against the standard "
                "published by the province before relying on it."
            )
        )
    if tier is None:
        reasons.append(str(result))
        return evaluation
    evaluation.tier = next(
        (t for t in chosen.tiers.all() if t.name == tier.name and t.order == tier.order), None
    )
    reasons.append(
        _("Tier “%(tier)s”: %(conditions)s; penalty %(penalty)s.")
        % {
            "tier": tier.name,
            "conditions": _conditions(chosen, tier, parsed),
            "penalty": describe_penalty(tier),
        }
    )
    if isinstance(result, str):
        reasons.append(result)
        return evaluation
    low, high = result
    evaluation.range_min, evaluation.range_max = low, high
    point = chosen.recommended_point
    recommended = money(low + (high - low) * point)
    mitigations = [key for key in MITIGATIONS if _flag(facts, key)]
    if mitigations:
        evaluation.mitigations = [MITIGATIONS[m] for m in mitigations]
        recommended = low
        reasons.append(
            _(
                "Mandatory mitigation (行政处罚法 Art.32): %(facts)s — the penalty must be lighter "
                "(从轻, recommended at the lower bound %(low)s yuan) or mitigated (减轻, below the "
                "statutory minimum, decided collectively)."
            )
            % {"facts": "；".join(evaluation.mitigations), "low": fmt(low)}
        )
    else:
        reasons.append(
            _("Recommended amount at %(pct)s%% of the range: %(amount)s yuan.")
            % {"pct": fmt(point * 100), "amount": fmt(recommended)}
        )
    evaluation.recommended = recommended
    _apply_exemptions(evaluation, agency=agency, act_date=act_date, facts=facts, parsed=parsed)
    return evaluation


def _conditions(standard: DiscretionStandard, tier: TierSpec, facts: Facts) -> str:
    parts = []
    if facts.land_class:
        parts.append(_("land class %(cls)s") % {"cls": land_class_name(facts.land_class)})
    quantity = quantity_for(standard.dimension, facts)
    if quantity is not None:
        parts.append(
            _("%(q)s %(unit)s within [%(a)s, %(b)s)")
            % {
                "q": fmt(money(quantity)),
                "unit": dimension_unit(standard.dimension),
                "a": fmt(tier.range_min),
                "b": fmt(tier.range_max),
            }
        )
    return "，".join(parts) or _("applies to every case")


def _apply_exemptions(
    evaluation: Evaluation, *, agency: Any, act_date: datetime.date, facts: Mapping[str, Any], parsed: Facts
) -> None:
    power_code = evaluation.standard.power_code
    if not power_code:
        return
    chain = policies.agency_chain(agency)
    rules = ExemptionRule.objects.filter(power_code=power_code, agency_id__in=chain).filter(
        Q(effective_until__isnull=True) | Q(effective_until__gt=act_date), effective_from__lte=act_date
    )
    for rule in sorted(rules, key=lambda r: r.kind != ExemptionKind.MINOR):
        if not all(_flag(facts, f) for f in rule.required_facts):
            continue
        if rule.max_area_m2 is not None and (parsed.area_m2 is None or parsed.area_m2 > rule.max_area_m2):
            continue
        met = "、".join(EXEMPTION_FACTS[f] for f in rule.required_facts)
        if rule.kind == ExemptionKind.MINOR:
            evaluation.outcome = Outcome.SHALL_NOT_PENALISE
            evaluation.reasons.append(
                _(
                    "Minor-exemption list: %(facts)s — no penalty shall be imposed "
                    "(行政处罚法 Art.33 para.1); educate the party."
                )
                % {"facts": met}
            )
            return
        evaluation.outcome = Outcome.MAY_NOT_PENALISE
        evaluation.reasons.append(
            _(
                "First-violation list: %(facts)s — the agency may decide not to "
                "penalise (首违不罚, 行政处罚法 Art.33 para.1); educate the party."
            )
            % {"facts": met}
        )
        return
