"""Pure rules over discretion tiers: they must tile the fact space, and they turn facts into a range.

Nothing here touches the database, so the same checks run on a save and on an import row set.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from catalog.models import SQM_PER_MU, Dimension, PenaltyKind, land_class_name

CENT = Decimal("0.01")


@dataclass(frozen=True)
class TierSpec:
    name: str
    order: int
    land_classes: tuple[str, ...]
    range_min: Decimal
    range_max: Decimal | None
    penalty_kind: str
    penalty_min: Decimal
    penalty_max: Decimal
    line: int | None = None  # import line, for error reports


@dataclass(frozen=True)
class StandardSpec:
    dimension: str
    land_classes: tuple[str, ...]
    legal_kind: str = ""
    legal_min: Decimal | None = None
    legal_max: Decimal | None = None
    tiers: tuple[TierSpec, ...] = field(default_factory=tuple)


def dimension_unit(dimension: str) -> str:
    return {
        Dimension.AREA_M2: _("m²"),
        Dimension.AREA_MU: _("mu"),
        Dimension.ILLEGAL_INCOME: _("yuan"),
    }.get(Dimension(dimension), "")


def fmt(value: Decimal | None) -> str:
    """A number as an officer writes it: no trailing zeros, ∞ for an open end."""
    if value is None:
        return "∞"
    text = format(value.normalize(), "f")
    return text


def _interval(tier: TierSpec) -> str:
    return f"[{fmt(tier.range_min)}, {fmt(tier.range_max)})"


def _where(tier: TierSpec) -> str:
    if tier.line is not None:
        return _("line %(line)s, tier “%(tier)s”") % {"line": tier.line, "tier": tier.name}
    return _("tier “%(tier)s”") % {"tier": tier.name}


def tier_errors(spec: StandardSpec) -> list[str]:
    """Every way the tiers fail to tile [0, ∞) for each land class, in Chinese.

    A discretion standard's tiers may neither overlap nor leave a gap (行政处罚法 Art.34: the
    standard must give one answer for any facts).
    """
    errors: list[str] = []
    tiers = spec.tiers
    if not tiers:
        return [_("The standard has no tiers: add at least one tier covering every case.")]
    declared = set(spec.land_classes)
    for tier in tiers:
        if tier.penalty_min < 0 or tier.penalty_max < tier.penalty_min:
            errors.append(
                _(
                    "%(where)s: penalty minimum %(min)s is above the maximum %(max)s or negative; "
                    "the minimum must be ≥ 0 and ≤ the maximum."
                )
                % {"where": _where(tier), "min": fmt(tier.penalty_min), "max": fmt(tier.penalty_max)}
            )
        if tier.range_min < 0 or (tier.range_max is not None and tier.range_max <= tier.range_min):
            errors.append(
                _(
                    "%(where)s: the range %(range)s is empty or negative; the upper bound must be "
                    "greater than the lower bound."
                )
                % {"where": _where(tier), "range": _interval(tier)}
            )
        unknown = set(tier.land_classes) - declared
        if unknown:
            errors.append(
                _(
                    "%(where)s: land class %(classes)s is not among the standard's land classes "
                    "(%(declared)s); declare it on the standard or correct the tier."
                )
                % {
                    "where": _where(tier),
                    "classes": "、".join(land_class_name(c) for c in sorted(unknown)),
                    "declared": "、".join(land_class_name(c) for c in spec.land_classes) or _("none"),
                }
            )
        if spec.legal_kind and tier.penalty_kind == spec.legal_kind:
            low_ok = spec.legal_min is None or tier.penalty_min >= spec.legal_min
            high_ok = spec.legal_max is None or tier.penalty_max <= spec.legal_max
            if not (low_ok and high_ok):
                errors.append(
                    _(
                        "%(where)s: penalty range %(min)s–%(max)s lies outside the statutory range "
                        "%(lmin)s–%(lmax)s; a tier may only divide the statutory range."
                    )
                    % {
                        "where": _where(tier),
                        "min": fmt(tier.penalty_min),
                        "max": fmt(tier.penalty_max),
                        "lmin": fmt(spec.legal_min),
                        "lmax": fmt(spec.legal_max),
                    }
                )
    if spec.dimension == Dimension.NONE:
        groups = [
            (c, [t for t in tiers if not t.land_classes or c in t.land_classes])
            for c in (spec.land_classes or ("",))
        ]
        for land_class, members in groups:
            if len(members) != 1:
                errors.append(
                    _(
                        "Land class “%(cls)s”: %(n)s tiers apply but without a quantity exactly one "
                        "tier must apply."
                    )
                    % {"cls": land_class_name(land_class) or _("all"), "n": len(members)}
                )
        return errors
    unit = dimension_unit(spec.dimension)
    for land_class in spec.land_classes or ("",):
        members = sorted(
            (t for t in tiers if not t.land_classes or land_class in t.land_classes),
            key=lambda t: (t.range_min, t.range_max is None, t.range_max or 0),
        )
        label = land_class_name(land_class) or _("all land")
        if not members:
            errors.append(
                _("Land class “%(cls)s” has no tier: add tiers covering [0, ∞) %(unit)s for it.")
                % {"cls": label, "unit": unit}
            )
            continue
        expected = Decimal(0)
        previous: TierSpec | None = None
        for tier in members:
            if tier.range_min > expected:
                errors.append(
                    _(
                        "Land class “%(cls)s”: gap [%(a)s, %(b)s) %(unit)s before %(where)s; no tier "
                        "covers it. Tiers must follow each other without gaps from 0 to ∞."
                    )
                    % {
                        "cls": label,
                        "a": fmt(expected),
                        "b": fmt(tier.range_min),
                        "unit": unit,
                        "where": _where(tier),
                    }
                )
            elif tier.range_min < expected and previous is not None:
                errors.append(
                    _(
                        "Land class “%(cls)s”: %(where)s %(r1)s overlaps %(other)s %(r2)s %(unit)s; "
                        "one set of facts may fall in only one tier, so make the ranges meet end to end."
                    )
                    % {
                        "cls": label,
                        "where": _where(tier),
                        "r1": _interval(tier),
                        "other": _where(previous),
                        "r2": _interval(previous),
                        "unit": unit,
                    }
                )
            if tier.range_max is None:
                expected = Decimal("Infinity")
            else:
                expected = max(expected, tier.range_max)
            previous = tier
        if expected != Decimal("Infinity"):
            errors.append(
                _(
                    "Land class “%(cls)s”: nothing covers %(a)s %(unit)s and above; the last tier "
                    "must be open-ended (leave its upper bound empty)."
                )
                % {"cls": label, "a": fmt(expected), "unit": unit}
            )
    return errors


def match_tier(spec: StandardSpec, *, land_class: str, quantity: Decimal | None) -> TierSpec | None:
    """The one tier whose conditions the facts meet (tiers are validated to tile the space)."""
    for tier in sorted(spec.tiers, key=lambda t: (t.order, t.range_min)):
        if tier.land_classes and land_class not in tier.land_classes:
            continue
        if spec.dimension != Dimension.NONE:
            if quantity is None or quantity < tier.range_min:
                continue
            if tier.range_max is not None and quantity >= tier.range_max:
                continue
        return tier
    return None


@dataclass(frozen=True)
class Facts:
    land_class: str
    area_m2: Decimal | None
    illegal_income: Decimal | None
    fee: Decimal | None
    area_mu: Decimal | None = None  # as given, so that 20 亩 stays exactly 20 亩


def area_from(*, area_m2: Decimal | None, area_mu: Decimal | None) -> Decimal | None:
    """Area in m² from either unit (1 亩 = 10000/15 m²)."""
    if area_m2 is not None:
        return area_m2
    if area_mu is not None:
        return area_mu * SQM_PER_MU
    return None


def quantity_for(dimension: str, facts: Facts) -> Decimal | None:
    if dimension == Dimension.AREA_M2:
        return facts.area_m2
    if dimension == Dimension.AREA_MU:
        if facts.area_mu is not None:
            return facts.area_mu
        return None if facts.area_m2 is None else (facts.area_m2 / SQM_PER_MU).quantize(Decimal("0.000001"))
    if dimension == Dimension.ILLEGAL_INCOME:
        return facts.illegal_income
    return None


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def amount_range(tier: TierSpec, facts: Facts) -> tuple[Decimal, Decimal] | str:
    """The fine range in yuan for these facts, or a Chinese message naming the missing fact."""
    kind = tier.penalty_kind
    if kind == PenaltyKind.PER_M2:
        if facts.area_m2 is None:
            return _("the area (m² or mu) is needed to compute a per-m² fine")
        base = facts.area_m2
    elif kind == PenaltyKind.PERCENT_OF_INCOME:
        if facts.illegal_income is None:
            return _("the illegal income is needed to compute a percentage fine")
        base = facts.illegal_income / 100
    elif kind == PenaltyKind.MULTIPLE_OF_FEE:
        if facts.fee is None:
            return _("the fee (e.g. cultivation or reclamation fee) is needed to compute a multiple")
        base = facts.fee
    else:
        base = Decimal(1)
    return money(tier.penalty_min * base), money(tier.penalty_max * base)


def describe_penalty(tier: TierSpec) -> str:
    values = {"min": fmt(tier.penalty_min), "max": fmt(tier.penalty_max)}
    if tier.penalty_kind == PenaltyKind.PER_M2:
        return _("%(min)s–%(max)s yuan per m²") % values
    if tier.penalty_kind == PenaltyKind.PERCENT_OF_INCOME:
        return _("%(min)s%%–%(max)s%% of the illegal income") % values
    if tier.penalty_kind == PenaltyKind.MULTIPLE_OF_FEE:
        return _("%(min)s–%(max)s times the fee") % values
    return _("%(min)s–%(max)s yuan") % values


def lighter(a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> bool:
    """Is range a lighter than range b (lower ceiling, then lower floor)?"""
    return (a[1], a[0]) < (b[1], b[0])


def spec_of(standard_fields: dict[str, object], tiers: Iterable[TierSpec]) -> StandardSpec:
    lc = standard_fields.get("land_classes") or ()
    assert isinstance(lc, Sequence)
    return StandardSpec(
        dimension=str(standard_fields.get("dimension") or Dimension.AREA_M2),
        land_classes=tuple(str(c) for c in lc),
        legal_kind=str(standard_fields.get("legal_kind") or ""),
        legal_min=standard_fields.get("legal_min"),  # type: ignore[arg-type]
        legal_max=standard_fields.get("legal_max"),  # type: ignore[arg-type]
        tiers=tuple(tiers),
    )
