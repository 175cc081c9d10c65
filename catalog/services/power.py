"""Legal provisions and the versioned power list (权责清单)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from catalog import policies
from catalog.models import ItemCategory, LegalProvision, PowerItem, VersionStatus
from catalog.services.common import changed, periods_overlap, plain, snapshot
from core.errors import Conflict, ValidationFailed
from core.services.ledger import ledger_append

PROVISION_FIELDS = ("law_name", "article", "paragraph", "item", "text", "effective_from", "effective_until")
REFERENCE_RE = re.compile(
    r"^\s*《?(?P<law>[^《》第]+?)》?第(?P<art>\d+)条(?:第(?P<para>\d+)款)?(?:第(?P<item>\d+)项)?\s*$"
)


def parse_reference(reference: str) -> tuple[str, int, int, int] | None:
    """'土地管理法第77条第1款' → ('土地管理法', 77, 1, 0); None when not in that form."""
    match = REFERENCE_RE.match(reference)
    if not match:
        return None
    return (match["law"].strip(), int(match["art"]), int(match["para"] or 0), int(match["item"] or 0))


def provision_find(reference: str) -> LegalProvision | None:
    parsed = parse_reference(reference)
    if parsed is None:
        return None
    law, art, para, item = parsed
    return LegalProvision.objects.filter(law_name=law, article=art, paragraph=para, item=item).first()


def _check_period(start: datetime.date | None, end: datetime.date | None) -> None:
    if start and end and end <= start:
        raise ValidationFailed(
            _(
                "The end date %(end)s is not after the start date %(start)s; a validity period must "
                "end after it starts."
            )
            % {"end": end, "start": start},
            code="catalog.bad_period",
        )


def provision_save(
    *,
    actor: Any,
    law_name: str,
    article: int,
    paragraph: int = 0,
    item: int = 0,
    text: str = "",
    effective_from: datetime.date | None = None,
    effective_until: datetime.date | None = None,
) -> LegalProvision:
    """Create a provision or update its text/dates (identified by law, article, paragraph, item)."""
    policies.ensure(actor, "edit")
    with transaction.atomic():
        if not law_name.strip() or article < 1:
            raise ValidationFailed(
                _("A provision needs the law's name and an article number ≥ 1."), code="catalog.bad_provision"
            )
        _check_period(effective_from, effective_until)
        provision, created = LegalProvision.objects.select_for_update().get_or_create(
            law_name=law_name.strip(),
            article=article,
            paragraph=paragraph,
            item=item,
            defaults={"text": text, "effective_from": effective_from, "effective_until": effective_until},
        )
        if created:
            ledger_append(
                actor=actor,
                act="catalog.provision_create",
                obj=provision,
                payload={"new": snapshot(provision, PROVISION_FIELDS)},
            )
            return provision
        old = snapshot(provision, PROVISION_FIELDS)
        provision.text = text
        provision.effective_from = effective_from
        provision.effective_until = effective_until
        new = snapshot(provision, PROVISION_FIELDS)
        if old != new:
            provision.save()
            ledger_append(
                actor=actor,
                act="catalog.provision_update",
                obj=provision,
                payload={"changes": changed(old, new)},
            )
        return provision


def _validate_content(content: dict[str, Any]) -> None:
    if not str(content.get("name", "")).strip():
        raise ValidationFailed(_("A power item needs a name."), code="catalog.missing_name")
    if content.get("kind") not in ItemCategory.values:
        raise ValidationFailed(
            _("Unknown category “%(kind)s”; use one of: %(kinds)s.")
            % {"kind": content.get("kind"), "kinds": "、".join(str(label) for label in ItemCategory.labels)},
            code="catalog.unknown_kind",
        )


def _item_state(item: PowerItem) -> dict[str, Any]:
    state = snapshot(
        item,
        ("code", "version", "status", "valid_from", "valid_until", "department", *PowerItem.CONTENT_FIELDS),
    )
    state["legal_bases"] = sorted(p.reference for p in item.legal_bases.all())
    return state


def _check_department(agency: Any, department: Any) -> None:
    if department is not None and department.agency_id != agency.pk:
        raise ValidationFailed(
            _("The department “%(dept)s” belongs to another agency; choose a department of this agency.")
            % {"dept": department},
            code="catalog.foreign_department",
        )


def power_item_create(
    *,
    actor: Any,
    agency: Any,
    code: str,
    content: dict[str, Any],
    legal_bases: Iterable[LegalProvision] = (),
    department: Any = None,
) -> PowerItem:
    """A new power item as draft version 1; the code must be new in this agency."""
    policies.ensure_edit_agency(actor, agency)
    with transaction.atomic():
        code = code.strip()
        if not code:
            raise ValidationFailed(_("A power item needs a code."), code="catalog.missing_code")
        if PowerItem.objects.filter(agency=agency, code=code).exists():
            raise Conflict(
                _(
                    "Code %(code)s is already in this agency's power list; revise that item instead of "
                    "creating another."
                )
                % {"code": code},
                code="catalog.duplicate_code",
            )
        _validate_content(content)
        _check_department(agency, department)
        fields = {k: content[k] for k in PowerItem.CONTENT_FIELDS if k in content}
        item = PowerItem.objects.create(agency=agency, code=code, version=1, department=department, **fields)
        item.legal_bases.set(list(legal_bases))
        ledger_append(
            actor=actor,
            act="catalog.power_create",
            obj=item,
            agency_id=agency.pk,
            payload={"new": _item_state(item)},
        )
        return item


def power_item_revise(
    *,
    actor: Any,
    item: PowerItem,
    content: dict[str, Any],
    legal_bases: Iterable[LegalProvision] | None = None,
    department: Any = ...,
) -> PowerItem:
    """Edit a draft in place; editing a published version makes a new draft version (history kept)."""
    policies.ensure(actor, "edit", item)
    with transaction.atomic():
        item = PowerItem.objects.select_for_update().get(pk=item.pk)
        merged = {k: getattr(item, k) for k in PowerItem.CONTENT_FIELDS} | {
            k: v for k, v in content.items() if k in PowerItem.CONTENT_FIELDS
        }
        _validate_content(merged)
        dept = item.department if department is ... else department
        _check_department(item.agency, dept)
        bases = list(item.legal_bases.all()) if legal_bases is None else list(legal_bases)
        if item.status == VersionStatus.DRAFT:
            old = _item_state(item)
            target = item
        else:
            if PowerItem.objects.filter(
                agency_id=item.agency_id, code=item.code, status=VersionStatus.DRAFT
            ).exists():
                raise Conflict(
                    _("Power item %(code)s already has an unpublished draft; edit or publish that draft.")
                    % {"code": item.code},
                    code="catalog.draft_exists",
                )
            latest = PowerItem.objects.filter(agency_id=item.agency_id, code=item.code).order_by("-version")[
                0
            ]
            old = _item_state(item)
            target = PowerItem(agency_id=item.agency_id, code=item.code, version=latest.version + 1)
        for key, value in merged.items():
            setattr(target, key, value)
        target.department = dept
        target.save()
        target.legal_bases.set(bases)
        new = _item_state(target)
        ledger_append(
            actor=actor,
            act="catalog.power_revise",
            obj=target,
            agency_id=target.agency_id,
            payload={"from_version": item.version, "changes": changed(old, new)},
        )
        return target


def power_item_publish(*, actor: Any, item: PowerItem, valid_from: datetime.date) -> PowerItem:
    """Publish a draft from `valid_from`; the version in force until then ends that day.

    Published versions of one code never overlap (Open Zaak's rule for versioned catalogues), so the
    new version must start after the current one started.
    """
    policies.ensure(actor, "edit", item)
    with transaction.atomic():
        item = PowerItem.objects.select_for_update().get(pk=item.pk)
        if item.status != VersionStatus.DRAFT:
            raise Conflict(
                _("Only a draft can be published; this version is already %(status)s.")
                % {"status": item.get_status_display()},
                code="catalog.not_draft",
            )
        others = list(
            PowerItem.objects.select_for_update()
            .filter(
                agency_id=item.agency_id,
                code=item.code,
                status__in=[VersionStatus.PUBLISHED, VersionStatus.RETIRED],
            )
            .exclude(pk=item.pk)
        )
        closed: list[dict[str, Any]] = []
        for other in others:
            if other.valid_from and other.valid_from >= valid_from:
                raise Conflict(
                    _(
                        "Version %(v)s of %(code)s is valid from %(start)s; a new version must start after "
                        "that date, so choose a later start date."
                    )
                    % {"v": other.version, "code": item.code, "start": other.valid_from},
                    code="catalog.period_overlap",
                )
            if periods_overlap(other.valid_from, other.valid_until, valid_from, None):
                closed.append(
                    {
                        "version": other.version,
                        "valid_until": {"old": plain(other.valid_until), "new": valid_from.isoformat()},
                    }
                )
                other.valid_until = valid_from
                other.save(update_fields=["valid_until", "updated_at"])
        item.status = VersionStatus.PUBLISHED
        item.valid_from = valid_from
        item.valid_until = None
        item.save(update_fields=["status", "valid_from", "valid_until", "updated_at"])
        ledger_append(
            actor=actor,
            act="catalog.power_publish",
            obj=item,
            agency_id=item.agency_id,
            payload={"version": item.version, "valid_from": valid_from.isoformat(), "closed": closed},
        )
        return item


def power_item_retire(*, actor: Any, item: PowerItem, valid_until: datetime.date) -> PowerItem:
    """Take a published power item out of force from `valid_until` (the power was abolished)."""
    policies.ensure(actor, "edit", item)
    with transaction.atomic():
        item = PowerItem.objects.select_for_update().get(pk=item.pk)
        if item.status != VersionStatus.PUBLISHED:
            raise Conflict(_("Only a published version can be retired."), code="catalog.not_published")
        if item.valid_from and valid_until <= item.valid_from:
            raise ValidationFailed(
                _(
                    "The end date %(end)s is not after the start date %(start)s; a validity period must "
                    "end after it starts."
                )
                % {"end": valid_until, "start": item.valid_from},
                code="catalog.bad_period",
            )
        old = plain(item.valid_until)
        item.status = VersionStatus.RETIRED
        item.valid_until = valid_until
        item.save(update_fields=["status", "valid_until", "updated_at"])
        ledger_append(
            actor=actor,
            act="catalog.power_retire",
            obj=item,
            agency_id=item.agency_id,
            payload={"version": item.version, "valid_until": {"old": old, "new": valid_until.isoformat()}},
        )
        return item
