"""Reads of the power catalog, already scoped to the actor (catalog.policies)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from catalog import policies
from catalog.models import (
    DiscretionStandard,
    ExemptionRule,
    LegalProvision,
    MajorDecisionRule,
    PowerItem,
    VersionStatus,
)
from catalog.services.major import rules_in_force
from org import selectors as org_selectors


def actor_agency(actor: Any) -> Any | None:
    """The agency the actor works in (None for users who are not officers)."""
    officer = org_selectors.officer_for(actor)
    return officer.agency if officer is not None else None


def _scope(qs: QuerySet[Any], actor: Any) -> QuerySet[Any]:
    ids = policies.readable_agency_ids(actor)
    return qs if ids is None else qs.filter(agency_id__in=ids)


def visible_power_items(actor: Any) -> QuerySet[PowerItem]:
    """Every version the actor may read (history included)."""
    return _scope(PowerItem.objects.select_related("agency", "department"), actor)


def power_items_current(
    actor: Any,
    *,
    kind: str = "",
    department_id: int | None = None,
    q: str = "",
    agency_id: int | None = None,
    on: datetime.date | None = None,
) -> QuerySet[PowerItem]:
    """Published versions in force on `on` (today), filtered for the list screen."""
    day = on or timezone.localdate()
    qs = (
        visible_power_items(actor)
        .filter(status=VersionStatus.PUBLISHED, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=day))
    )
    if kind:
        qs = qs.filter(kind=kind)
    if department_id:
        qs = qs.filter(department_id=department_id)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return qs.order_by("agency_id", "code")


def power_item_history(actor: Any, item: PowerItem) -> QuerySet[PowerItem]:
    return visible_power_items(actor).filter(agency_id=item.agency_id, code=item.code).order_by("-version")


def visible_standards(actor: Any) -> QuerySet[DiscretionStandard]:
    return _scope(DiscretionStandard.objects.select_related("agency").prefetch_related("tiers"), actor)


def standards_list(actor: Any, *, q: str = "", include_drafts: bool = False) -> QuerySet[DiscretionStandard]:
    qs = visible_standards(actor)
    if not include_drafts:
        qs = qs.exclude(status=VersionStatus.DRAFT)
    if q:
        qs = qs.filter(Q(violation_name__icontains=q) | Q(code__icontains=q))
    return qs.order_by("agency_id", "code", "-version")


def exemptions_for(actor: Any, *, power_code: str) -> QuerySet[ExemptionRule]:
    return _scope(ExemptionRule.objects.filter(power_code=power_code), actor)


def major_rules_for(
    actor: Any, *, agency: Any | None, on: datetime.date | None = None
) -> list[MajorDecisionRule]:
    """The major-decision catalog in force for `agency` (default rows plus its own and its province's)."""
    day = on or timezone.localdate()
    if agency is None:
        return list(
            MajorDecisionRule.objects.filter(agency__isnull=True).filter(
                Q(effective_until__isnull=True) | Q(effective_until__gt=day), effective_from__lte=day
            )
        )
    if not policies.can(actor, "view", PowerItem(agency=agency)):
        return []
    return rules_in_force(agency=agency, on=day)


def editable_agencies(actor: Any) -> QuerySet[Any]:
    """Agencies whose catalog the actor may change (for the agency choice of the editing forms)."""
    ids = policies.editable_agency_ids(actor)
    agencies = org_selectors.visible_agencies(actor)
    return agencies if ids is None else agencies.filter(pk__in=ids)


def editable_departments(actor: Any, *, agency_id: int | None = None) -> QuerySet[Any]:
    """Active departments of the agencies the actor edits (one agency's when `agency_id` is given)."""
    qs = org_selectors.visible_departments(actor).filter(agency__in=editable_agencies(actor), active=True)
    return qs.filter(agency_id=agency_id) if agency_id is not None else qs


def power_item_drafts(actor: Any) -> QuerySet[PowerItem]:
    """Unpublished drafts the actor may edit, newest first (the editors' to-do on the list screen)."""
    ids = policies.editable_agency_ids(actor)
    qs = visible_power_items(actor).filter(status=VersionStatus.DRAFT)
    return (qs if ids is None else qs.filter(agency_id__in=ids)).order_by("-updated_at")


def provisions(actor: Any, *, q: str = "") -> QuerySet[LegalProvision]:
    """Legal provisions (shared by every agency) for readers of the catalog."""
    if not policies.can(actor, "view"):
        return LegalProvision.objects.none()
    qs = LegalProvision.objects.all()
    if q:
        qs = qs.filter(Q(law_name__icontains=q) | Q(text__icontains=q))
    return qs


def visible_major_rules(actor: Any) -> QuerySet[MajorDecisionRule]:
    """Every major-decision rule the actor may read: the default catalog and readable agencies'."""
    ids = policies.readable_agency_ids(actor)
    qs = MajorDecisionRule.objects.select_related("agency")
    if ids is None:
        return qs
    if not policies.can(actor, "view"):
        return qs.none()
    return qs.filter(Q(agency__isnull=True) | Q(agency_id__in=ids))


def exemptions_in_force(*, on: datetime.date | None = None) -> list[dict[str, Any]]:
    """The 首违不罚 / 轻微免罚 list in force (行政处罚法 Art.33; public data, read by the portal's
    guidance pages): per rule its agency, power item, kind, the facts that must all hold and the
    area limit. The discretion step reads the same rows (`services.discretion`)."""
    from catalog.services.discretion import EXEMPTION_FACTS

    day = on or timezone.localdate()
    rules = (
        ExemptionRule.objects.filter(effective_from__lte=day)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gt=day))
        .select_related("agency")
        .order_by("agency__path", "power_code", "kind")
    )
    names = dict(
        PowerItem.objects.filter(code__in={r.power_code for r in rules}, status="published").values_list(
            "code", "name"
        )
    )
    return [
        {
            "agency": r.agency.name,
            "power_code": r.power_code,
            "power_name": names.get(r.power_code, ""),
            "kind": r.kind,
            "kind_label": str(r.get_kind_display()),
            "facts": [EXEMPTION_FACTS.get(f, f) for f in r.required_facts],
            "max_area_m2": r.max_area_m2,
            "description": r.description,
        }
        for r in rules
    ]
