"""Audio-video rules as configuration: changed only by a system administrator, each change an act."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from core.models import LedgerEntry
from core.services.ledger import ledger_append
from records import policies
from records.models import AvRequirement, AvRule, RecordKind
from records.steps import STEP_RE

RULE_FIELDS = ("code", "label", "action", "when", "record_kind", "requirement", "basis")


def _snapshot(rule: AvRule) -> dict[str, Any]:
    return {f: getattr(rule, f) for f in RULE_FIELDS}


def _clean_when(when: Any) -> dict[str, list[str]]:
    if not isinstance(when, Mapping):
        raise ValidationFailed(
            _("The condition must map a field of the action's data to its values."),
            field_errors={"when": [_("Invalid condition.")]},
        )
    out: dict[str, list[str]] = {}
    for key, values in when.items():
        if not isinstance(values, Sequence) or isinstance(values, str) or not values:
            raise ValidationFailed(
                _("The condition on “%(key)s” must list one or more values.") % {"key": key},
                field_errors={"when": [_("Invalid condition.")]},
            )
        out[str(key)] = [str(v) for v in values]
    return out


def av_rule_update(
    *,
    actor: Any,
    rule: AvRule,
    requirement: str | None = None,
    action: str | None = None,
    label: str | None = None,
    when: Mapping[str, Any] | None = None,
    record_kind: str | None = None,
    basis: str | None = None,
) -> AvRule:
    """Change an audio-video rule (a system administrator); the ledger keeps old and new values."""
    policies.ensure(actor, "configure", None)
    old = _snapshot(rule)
    if requirement is not None:
        if requirement not in AvRequirement.values:
            raise ValidationFailed(
                _("Choose required, as needed or not required."), field_errors={"requirement": [_("Choose.")]}
            )
        rule.requirement = requirement
    if action is not None:
        if not STEP_RE.match(action):
            raise ValidationFailed(
                _("The case action must be a workflow action code such as “seize”."),
                field_errors={"action": [_("Invalid action code.")]},
            )
        rule.action = action
    if label is not None:
        if not label.strip():
            raise ValidationFailed(
                _("Name the step."), field_errors={"label": [_("This field is required.")]}
            )
        rule.label = label.strip()[:100]
    if when is not None:
        rule.when = _clean_when(when)
    if record_kind is not None:
        if record_kind and record_kind not in RecordKind.values:
            raise ValidationFailed(_("Unknown kind of record."), field_errors={"record_kind": [_("Choose.")]})
        rule.record_kind = record_kind
    if basis is not None:
        rule.basis = basis.strip()[:255]
    new = _snapshot(rule)
    if new == old:
        return rule
    with transaction.atomic():
        rule.save()
        ledger_append(
            actor=actor,
            act="records.av_rule_changed",
            obj=rule,
            payload={
                "old": {k: v for k, v in old.items() if v != new[k] or k == "code"},
                "new": {k: v for k, v in new.items() if v != old[k] or k == "code"},
            },
        )
    return rule


def av_rules_record_defaults(*, actor: Any = None) -> list[AvRule]:
    """Record in the ledger each rule that no act records yet (rows seeded by records/0002).

    Idempotent: a second run records nothing.
    """
    policies.ensure(actor, "configure", None)
    with transaction.atomic():
        rules = list(AvRule.objects.order_by("pk"))
        known = set(
            LedgerEntry.objects.filter(
                object_type=AvRule._meta.label_lower,
                object_id__in=[str(r.pk) for r in rules],
                act__startswith="records.av_rule_",
            ).values_list("object_id", flat=True)
        )
        recorded = [r for r in rules if str(r.pk) not in known]
        for rule in recorded:
            ledger_append(
                actor=actor,
                act="records.av_rule_seeded",
                obj=rule,
                payload={"new": _snapshot(rule), "source": "records/migrations/0002"},
            )
    return recorded
