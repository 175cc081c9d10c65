"""The service app's configuration edited by the system administrator (三员分立): licence kinds (with
their link to the power list and the field whose certificate the handling staff hold) and the
post-licence supervision frequency by risk level ([U], agency policy). Every change is a ledger act
with the old and new values."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from core.services.ledger import ledger_append
from org import selectors as org_selectors
from service import policies
from service.models import LicenceKind, RiskLevel, SupervisionFrequency
from service.services.applications import clean_text

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
KIND_FIELDS = (
    "code",
    "name",
    "power_code",
    "field_code",
    "basis",
    "temporary_land",
    "validity_months",
    "active",
)
MAX_INTERVAL_DAYS = 3650


def _values(kind: LicenceKind) -> dict[str, Any]:
    return {f: getattr(kind, f) for f in KIND_FIELDS}


def licence_kind_save(
    *,
    actor: Any,
    kind: LicenceKind | None = None,
    code: str,
    name: str,
    field_code: str,
    power_code: str = "",
    basis: str = "",
    temporary_land: bool = False,
    validity_months: int | None = None,
    active: bool = True,
) -> LicenceKind:
    """Create or change a licence kind (catalog data). The code names the kind's number sequence and
    never changes once set; the field must be a field of enforcement; the power code, when given,
    must be an item of the power list in force (权责清单)."""
    policies.ensure(actor, "administer", kind)
    code, name = clean_text(code, 40).lower(), clean_text(name, 100)
    field_code, power_code, basis = (
        clean_text(field_code, 40),
        clean_text(power_code, 40),
        clean_text(basis, 200),
    )
    errors: dict[str, list[str]] = {}
    if kind is not None and code != kind.code:
        errors["code"] = [_("The code of a kind never changes: its licences are numbered under it.")]
    elif not CODE_RE.match(code):
        errors["code"] = [_("Use 2–40 lowercase letters, digits or underscores, starting with a letter.")]
    elif kind is None and LicenceKind.objects.filter(code=code).exists():
        errors["code"] = [_("A licence kind with this code already exists.")]
    if not name:
        errors["name"] = [_("Give the name of the licence.")]
    elif LicenceKind.objects.filter(name=name).exclude(pk=kind.pk if kind else 0).exists():
        errors["name"] = [_("Another licence kind already has this name.")]
    if not org_selectors.enforcement_fields().filter(code=field_code).exists():
        errors["field_code"] = [
            _("Choose a field of enforcement: the handling staff must hold its certificate.")
        ]
    if power_code:
        from catalog import selectors as catalog_selectors

        if not catalog_selectors.power_items_current(None).filter(code=power_code).exists():
            errors["power_code"] = [
                _("No item of the power list in force has the code %(code)s; leave it empty or correct it.")
                % {"code": power_code}
            ]
    if validity_months is not None and not 1 <= int(validity_months) <= 600:
        errors["validity_months"] = [_("Give the usual validity in months (1 to 600), or leave it empty.")]
    if errors:
        raise ValidationFailed(
            _("The licence kind was not saved: correct the fields marked."), field_errors=errors, status=422
        )
    with transaction.atomic():
        if kind is None:
            target, old = LicenceKind(code=code), None
        else:
            target = LicenceKind.objects.select_for_update().get(pk=kind.pk)
            old = _values(target)
        target.name, target.field_code, target.power_code, target.basis = name, field_code, power_code, basis
        target.temporary_land, target.active = bool(temporary_land), bool(active)
        target.validity_months = int(validity_months) if validity_months is not None else None
        target.save()
        new = _values(target)
        if old == new:
            return target
        ledger_append(
            actor=actor,
            act="licence_kind.create" if old is None else "licence_kind.change",
            obj=target,
            payload={"old": old, "new": new},
        )
    return target


def supervision_frequency_set(*, actor: Any, risk_level: str, interval_days: Any) -> SupervisionFrequency:
    """The interval between post-licence inspections of a risk level (configuration, [U])."""
    policies.ensure(actor, "administer", None)
    errors: dict[str, list[str]] = {}
    if risk_level not in RiskLevel.values:
        errors["risk_level"] = [_("Choose a risk level.")]
    try:
        days = int(interval_days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_INTERVAL_DAYS:
        errors["interval_days"] = [
            _("Give the interval in days, from 1 to %(max)d.") % {"max": MAX_INTERVAL_DAYS}
        ]
    if errors:
        raise ValidationFailed(
            _("The supervision frequency was not saved: correct the fields marked."),
            field_errors=errors,
            status=422,
        )
    with transaction.atomic():
        row = SupervisionFrequency.objects.select_for_update().filter(risk_level=risk_level).first()
        old = row.interval_days if row else None
        if row is None:
            row = SupervisionFrequency(risk_level=risk_level, interval_days=days)
        if old == days:
            return row
        ordered = dict(
            SupervisionFrequency.objects.exclude(risk_level=risk_level).values_list(
                "risk_level", "interval_days"
            )
        )
        ordered[risk_level] = days
        rank = [RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW]
        present = [ordered[r] for r in rank if r in ordered]
        if present != sorted(present):
            raise ValidationFailed(
                _(
                    "Riskier licences are inspected at least as often: the interval of high risk may not "
                    "exceed medium's, nor medium's exceed low's."
                ),
                field_errors={"interval_days": [_("Keep high ≤ medium ≤ low.")]},
                status=422,
            )
        row.interval_days = days
        row.save()
        ledger_append(
            actor=actor,
            act="supervision_frequency.change",
            obj=row,
            payload={"risk_level": risk_level, "old": old, "new": days},
        )
    return row
