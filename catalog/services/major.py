"""The major-decision catalog (重大执法决定法制审核目录) and risk-assessment rules, as data."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import policies
from catalog.models import AMOUNT_TRIGGERS, MajorDecisionRule, PartyKind, RequirementKind, Trigger
from catalog.services.common import changed, number_problem, snapshot
from core.errors import Conflict, ValidationFailed
from core.models import LedgerEntry
from core.prepared import PreparedRead
from core.services.ledger import ledger_append

RULE_FIELDS = (
    "agency",
    "name",
    "trigger",
    "party_kind",
    "amount",
    "requirement",
    "basis",
    "is_sample",
    "effective_from",
    "effective_until",
)

# Proposal keys that switch a flag trigger on.
FLAG_TRIGGERS: dict[str, str] = {
    Trigger.REVOKES_LICENCE: "revokes_licence",
    Trigger.STOPS_PRODUCTION: "stops_production",
    Trigger.DEMOLITION: "demolition",
    Trigger.CONFISCATES_BUILDINGS: "confiscates_buildings",
    Trigger.EXPROPRIATION: "expropriation",
    Trigger.FORCED_RELOCATION: "forced_relocation",
    Trigger.MAJOR_PUBLIC_INTEREST: "major_public_interest",
    Trigger.COMPLEX_CASE: "complex_case",
    Trigger.LICENCE_MAJOR_INTERESTS: "licence_major_interests",
}


@dataclass(frozen=True)
class Requirement:
    kind: str
    rule: MajorDecisionRule
    basis: str
    # Set when the rule applies only because the party kind was not given (the conservative answer).
    note: str = ""

    @property
    def label(self) -> str:
        return str(RequirementKind(self.kind).label)


def _validate(values: Mapping[str, Any]) -> None:
    errors: list[str] = []
    if values.get("trigger") not in Trigger.values:
        errors.append(_("Unknown condition “%(value)s”.") % {"value": values.get("trigger")})
    if values.get("requirement") not in RequirementKind.values:
        errors.append(_("Unknown requirement “%(value)s”.") % {"value": values.get("requirement")})
    if values.get("party_kind", PartyKind.ANY) not in PartyKind.values:
        errors.append(_("Unknown party kind “%(value)s”.") % {"value": values.get("party_kind")})
    if values.get("trigger") in AMOUNT_TRIGGERS:
        amount = values.get("amount")
        if amount is None or Decimal(amount) < 0:
            errors.append(_("An amount condition needs an amount of zero or more (yuan)."))
    if not str(values.get("name", "")).strip() or not str(values.get("basis", "")).strip():
        errors.append(_("A rule needs a name and the basis that sets it."))
    start, end = values.get("effective_from"), values.get("effective_until")
    if start and end and end <= start:
        errors.append(_("The end date must be after the start date."))
    if errors:
        raise ValidationFailed("；".join(errors), code="catalog.bad_rule", field_errors={"rule": errors})


def major_rule_create(*, actor: Any, agency: Any | None, values: Mapping[str, Any]) -> MajorDecisionRule:
    """Add a rule to an agency's catalog (agency None = the default catalog, superuser only)."""
    if agency is None:
        policies.ensure(actor, "edit", MajorDecisionRule(agency=None))
    else:
        policies.ensure_edit_agency(actor, agency)
    with transaction.atomic():
        data = {k: values[k] for k in RULE_FIELDS if k in values and k != "agency"}
        data.setdefault("effective_from", timezone.localdate())
        _validate(data)
        rule = MajorDecisionRule.objects.create(agency=agency, **data)
        ledger_append(
            actor=actor,
            act="catalog.major_rule_create",
            obj=rule,
            agency_id=agency.pk if agency else None,
            payload={"new": snapshot(rule, RULE_FIELDS)},
        )
        return rule


def major_rule_update(*, actor: Any, rule: MajorDecisionRule, values: Mapping[str, Any]) -> MajorDecisionRule:
    """Change a rule's figures or text (e.g. the local 较大数额 threshold); old and new values recorded."""
    policies.ensure(actor, "edit", rule)
    with transaction.atomic():
        rule = MajorDecisionRule.objects.select_for_update().get(pk=rule.pk)
        old = snapshot(rule, RULE_FIELDS)
        for key, value in values.items():
            if key in RULE_FIELDS and key != "agency":
                setattr(rule, key, value)
        _validate(
            snapshot(rule, RULE_FIELDS)
            | {
                "amount": rule.amount,
                "effective_from": rule.effective_from,
                "effective_until": rule.effective_until,
            }
        )
        new = snapshot(rule, RULE_FIELDS)
        if new != old:
            rule.save()
            ledger_append(
                actor=actor,
                act="catalog.major_rule_update",
                obj=rule,
                agency_id=rule.agency_id,
                payload={"changes": changed(old, new)},
            )
        return rule


def major_rule_retire(
    *, actor: Any, rule: MajorDecisionRule, effective_until: datetime.date
) -> MajorDecisionRule:
    """End a rule's force from `effective_until`."""
    policies.ensure(actor, "edit", rule)
    with transaction.atomic():
        rule = MajorDecisionRule.objects.select_for_update().get(pk=rule.pk)
        if rule.effective_until is not None and rule.effective_until <= effective_until:
            raise Conflict(
                _("This rule already ends on %(date)s.") % {"date": rule.effective_until},
                code="catalog.already_retired",
            )
        if effective_until <= rule.effective_from:
            raise ValidationFailed(_("The end date must be after the start date."), code="catalog.bad_period")
        old = snapshot(rule, RULE_FIELDS)
        rule.effective_until = effective_until
        rule.save(update_fields=["effective_until", "updated_at"])
        ledger_append(
            actor=actor,
            act="catalog.major_rule_retire",
            obj=rule,
            agency_id=rule.agency_id,
            payload={"changes": changed(old, snapshot(rule, RULE_FIELDS))},
        )
        return rule


def catalog_record_defaults(*, actor: Any = None) -> list[MajorDecisionRule]:
    """Record in the ledger each rule of the default catalog (agency NULL) that no act records yet.

    Migration 0002 seeds the default catalog with historical models, which cannot call
    `ledger_append`; this service writes one `catalog.major_rule_seed` act per such row, with the
    row's values, so the chain shows where every default rule came from. Idempotent: a second run
    records nothing. Run by `zhifa catalog_record_defaults` after `migrate` and by the demo loader.
    """
    policies.ensure(actor, "edit", MajorDecisionRule(agency=None))
    with transaction.atomic():
        rules = list(MajorDecisionRule.objects.select_for_update().filter(agency__isnull=True).order_by("pk"))
        known = set(
            LedgerEntry.objects.filter(
                object_type=MajorDecisionRule._meta.label_lower,
                object_id__in=[str(r.pk) for r in rules],
                act__startswith="catalog.major_rule_",
            ).values_list("object_id", flat=True)
        )
        recorded = [r for r in rules if str(r.pk) not in known]
        for rule in recorded:
            ledger_append(
                actor=actor,
                act="catalog.major_rule_seed",
                obj=rule,
                payload={"new": snapshot(rule, RULE_FIELDS), "source": "catalog/migrations/0002"},
            )
        return recorded


def _rules_q(agency_ids: list[int], on: datetime.date) -> QuerySet[MajorDecisionRule]:
    return MajorDecisionRule.objects.filter(Q(agency_id__in=agency_ids) | Q(agency__isnull=True)).filter(
        Q(effective_until__isnull=True) | Q(effective_until__gt=on), effective_from__lte=on
    )


# The same read compiled once (core.prepared), for an agency and up to three levels above it
# (county, city, province, ministry); a shorter chain is padded with 0, which no agency has. Every
# decision page asks it, and compiling it cost more than running it.
_CHAIN_SLOTS = 4
_RULES_IN_FORCE: PreparedRead[MajorDecisionRule] = PreparedRead(
    lambda a0, a1, a2, a3, day: _rules_q([a0, a1, a2, a3], day)
)


def rules_in_force(*, agency: Any, on: datetime.date) -> list[MajorDecisionRule]:
    """The catalog that applies to `agency` on a date: the nearest scope wins for each
    (condition, party kind, requirement); default rows (no agency) come last."""
    chain = policies.agency_chain(agency)
    if len(chain) <= _CHAIN_SLOTS and type(on) is datetime.date:
        rows: Iterable[MajorDecisionRule] = _RULES_IN_FORCE(*chain, *[0] * (_CHAIN_SLOTS - len(chain)), on)
    else:
        rows = _rules_q(chain, on)
    rank = {agency_id: i for i, agency_id in enumerate(chain)}
    chosen: dict[tuple[str, str, str], MajorDecisionRule] = {}
    for rule in sorted(
        rows, key=lambda r: (rank.get(r.agency_id, len(chain)) if r.agency_id else len(chain), r.pk)
    ):
        chosen.setdefault((rule.trigger, rule.party_kind, rule.requirement), rule)
    return sorted(chosen.values(), key=lambda r: (r.requirement, r.trigger, r.party_kind))


def _amount(proposed: Mapping[str, Any], key: str) -> Decimal:
    raw = proposed.get(key)
    if raw in (None, ""):
        return Decimal(0)
    try:
        value = Decimal(str(raw).replace(",", ""))
    except InvalidOperation:
        raise ValidationFailed(
            _("“%(value)s” is not an amount in yuan.") % {"value": raw},
            code="catalog.bad_amount",
            field_errors={key: [_("Enter an amount in yuan.")]},
        ) from None
    problem = number_problem(value)
    if problem is not None:
        raise ValidationFailed(
            _("“%(value)s” is not a usable amount in yuan.") % {"value": raw},
            code="catalog.bad_amount",
            field_errors={key: [problem]},
        )
    return value


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on", "是"}
    return bool(value)


def _matches(rule: MajorDecisionRule, proposed: Mapping[str, Any]) -> bool:
    """Whether the proposal meets the rule's condition. An unknown party kind (not given) meets
    the party condition of every rule: the conservative answer."""
    party = str(proposed.get("party_kind") or "")
    if party and rule.party_kind != PartyKind.ANY and rule.party_kind != party:
        return False
    if rule.trigger == Trigger.FINE_AT_LEAST:
        fine = _amount(proposed, "fine")
        return rule.amount is not None and fine > 0 and fine >= rule.amount
    if rule.trigger == Trigger.CONFISCATION_AT_LEAST:
        value = _amount(proposed, "confiscation_value")
        return rule.amount is not None and value > 0 and value >= rule.amount
    if rule.trigger == Trigger.HEARING_AND_MAJOR_RIGHTS:
        return _truthy(proposed.get("hearing_held")) and _truthy(proposed.get("major_rights"))
    flag = FLAG_TRIGGERS.get(rule.trigger)
    return bool(flag) and _truthy(proposed.get(flag or ""))


def _unknown_party_note(rule: MajorDecisionRule) -> str:
    return _(
        "The party kind was not given, so this rule for %(kind)s is applied as the conservative "
        "answer; give the party kind (individual or organisation) for the exact requirements."
    ) % {"kind": PartyKind(rule.party_kind).label}


def decision_requirements(
    *,
    agency: Any,
    proposed: Mapping[str, Any],
    on: datetime.date | None = None,
) -> list[Requirement]:
    """What a proposed decision needs — legal review, risk assessment, collective deliberation,
    hearing notice — and the catalog rule (and its basis) that says so.

    `proposed` keys: party_kind (individual / organisation), fine, confiscation_value (yuan),
    revokes_licence, stops_production, demolition, confiscates_buildings, expropriation,
    forced_relocation, hearing_held, major_rights, major_public_interest, complex_case.

    When party_kind is not given, the rules for individuals and for organisations all apply (the
    conservative answer: a requirement is never missed because the party is not known yet); each
    requirement that rests on a party-specific rule then carries a `note` saying so.
    """
    if proposed.get("party_kind") not in (None, "", PartyKind.INDIVIDUAL, PartyKind.ORGANISATION):
        raise ValidationFailed(
            _("The party is an individual or an organisation."),
            code="catalog.bad_party",
            field_errors={"party_kind": [_("Choose individual or organisation.")]},
        )
    _amount(proposed, "fine")
    _amount(proposed, "confiscation_value")
    day = on or timezone.localdate()
    unknown_party = not proposed.get("party_kind")
    found = [
        Requirement(
            kind=r.requirement,
            rule=r,
            basis=r.basis,
            note=_unknown_party_note(r) if unknown_party and r.party_kind != PartyKind.ANY else "",
        )
        for r in rules_in_force(agency=agency, on=day)
        if _matches(r, proposed)
    ]
    order = list(RequirementKind.values)
    return sorted(found, key=lambda q: (order.index(q.kind), q.rule.pk))
